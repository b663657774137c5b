import { createHash } from 'node:crypto';

/**
 * Delegation ids are derived from (partner, client, generation): generation 1 is the pair's first
 * delegation, generation n+1 is only ever created after reading generation n as ended. So:
 * - accepting while a delegation is active finds it and returns it;
 * - two concurrent acceptances both try to create the same next stream at expected version 0;
 *   one wins, the other gets a conflict, reads again and returns the winner's delegation;
 * - there can never be two active delegations for one pair, without a separate lock stream.
 * Each delegation still has its own stream, `delegation-<uuid>`.
 */
export function delegationIdFor(partnerId: string, clientId: string, generation: number): string {
  const hex = createHash('sha256')
    .update(`delegation\n${partnerId}\n${clientId}\n${generation}`)
    .digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const delegationStream = (delegationId: string) => `delegation-${delegationId}`;
export const partnerUserStream = (partnerId: string, userId: string) => `partner-user-${partnerId}:${userId}`;

/** A deterministic id for a mail, so that a resend after a crash replaces the same message. */
export const noticeIdFor = (delegationId: string, expiresAt: string, daysBefore: number) =>
  createHash('sha256')
    .update(`notice\n${delegationId}\n${expiresAt}\n${daysBefore}`)
    .digest('hex')
    .slice(0, 32);
