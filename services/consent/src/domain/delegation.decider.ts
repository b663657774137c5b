import type {
  ClientDescription,
  DelegatedRole,
  DelegationExpired,
  DelegationExtended,
  DelegationGranted,
  DelegationRevoked,
  OfferIncludes,
} from '@dap/contracts';
import { conflict, DomainError, notFound, type Decider } from '@dap/eventsourcing';
import { addDays, addIsoDuration } from './duration.js';
import { assertOfferAcceptable, type OfferTerms } from './offer-terms.js';

/** Auto-extension adds this many days each time a delegation reaches its expiry. */
export const AUTO_EXTEND_DAYS = 180;

export type DelegationEvent =
  | { type: 'DelegationGranted'; data: DelegationGranted }
  | { type: 'DelegationRevoked'; data: DelegationRevoked }
  | { type: 'DelegationExpired'; data: DelegationExpired }
  | { type: 'DelegationExtended'; data: DelegationExtended };

export interface GrantDelegation {
  type: 'GrantDelegation';
  delegationId: string;
  clientId: string;
  grantedBy: string;
  client: ClientDescription;
  offer: OfferTerms;
}
export interface RevokeDelegation {
  type: 'RevokeDelegation';
  side: 'client' | 'partner';
  /** The caller's organization: must be the delegation's client (side client) or partner (side partner). */
  tenantId: string;
  revokedBy: string;
  reason?: string;
}
/** Sent by the expiry scheduler: expire or auto-extend a delegation whose time has come. */
export interface ExpireDelegation {
  type: 'ExpireDelegation';
}
export type DelegationCommand = GrantDelegation | RevokeDelegation | ExpireDelegation;

export interface DelegationState {
  status: 'none' | 'active' | 'revoked' | 'expired';
  delegationId?: string;
  partnerId?: string;
  clientId?: string;
  offerId?: string;
  grantedRoles: DelegatedRole[];
  grantedAt?: string;
  expiresAt: string | null;
  autoExtend: boolean;
  client?: ClientDescription;
  includes?: OfferIncludes;
  endedAt?: string;
}

/** Auto-extension never applies to a delegation that grants full administration. */
export const mayAutoExtend = (roles: readonly DelegatedRole[], duration: string | null) =>
  duration !== null && !roles.includes('full');

function grant(command: GrantDelegation, state: DelegationState, now: Date): DelegationEvent[] {
  if (state.status === 'active') return []; // accepting again returns the same delegation
  if (state.status !== 'none') throw conflict('this delegation has ended', `delegation-${state.status}`);
  const { offer } = command;
  assertOfferAcceptable(offer, now);
  if (offer.autoExtend && !mayAutoExtend(offer.grantedRoles, offer.delegationDuration)) {
    throw new DomainError(
      'unprocessable',
      'auto-extend is not allowed with full administration or without a duration',
      {
        reason: 'auto-extend-not-allowed',
      },
    );
  }
  const expiresAt = offer.delegationDuration
    ? addIsoDuration(now, offer.delegationDuration).toISOString()
    : null;
  return [
    {
      type: 'DelegationGranted',
      data: {
        delegationId: command.delegationId,
        partnerId: offer.partnerId,
        clientId: command.clientId,
        offerId: offer.offerId,
        grantedRoles: [...offer.grantedRoles],
        grantedBy: command.grantedBy,
        grantedAt: now.toISOString(),
        expiresAt,
        delegationDuration: offer.delegationDuration,
        autoExtend: offer.autoExtend,
        client: command.client,
        includes: offer.includes,
        partnerContacts: offer.partnerContacts ?? [],
      },
    },
  ];
}

function revoke(command: RevokeDelegation, state: DelegationState): DelegationEvent[] {
  const owner = command.side === 'client' ? state.clientId : state.partnerId;
  // Another organization's delegation answers exactly like one that does not exist.
  if (state.status === 'none' || owner !== command.tenantId) throw notFound('delegation');
  if (state.status === 'revoked') return [];
  if (state.status === 'expired') throw conflict('the delegation has already expired', 'delegation-expired');
  const ids = { delegationId: state.delegationId!, partnerId: state.partnerId!, clientId: state.clientId! };
  const reason = command.reason === undefined ? {} : { reason: command.reason };
  return [
    {
      type: 'DelegationRevoked',
      data: { ...ids, revokedBy: command.revokedBy, side: command.side, ...reason },
    },
  ];
}

function expire(state: DelegationState, now: Date): DelegationEvent[] {
  if (state.status !== 'active' || state.expiresAt === null) return [];
  if (Date.parse(state.expiresAt) > now.getTime()) return [];
  const ids = { delegationId: state.delegationId!, partnerId: state.partnerId!, clientId: state.clientId! };
  if (!state.autoExtend || state.grantedRoles.includes('full')) {
    return [{ type: 'DelegationExpired', data: { ...ids, expiredAt: state.expiresAt } }];
  }
  // Extend by whole 180-day steps until the expiry lies in the future (one step unless the scheduler was down).
  const events: DelegationEvent[] = [];
  let previous = new Date(state.expiresAt);
  while (previous.getTime() <= now.getTime()) {
    const next = addDays(previous, AUTO_EXTEND_DAYS);
    events.push({
      type: 'DelegationExtended',
      data: { ...ids, previousExpiresAt: previous.toISOString(), expiresAt: next.toISOString() },
    });
    previous = next;
  }
  return events;
}

export const initialDelegationState = (): DelegationState => ({
  status: 'none',
  grantedRoles: [],
  expiresAt: null,
  autoExtend: false,
});

function evolve(state: DelegationState, event: DelegationEvent): DelegationState {
  switch (event.type) {
    case 'DelegationGranted': {
      const d = event.data;
      return {
        status: 'active',
        delegationId: d.delegationId,
        partnerId: d.partnerId,
        clientId: d.clientId,
        offerId: d.offerId,
        grantedRoles: d.grantedRoles,
        grantedAt: d.grantedAt,
        expiresAt: d.expiresAt,
        autoExtend: d.autoExtend,
        client: d.client,
        includes: d.includes,
      };
    }
    case 'DelegationRevoked':
      return { ...state, status: 'revoked' };
    case 'DelegationExpired':
      return { ...state, status: 'expired', endedAt: event.data.expiredAt };
    case 'DelegationExtended':
      return { ...state, expiresAt: event.data.expiresAt };
    default:
      return state;
  }
}

export const delegationDecider: Decider<DelegationCommand, DelegationEvent, DelegationState> = {
  initialState: initialDelegationState,
  decide(command, state, now) {
    switch (command.type) {
      case 'GrantDelegation':
        return grant(command, state, now);
      case 'RevokeDelegation':
        return revoke(command, state);
      case 'ExpireDelegation':
        return expire(state, now);
    }
  },
  evolve,
};
