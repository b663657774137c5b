import { DomainError } from '@dap/eventsourcing';
import type { AccessDecision } from '../domain/access-check.js';

const DENIED: Record<string, string> = {
  'no-delegation': 'this client has not granted delegated administration to your partner',
  'delegation-revoked': "this client's delegation to your partner was revoked",
  'delegation-expired': "this client's delegation to your partner has expired",
  'no-role': 'you hold no delegated role; a partner administrator must assign one',
  'role-insufficient': 'your effective delegated role does not allow this',
  'not-supported': 'this action is not supported',
};

/** 403 with the reason (SPEC §5: a delegated action without an active delegation says why). */
export function assertAllowed(decision: AccessDecision): void {
  if (!decision.allowed)
    throw new DomainError('forbidden', DENIED[decision.reason], { reason: decision.reason });
}
