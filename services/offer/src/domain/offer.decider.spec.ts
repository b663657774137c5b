import { describe, expect, it } from '@jest/globals';
import { DomainError, fold } from '@dap/eventsourcing';
import { offerDecider, offerStatusAt, type OfferCommand, type OfferEvent } from './offer.decider.js';
import { durationDays } from './duration.js';

const now = new Date('2026-11-21T10:00:00Z');
const hashFor = (v: number) => `${v}`.repeat(64).slice(0, 64);
const create: Extract<OfferCommand, { type: 'CreateOffer' }> = {
  type: 'CreateOffer',
  offerId: 'o1',
  partnerId: 'p1',
  includes: { trial: { productId: 'office-e3' } },
  grantedRoles: ['full', 'limited'],
  delegationDuration: 'P90D',
  autoExtend: false,
  expiresAt: null,
  codeHashFor: hashFor,
};
const created: OfferEvent = {
  type: 'OfferCreated',
  data: { ...create, codeHash: hashFor(1), type: undefined } as never,
};

/** given events, when command, then events (or the error it throws). */
const given = (events: OfferEvent[]) => ({
  when: (command: OfferCommand, at = now) => offerDecider.decide(command, fold(offerDecider, events), at),
});
const kindOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return [(e as DomainError).kind, (e as DomainError).details.field ?? (e as DomainError).details.reason];
  }
  return 'no error';
};

describe('offer decider', () => {
  describe('CreateOffer', () => {
    it('creates an offer with the hash of link version 1 and no code', () => {
      const [event] = given([]).when(create);
      expect(event).toEqual({
        type: 'OfferCreated',
        data: {
          offerId: 'o1',
          partnerId: 'p1',
          includes: { trial: { productId: 'office-e3' } },
          grantedRoles: ['full', 'limited'],
          delegationDuration: 'P90D',
          autoExtend: false,
          expiresAt: null,
          codeHash: hashFor(1),
        },
      });
    });
    it('refuses a duplicate', () =>
      expect(kindOf(() => given([created]).when(create))).toEqual(['conflict', 'offer-exists']));
    it.each([
      [{ grantedRoles: [] }, 'grantedRoles'],
      [{ delegationDuration: 'P0D' }, 'delegationDuration'],
      [{ delegationDuration: 'P731D' }, 'delegationDuration'],
      [{ delegationDuration: 'P6M' }, 'delegationDuration'],
      [{ autoExtend: true, delegationDuration: null, grantedRoles: ['limited'] }, 'autoExtend'],
      [{ autoExtend: true, grantedRoles: ['full'] }, 'autoExtend'],
      [{ expiresAt: '2026-11-21T09:59:59Z' }, 'expiresAt'],
      [{ expiresAt: '2027-11-22T10:00:00Z' }, 'expiresAt'],
    ])('rejects %j naming the field', (patch, field) => {
      expect(kindOf(() => given([]).when({ ...create, ...patch } as OfferCommand))).toEqual([
        'invalid',
        field,
      ]);
    });
    it('accepts auto-extend with limited roles and a duration, and the longest duration', () => {
      expect(
        given([]).when({
          ...create,
          autoExtend: true,
          grantedRoles: ['limited'],
          delegationDuration: 'P730D',
        }),
      ).toHaveLength(1);
    });
  });

  describe('SendOffer', () => {
    const send: OfferCommand = {
      type: 'SendOffer',
      partnerId: 'p1',
      recipients: ['A@x.com', 'a@x.com', 'b@y.com'],
      sentBy: 'admin@p1',
    };
    it('records the recipients once each', () =>
      expect(given([created]).when(send)).toEqual([
        {
          type: 'OfferSent',
          data: { offerId: 'o1', recipients: ['a@x.com', 'b@y.com'], sentBy: 'admin@p1', linkVersion: 1 },
        },
      ]));
    it('answers not-found to another partner and for an unknown offer', () => {
      expect(kindOf(() => given([created]).when({ ...send, partnerId: 'p2' }))).toEqual([
        'not-found',
        undefined,
      ]);
      expect(kindOf(() => given([]).when(send))).toEqual(['not-found', undefined]);
    });
    it('refuses a revoked offer', () =>
      expect(
        kindOf(() => given([created, { type: 'OfferRevoked', data: { offerId: 'o1' } }]).when(send)),
      ).toEqual(['conflict', 'offer-revoked']));
    it('refuses an expired offer, from the expiry instant on', () => {
      const expiring: OfferEvent = {
        type: 'OfferCreated',
        data: { ...(created.data as object), expiresAt: '2026-12-01T00:00:00.000Z' } as never,
      };
      expect(given([expiring]).when(send, new Date('2026-11-30T23:59:59.999Z'))).toHaveLength(1);
      expect(kindOf(() => given([expiring]).when(send, new Date('2026-12-01T00:00:00.000Z')))).toEqual([
        'conflict',
        'offer-expired',
      ]);
    });
  });

  describe('RotateLink', () => {
    it('moves to the next link version each time', () => {
      const rotated: OfferEvent = { type: 'OfferLinkRotated', data: { offerId: 'o1', codeHash: hashFor(2) } };
      expect(given([created]).when({ type: 'RotateLink', partnerId: 'p1', codeHashFor: hashFor })).toEqual([
        rotated,
      ]);
      expect(
        given([created, rotated]).when({ type: 'RotateLink', partnerId: 'p1', codeHashFor: hashFor })[0].data,
      ).toEqual({ offerId: 'o1', codeHash: hashFor(3) });
    });
    it('is refused to another partner and on a revoked offer', () => {
      expect(
        kindOf(() => given([created]).when({ type: 'RotateLink', partnerId: 'p2', codeHashFor: hashFor })),
      ).toEqual(['not-found', undefined]);
      expect(
        kindOf(() =>
          given([created, { type: 'OfferRevoked', data: { offerId: 'o1' } }]).when({
            type: 'RotateLink',
            partnerId: 'p1',
            codeHashFor: hashFor,
          }),
        ),
      ).toEqual(['conflict', 'offer-revoked']);
    });
  });

  describe('RevokeOffer', () => {
    it('revokes once; revoking again records nothing', () => {
      const revoked = given([created]).when({
        type: 'RevokeOffer',
        partnerId: 'p1',
        reason: 'campaign over',
      });
      expect(revoked).toEqual([{ type: 'OfferRevoked', data: { offerId: 'o1', reason: 'campaign over' } }]);
      expect(given([created, ...revoked]).when({ type: 'RevokeOffer', partnerId: 'p1' })).toEqual([]);
      expect(offerStatusAt(fold(offerDecider, [created, ...revoked]), now)).toBe('revoked');
    });
    it('is refused to another partner', () =>
      expect(kindOf(() => given([created]).when({ type: 'RevokeOffer', partnerId: 'p2' }))).toEqual([
        'not-found',
        undefined,
      ]));
  });

  it('parses day and week durations only', () => {
    expect([
      durationDays('P90D'),
      durationDays('P2W'),
      durationDays('P1W3D'),
      durationDays('P1Y'),
      durationDays('P'),
      durationDays('PT5H'),
    ]).toEqual([90, 14, 10, null, null, null]);
  });
});
