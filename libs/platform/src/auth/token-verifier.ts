import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '@dap/eventsourcing';
import type { AppConfig } from '../config/app-config.js';
import { effectiveRoles, type Principal, type Role } from './principal.js';

/** Verifies bearer tokens: HS256 with AUTH_JWT_SECRET, or RS256/ES256 against AUTH_JWKS_URL. */
export class TokenVerifier {
  private readonly jwks?: JWTVerifyGetKey;
  private readonly secret?: Uint8Array;

  constructor(private readonly config: Pick<AppConfig, 'jwtSecret' | 'jwksUrl' | 'platformTenantId'>) {
    if (config.jwksUrl) this.jwks = createRemoteJWKSet(new URL(config.jwksUrl));
    if (config.jwtSecret) this.secret = new TextEncoder().encode(config.jwtSecret);
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new DomainError('unauthenticated', 'missing bearer token');
    try {
      const { payload } = this.jwks
        ? await jwtVerify(match[1], this.jwks, { algorithms: ['RS256', 'ES256'] })
        : await jwtVerify(match[1], this.secret!, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !payload.sub || !payload.tid)
        throw new Error('sub and tid claims are required');
      return {
        sub: payload.sub,
        tid: payload.tid,
        roles: effectiveRoles(payload.roles, payload.tid, this.config.platformTenantId),
      };
    } catch {
      throw new DomainError('unauthenticated', 'invalid or expired token');
    }
  }
}

/** Mints an HS256 development token (the CLI helper and the tests use it). */
export async function mintToken(
  secret: string,
  claims: { sub: string; tid: string; roles: (Role | string)[] },
  expiresIn = '8h',
): Promise<string> {
  return new SignJWT({ tid: claims.tid, roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
