/**
 * Mints a development token for calling the API by hand:
 *   npm run token -- --sub alice@contoso-partner --tid partner-1 --roles partner.admin
 * Signs with AUTH_JWT_SECRET when set, else with the standalone development secret.
 */
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, mintToken, ROLES } from '@dap/platform';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    tid: { type: 'string' },
    roles: { type: 'string', default: '' },
    expires: { type: 'string', default: '8h' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.sub || !values.tid) {
  console.error(
    `usage: npm run token -- --sub <user id> --tid <organization id> --roles <role,role> [--expires 8h]\nroles: ${ROLES.join(', ')}`,
  );
  process.exit(values.help ? 0 : 2);
}
const roles = values.roles.split(',').filter(Boolean);
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
if (unknown.length) {
  console.error(`unknown role(s): ${unknown.join(', ')}; known: ${ROLES.join(', ')}`);
  process.exit(2);
}
console.log(
  await mintToken(
    process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET,
    { sub: values.sub, tid: values.tid, roles },
    values.expires,
  ),
);
