import {
  ACTION_REQUIREMENTS,
  decideAccess as sharedDecideAccess,
  type AccessDecision,
  type AccessQuery,
} from '@dap/contracts';
import { invalid } from '@dap/eventsourcing';

export { ACTION_REQUIREMENTS, DELEGATED_ACTIONS } from '@dap/contracts';
export type { AccessDecision, AccessQuery, AccessReason, DelegationView } from '@dap/contracts';

/** SPEC §4 through the shared rule in `@dap/contracts`; an action outside the table is a bad request. */
export function decideAccess(query: AccessQuery): AccessDecision {
  if (!(query.action in ACTION_REQUIREMENTS)) throw invalid(`unknown action ${query.action}`, 'action');
  return sharedDecideAccess(query);
}
