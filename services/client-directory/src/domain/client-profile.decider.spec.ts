import { describe, expect, it } from '@jest/globals';
import { DomainError, fold } from '@dap/eventsourcing';
import type { DelegationGranted, SubscriptionPayload } from '@dap/contracts';
import { clientProfileDecider as decider } from './client-profile.decider.js';
import type { ClientProfileCommand } from './client-profile.commands.js';
import type { ClientProfileEvent } from './client-profile.events.js';
import { bundledSubscriptions } from './bundled-subscriptions.js';

const now = new Date('2026-11-21T10:00:00Z');
const ids = { partnerId: 'p1', clientId: 'c1' };
const address = { line1: '1 Main St', city: 'Shanghai', postalCode: '200000', country: 'CN' };
const sub = {
  ...ids,
  subscriptionId: 's1',
  productId: 'O365_E3',
  name: 'Office 365 E3',
  quantity: 10,
  status: 'active' as const,
};

const given = (events: ClientProfileEvent[]) => ({
  when: (command: ClientProfileCommand) => decider.decide(command, fold(decider, events), now),
});
const errorOf = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a domain error');
};

describe('client profile decider: UpdateProfile', () => {
  it('records only the fields that change', () => {
    const events = given([
      { type: 'ClientProfileUpdated', data: { ...ids, name: 'Contoso', updatedBy: 'u' } },
    ]).when({
      type: 'UpdateProfile',
      ...ids,
      name: 'Contoso',
      tags: ['vip', ' gold '],
      by: 'admin@p1',
    });
    expect(events).toEqual([
      { type: 'ClientProfileUpdated', data: { ...ids, tags: ['vip', 'gold'], updatedBy: 'admin@p1' } },
    ]);
  });

  it('records nothing when nothing changes', () => {
    const history: ClientProfileEvent[] = [
      { type: 'ClientProfileUpdated', data: { ...ids, address, tags: ['a'], updatedBy: 'u' } },
    ];
    expect(
      given(history).when({ type: 'UpdateProfile', ...ids, address: { ...address }, tags: ['a'], by: 'u' }),
    ).toEqual([]);
  });

  it('removes duplicate tags case-insensitively', () => {
    const [event] = given([]).when({ type: 'UpdateProfile', ...ids, tags: ['VIP', 'vip', 'x'], by: 'u' });
    expect(event.data).toMatchObject({ tags: ['VIP', 'x'] });
  });

  it('refuses more than 30 tags, a tag over 40 characters, an empty name, an empty command', () => {
    const tooMany = Array.from({ length: 31 }, (_, i) => `t${i}`);
    expect(
      errorOf(() => given([]).when({ type: 'UpdateProfile', ...ids, tags: tooMany, by: 'u' })).details.field,
    ).toBe('tags');
    expect(
      errorOf(() => given([]).when({ type: 'UpdateProfile', ...ids, tags: ['x'.repeat(41)], by: 'u' }))
        .details.field,
    ).toBe('tags[0]');
    expect(errorOf(() => given([]).when({ type: 'UpdateProfile', ...ids, name: '  ', by: 'u' })).kind).toBe(
      'invalid',
    );
    expect(errorOf(() => given([]).when({ type: 'UpdateProfile', ...ids, by: 'u' })).kind).toBe('invalid');
  });

  it('accepts exactly 30 tags of 40 characters', () => {
    const tags = Array.from({ length: 30 }, (_, i) => `${i}`.padEnd(40, 'x'));
    expect(given([]).when({ type: 'UpdateProfile', ...ids, tags, by: 'u' })).toHaveLength(1);
  });

  it('refuses an address without a valid country', () => {
    const err = errorOf(() =>
      given([]).when({ type: 'UpdateProfile', ...ids, address: { ...address, country: 'China' }, by: 'u' }),
    );
    expect(err.details.field).toBe('address.country');
  });
});

describe('client profile decider: subscriptions', () => {
  it('adds a new subscription, changes it, and records nothing when it is the same', () => {
    expect(given([]).when({ type: 'PutSubscription', ...sub })).toEqual([
      { type: 'SubscriptionAdded', data: sub },
    ]);
    const history: ClientProfileEvent[] = [{ type: 'SubscriptionAdded', data: sub }];
    expect(given(history).when({ type: 'PutSubscription', ...sub, quantity: 12 })).toEqual([
      { type: 'SubscriptionChanged', data: { ...sub, quantity: 12 } },
    ]);
    expect(given(history).when({ type: 'PutSubscription', ...sub })).toEqual([]);
  });

  it('removes an existing subscription; an unknown one is not found', () => {
    const history: ClientProfileEvent[] = [{ type: 'SubscriptionAdded', data: sub }];
    expect(given(history).when({ type: 'RemoveSubscription', ...ids, subscriptionId: 's1' })).toEqual([
      { type: 'SubscriptionRemoved', data: sub },
    ]);
    const removed: ClientProfileEvent[] = [...history, { type: 'SubscriptionRemoved', data: sub }];
    expect(
      errorOf(() => given(removed).when({ type: 'RemoveSubscription', ...ids, subscriptionId: 's1' })).kind,
    ).toBe('not-found');
  });

  it('re-adds a removed subscription on PUT', () => {
    const removed: ClientProfileEvent[] = [
      { type: 'SubscriptionAdded', data: sub },
      { type: 'SubscriptionRemoved', data: sub },
    ];
    expect(given(removed).when({ type: 'PutSubscription', ...sub })[0].type).toBe('SubscriptionAdded');
  });

  it('refuses a zero quantity and a malformed id', () => {
    expect(
      errorOf(() => given([]).when({ type: 'PutSubscription', ...sub, quantity: 0 })).details.field,
    ).toBe('quantity');
    expect(
      errorOf(() => given([]).when({ type: 'PutSubscription', ...sub, subscriptionId: '../x' })).details
        .field,
    ).toBe('subscriptionId');
  });
});

describe('client profile decider: bundled subscriptions', () => {
  const granted = {
    delegationId: 'd1',
    ...ids,
    includes: { trial: { productId: 'O365_E5' }, purchase: { productId: 'O365_E3', quantity: 40 } },
  } as DelegationGranted;

  it('turns a bundled trial and purchase into one subscription each', () => {
    const commands = bundledSubscriptions(granted);
    expect(commands.map((c) => [c.subscriptionId, c.status, c.quantity])).toEqual([
      ['d1-trial', 'trial', 25],
      ['d1-purchase', 'active', 40],
    ]);
    expect(bundledSubscriptions({ ...granted, includes: {} })).toEqual([]);
  });

  it('provisions once, even after the partner removed it', () => {
    const [trial] = bundledSubscriptions(granted);
    const [added] = given([]).when(trial);
    expect(added).toMatchObject({
      type: 'SubscriptionAdded',
      data: { subscriptionId: 'd1-trial', delegationId: 'd1' },
    });
    expect(given([added]).when(trial)).toEqual([]);
    expect(
      given([added, { type: 'SubscriptionRemoved', data: added.data as SubscriptionPayload }]).when(trial),
    ).toEqual([]);
  });
});
