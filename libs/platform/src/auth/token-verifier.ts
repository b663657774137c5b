import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '@dap/eventsourcing';
import type { AppConfig } from '../config/app-config.js';
import { effectiveRoles, type Principal, type Role } from './principal.js';

/** How many verified tokens are remembered, and for how long at most (a key dropped from the JWKS counts again after that). */
const CACHE_SIZE = 10_000;
const CACHE_MS = 60_000;

/**
 * Verifies bearer tokens: HS256 with AUTH_JWT_SECRET, or RS256/ES256 against AUTH_JWKS_URL. A token
 * verified once is remembered (up to a minute, never past its `exp`), so that a portal's every request
 * does not pay for the signature again.
 */
export class TokenVerifier {
  private readonly jwks?: JWTVerifyGetKey;
  /** The HS256 key, imported once (jose imports a raw secret again on every verification). */
  private readonly secret?: Promise<webcrypto.CryptoKey>;
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly config: Pick<AppConfig, 'jwtSecret' | 'jwksUrl' | 'platformTenantId'>) {
    if (config.jwksUrl) this.jwks = createRemoteJWKSet(new URL(config.jwksUrl));
    if (config.jwtSecret)
      this.secret = webcrypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(config.jwtSecret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      );
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new DomainError('unauthenticated', 'missing bearer token');
    const token = match[1];
    const cached = this.verified.get(token);
    if (cached && cached.until > Date.now()) return cached.principal;
    if (cached) this.verified.delete(token);
    const principal = await this.verifySignature(token);
    if (this.verified.size >= CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal: principal.principal, until: principal.until });
    return principal.principal;
  }

  private async verifySignature(token: string): Promise<{ principal: Principal; until: number }> {
    try {
      const { payload } = this.jwks
        ? await jwtVerify(token, this.jwks, { algorithms: ['RS256', 'ES256'] })
        : await jwtVerify(token, await this.secret!, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !payload.sub || !payload.tid)
        throw new Error('sub and tid claims are required');
      const now = Date.now();
      const expires = typeof payload.exp === 'number' ? payload.exp * 1000 : now + CACHE_MS;
      return {
        // Shared by every request that carries the token: frozen.
        principal: Object.freeze({
          sub: payload.sub,
          tid: payload.tid,
          roles: Object.freeze(effectiveRoles(payload.roles, payload.tid, this.config.platformTenantId)),
        }) as Principal,
        until: Math.min(expires, now + CACHE_MS),
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
