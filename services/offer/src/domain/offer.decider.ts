import type { DelegatedRole, OfferEventMap, OfferIncludes } from '@dap/contracts';
import { conflict, invalid, notFound, type Decider, type DomainEvent } from '@dap/eventsourcing';
import { durationDays } from './duration.js';

export type OfferEvent = {
  [K in keyof OfferEventMap]: DomainEvent<K, OfferEventMap[K]>;
}[keyof OfferEventMap];

/** Gives the hash of the link code for a link version; the code itself never enters the domain. */
export type CodeHashFor = (linkVersion: number) => string;

export type OfferCommand =
  | {
      type: 'CreateOffer';
      offerId: string;
      partnerId: string;
      includes: OfferIncludes;
      grantedRoles: DelegatedRole[];
      delegationDuration: string | null;
      autoExtend: boolean;
      expiresAt: string | null;
      message?: string;
      codeHashFor: CodeHashFor;
    }
  | { type: 'SendOffer'; partnerId: string; recipients: string[]; sentBy: string; message?: string }
  | { type: 'RotateLink'; partnerId: string; codeHashFor: CodeHashFor }
  | { type: 'RevokeOffer'; partnerId: string; reason?: string };

export interface OfferState {
  exists: boolean;
  offerId: string;
  partnerId: string;
  status: 'active' | 'revoked';
  expiresAt: string | null;
  linkVersion: number;
}

export const MAX_OFFER_LIFETIME_DAYS = 365;
const DAY_MS = 86_400_000;

/** The offer's status as a partner sees it at `now`: revoked, expired (past expiresAt), or active. */
export const offerStatusAt = (state: Pick<OfferState, 'status' | 'expiresAt'>, now: Date) =>
  state.status === 'revoked'
    ? 'revoked'
    : state.expiresAt && Date.parse(state.expiresAt) <= now.getTime()
      ? 'expired'
      : 'active';

function validateCreate(c: Extract<OfferCommand, { type: 'CreateOffer' }>, now: Date): void {
  if (c.grantedRoles.length === 0) throw invalid('grantedRoles must name at least one role', 'grantedRoles');
  if (c.delegationDuration !== null) {
    const days = durationDays(c.delegationDuration);
    if (days === null || days < 1 || days > 730)
      throw invalid(
        'delegationDuration must be an ISO-8601 duration from P1D to P730D',
        'delegationDuration',
      );
  }
  if (c.autoExtend && c.delegationDuration === null)
    throw invalid('autoExtend needs a delegationDuration', 'autoExtend');
  if (c.autoExtend && c.grantedRoles.includes('full'))
    throw invalid('autoExtend is not allowed when grantedRoles includes "full"', 'autoExtend');
  if (c.expiresAt !== null) {
    const at = Date.parse(c.expiresAt);
    if (!(at > now.getTime())) throw invalid('expiresAt must be in the future', 'expiresAt');
    if (at > now.getTime() + MAX_OFFER_LIFETIME_DAYS * DAY_MS)
      throw invalid('expiresAt must be at most one year ahead', 'expiresAt');
  }
  if (c.includes.purchase && c.includes.purchase.quantity < 1)
    throw invalid('quantity must be at least 1', 'includes.purchase.quantity');
}

/** Commands on an existing offer: it must exist and belong to the caller's partner (404 otherwise). */
function requireUsable(state: OfferState, partnerId: string, now: Date): void {
  if (!state.exists || state.partnerId !== partnerId) throw notFound('offer');
  const status = offerStatusAt(state, now);
  if (status !== 'active') throw conflict(`the offer is ${status}`, `offer-${status}`);
}

export const offerDecider: Decider<OfferCommand, OfferEvent, OfferState> = {
  initialState: () => ({
    exists: false,
    offerId: '',
    partnerId: '',
    status: 'active',
    expiresAt: null,
    linkVersion: 0,
  }),

  decide(command, state, now) {
    switch (command.type) {
      case 'CreateOffer': {
        if (state.exists) throw conflict('the offer already exists', 'offer-exists');
        validateCreate(command, now);
        const { codeHashFor, type: _type, ...data } = command;
        return [{ type: 'OfferCreated', data: { ...data, codeHash: codeHashFor(1) } }];
      }
      case 'SendOffer': {
        requireUsable(state, command.partnerId, now);
        const recipients = [...new Set(command.recipients.map((r) => r.toLowerCase()))];
        return [
          {
            type: 'OfferSent',
            data: {
              offerId: state.offerId,
              recipients,
              sentBy: command.sentBy,
              linkVersion: state.linkVersion,
              ...(command.message && { message: command.message }),
            },
          },
        ];
      }
      case 'RotateLink':
        requireUsable(state, command.partnerId, now);
        return [
          {
            type: 'OfferLinkRotated',
            data: { offerId: state.offerId, codeHash: command.codeHashFor(state.linkVersion + 1) },
          },
        ];
      case 'RevokeOffer':
        if (!state.exists || state.partnerId !== command.partnerId) throw notFound('offer');
        if (state.status === 'revoked') return [];
        return [
          {
            type: 'OfferRevoked',
            data: { offerId: state.offerId, ...(command.reason && { reason: command.reason }) },
          },
        ];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'OfferCreated':
        return {
          exists: true,
          offerId: event.data.offerId,
          partnerId: event.data.partnerId,
          status: 'active',
          expiresAt: event.data.expiresAt,
          linkVersion: 1,
        };
      case 'OfferLinkRotated':
        return { ...state, linkVersion: state.linkVersion + 1 };
      case 'OfferRevoked':
        return { ...state, status: 'revoked' };
      default:
        return state;
    }
  },
};
