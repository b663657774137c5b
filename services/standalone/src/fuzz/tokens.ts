import { createHmac } from 'node:crypto';
import { DEV_JWT_SECRET } from '@dap/platform';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 JWT signed with `secret` (built by hand, so that any header and claims can be forged). */
export function signJwt(claims: Record<string, unknown>, secret = DEV_JWT_SECRET, alg = 'HS256'): string {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (sub: string, tid: string, roles: unknown, exp = now() + 3600) => ({
  sub,
  tid,
  roles,
  iat: now(),
  exp,
});

/** Tokens the server must accept: one caller per role the API knows. */
export function validTokens(): Record<string, string> {
  return {
    partnerAdmin: signJwt(claims('alice@partner-a', 'partner-a', ['partner.admin'])),
    partnerAgent: signJwt(claims('agent@partner-a', 'partner-a', ['partner.agent'])),
    otherPartnerAdmin: signJwt(claims('bob@partner-b', 'partner-b', ['partner.admin'])),
    clientAdmin: signJwt(claims('admin@tenant-c1', 'tenant-c1', ['client.admin'])),
    publisher: signJwt(claims('feed', 'platform', ['platform.health-publisher'])),
    auditor: signJwt(claims('auditor', 'platform', ['platform.auditor'])),
  };
}

/**
 * `Authorization` values the server must refuse with 401 or 403 on every protected operation:
 * unsigned, signed with another key or algorithm, expired, not yet valid, without the claims a
 * principal needs, a platform role claimed by a tenant that is not the platform, and garbage.
 */
export function forgedAuthorizations(): Record<string, string> {
  const admin = claims('alice@partner-a', 'partner-a', ['partner.admin']);
  const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(admin)}.`;
  return {
    algNone: `Bearer ${unsigned}`,
    algNoneWithSignature: `Bearer ${unsigned}c2ln`,
    anotherKey: `Bearer ${signJwt(admin, 'another-secret-that-is-long-enough-for-hs256')}`,
    hs512Header: `Bearer ${signJwt(admin, DEV_JWT_SECRET, 'HS512')}`,
    rs256Header: `Bearer ${signJwt(admin, DEV_JWT_SECRET, 'RS256')}`,
    expired: `Bearer ${signJwt(claims('alice@partner-a', 'partner-a', ['partner.admin'], now() - 60))}`,
    notYetValid: `Bearer ${signJwt({ ...admin, nbf: now() + 3600 })}`,
    platformRolesWithPartnerTid: `Bearer ${signJwt(
      claims('mallory@partner-a', 'partner-a', ['platform.health-publisher', 'platform.auditor']),
    )}`,
    platformRolesWithoutTid: `Bearer ${signJwt({ sub: 'mallory', roles: ['platform.auditor'], exp: now() + 60 })}`,
    noSub: `Bearer ${signJwt({ tid: 'partner-a', roles: ['partner.admin'], exp: now() + 60 })}`,
    numericClaims: `Bearer ${signJwt({ sub: 1, tid: 2, roles: ['partner.admin'], exp: now() + 60 })}`,
    unknownRolesOnly: `Bearer ${signJwt(claims('x', 'partner-a', ['root', 'admin', { role: 'partner.admin' }]))}`,
    tamperedPayload: `Bearer ${signJwt(admin).replace(/\.[^.]+\./, `.${b64({ ...admin, tid: 'partner-b' })}.`)}`,
    garbage: 'Bearer not.a.jwt',
    garbageBase64: 'Bearer ____.____.____',
    emptyBearer: 'Bearer ',
    basicScheme: 'Basic YWxpY2U6c2VjcmV0',
    noScheme: signJwt(admin),
    huge: `Bearer ${'a'.repeat(8000)}`,
  };
}
