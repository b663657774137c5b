import { describe, expect, it } from '@jest/globals';
import { DomainError, fold } from '@dap/eventsourcing';
import { delegationDecider, type DelegationCommand, type DelegationEvent } from './delegation.decider.js';
import type { OfferTerms } from './offer-terms.js';

const T0 = new Date('2026-11-21T10:00:00.000Z');
const offer = (over: Partial<OfferTerms> = {}): OfferTerms => ({
  offerId: 'offer-1',
  partnerId: 'partner-1',
  grantedRoles: ['full', 'limited'],
  delegationDuration: null,
  autoExtend: false,
  expiresAt: null,
  includes: {},
  status: 'active',
  ...over,
});
const client = {
  name: 'Contoso',
  primaryDomain: 'contoso.cn',
  address: { line1: '1 Main St', city: 'Beijing', postalCode: '100000', country: 'CN' },
};
const grantCommand = (o: Partial<OfferTerms> = {}): DelegationCommand => ({
  type: 'GrantDelegation',
  delegationId: '6f1c1f64-8f3a-4c55-9d0a-1f2e3d4c5b6a',
  clientId: 'tenant-a',
  grantedBy: 'admin@contoso.cn',
  client,
  offer: offer(o),
});

/** given events, when command at a time, then events (or an error). */
const given = (events: DelegationEvent[]) => ({
  when: (command: DelegationCommand, now: Date = T0) => {
    const run = () => delegationDecider.decide(command, fold(delegationDecider, events), now);
    return {
      then: (expected: unknown[]) => expect(run()).toMatchObject(expected),
      thenError: (kind: string, reason?: string) => {
        try {
          run();
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).kind).toBe(kind);
          if (reason) expect((error as DomainError).details.reason).toBe(reason);
          return;
        }
        throw new Error('expected a domain error');
      },
    };
  },
});
const granted = (o: Partial<OfferTerms> = {}, at = T0) =>
  delegationDecider.decide(grantCommand(o), fold(delegationDecider, []), at);
const revokeBy = (side: 'client' | 'partner', tenantId: string): DelegationCommand => ({
  type: 'RevokeDelegation',
  side,
  tenantId,
  revokedBy: 'someone',
  reason: 'done',
});

describe('delegation decider', () => {
  describe('granting', () => {
    it('grants a delegation without expiry from an active offer', () => {
      given([])
        .when(grantCommand())
        .then([
          {
            type: 'DelegationGranted',
            data: expect.objectContaining({
              partnerId: 'partner-1',
              clientId: 'tenant-a',
              offerId: 'offer-1',
              grantedRoles: ['full', 'limited'],
              grantedAt: T0.toISOString(),
              expiresAt: null,
              autoExtend: false,
              client,
            }),
          },
        ]);
    });

    it('sets expiresAt to grantedAt plus the duration', () => {
      given([])
        .when(grantCommand({ delegationDuration: 'P90D' }))
        .then([{ data: expect.objectContaining({ expiresAt: '2027-02-19T10:00:00.000Z' }) }]);
    });

    it('records nothing when accepted again while active (the same delegation is returned)', () => {
      given(granted()).when(grantCommand()).then([]);
    });

    it('refuses a revoked offer with gone', () => {
      given([])
        .when(grantCommand({ status: 'revoked' }))
        .thenError('gone', 'offer-revoked');
    });

    it('refuses an offer exactly at its expiry instant, accepts it one millisecond before', () => {
      const expiresAt = '2026-11-21T10:00:00.000Z';
      given([]).when(grantCommand({ expiresAt }), new Date(expiresAt)).thenError('gone', 'offer-expired');
      given([])
        .when(grantCommand({ expiresAt }), new Date(Date.parse(expiresAt) - 1))
        .then([{ type: 'DelegationGranted' }]);
    });

    it('does not allow auto-extend with full administration', () => {
      given([])
        .when(grantCommand({ grantedRoles: ['full'], delegationDuration: 'P30D', autoExtend: true }))
        .thenError('unprocessable', 'auto-extend-not-allowed');
    });

    it('does not allow auto-extend without a duration', () => {
      given([])
        .when(grantCommand({ grantedRoles: ['limited'], autoExtend: true }))
        .thenError('unprocessable');
    });

    it('refuses to reuse a delegation that has ended', () => {
      const events = [
        ...granted(),
        ...delegationDecider.decide(revokeBy('client', 'tenant-a'), fold(delegationDecider, granted()), T0),
      ];
      given(events).when(grantCommand()).thenError('conflict', 'delegation-revoked');
    });
  });

  describe('revoking', () => {
    it('is revoked by the client side', () => {
      given(granted())
        .when(revokeBy('client', 'tenant-a'))
        .then([
          {
            type: 'DelegationRevoked',
            data: {
              delegationId: expect.any(String),
              partnerId: 'partner-1',
              clientId: 'tenant-a',
              side: 'client',
              revokedBy: 'someone',
              reason: 'done',
            },
          },
        ]);
    });

    it('is revoked by the partner side', () => {
      given(granted())
        .when(revokeBy('partner', 'partner-1'))
        .then([{ type: 'DelegationRevoked', data: expect.objectContaining({ side: 'partner' }) }]);
    });

    it('answers not-found to a client admin of another tenant, and to another partner', () => {
      given(granted()).when(revokeBy('client', 'tenant-b')).thenError('not-found');
      given(granted()).when(revokeBy('partner', 'partner-2')).thenError('not-found');
      given(granted()).when(revokeBy('client', 'partner-1')).thenError('not-found');
    });

    it('answers not-found for a delegation that does not exist', () => {
      given([]).when(revokeBy('client', 'tenant-a')).thenError('not-found');
    });

    it('records nothing when revoked twice', () => {
      const first = delegationDecider.decide(
        revokeBy('partner', 'partner-1'),
        fold(delegationDecider, granted()),
        T0,
      );
      given([...granted(), ...first])
        .when(revokeBy('client', 'tenant-a'))
        .then([]);
    });

    it('cannot revoke an expired delegation', () => {
      const events = granted({ delegationDuration: 'P1D' });
      const expiry = new Date('2026-11-22T10:00:00.000Z');
      const expired = delegationDecider.decide(
        { type: 'ExpireDelegation' },
        fold(delegationDecider, events),
        expiry,
      );
      given([...events, ...expired])
        .when(revokeBy('client', 'tenant-a'))
        .thenError('conflict', 'delegation-expired');
    });
  });

  describe('over time', () => {
    const expire: DelegationCommand = { type: 'ExpireDelegation' };
    const expiresAt = new Date('2026-12-21T10:00:00.000Z'); // T0 + P30D

    it('does nothing one millisecond before the expiry instant', () => {
      given(granted({ delegationDuration: 'P30D' }))
        .when(expire, new Date(expiresAt.getTime() - 1))
        .then([]);
    });

    it('expires exactly at the boundary instant', () => {
      given(granted({ delegationDuration: 'P30D' }))
        .when(expire, expiresAt)
        .then([
          {
            type: 'DelegationExpired',
            data: expect.objectContaining({ expiredAt: expiresAt.toISOString() }),
          },
        ]);
    });

    it('auto-extends by 180 days instead of expiring', () => {
      given(granted({ grantedRoles: ['limited'], delegationDuration: 'P30D', autoExtend: true }))
        .when(expire, expiresAt)
        .then([
          {
            type: 'DelegationExtended',
            data: expect.objectContaining({
              previousExpiresAt: expiresAt.toISOString(),
              expiresAt: '2027-06-19T10:00:00.000Z',
            }),
          },
        ]);
    });

    it('extends in 180-day steps until the expiry is in the future after a long outage', () => {
      const events = granted({ grantedRoles: ['limited'], delegationDuration: 'P30D', autoExtend: true });
      const result = delegationDecider.decide(
        expire,
        fold(delegationDecider, events),
        new Date('2027-07-01T00:00:00.000Z'),
      );
      expect(result.map((e) => e.type)).toEqual(['DelegationExtended', 'DelegationExtended']);
      expect(fold(delegationDecider, [...events, ...result]).expiresAt).toBe('2027-12-16T10:00:00.000Z');
    });

    it('never expires a delegation without duration, nor a revoked one', () => {
      given(granted()).when(expire, new Date('2100-01-01T00:00:00.000Z')).then([]);
      const revoked = delegationDecider.decide(
        revokeBy('client', 'tenant-a'),
        fold(delegationDecider, granted({ delegationDuration: 'P1D' })),
        T0,
      );
      given([...granted({ delegationDuration: 'P1D' }), ...revoked])
        .when(expire, new Date('2027-01-01T00:00:00.000Z'))
        .then([]);
    });

    it('folds to the expected state', () => {
      const events = granted({ delegationDuration: 'P30D' });
      const expired = delegationDecider.decide(expire, fold(delegationDecider, events), expiresAt);
      expect(fold(delegationDecider, [...events, ...expired])).toMatchObject({
        status: 'expired',
        partnerId: 'partner-1',
      });
    });
  });
});
