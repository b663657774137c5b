import { describe, expect, it } from '@jest/globals';
import { eventSchemas } from '@dap/contracts';
import { MemoryEventStore } from '@dap/eventsourcing';
import { schemaChecked, UnpublishableEventError } from './schema-checked-store.js';

const meta = { actor: { id: 'system:test' } };
const created = {
  offerId: 'o1',
  partnerId: 'p1',
  includes: {},
  grantedRoles: ['limited'],
  delegationDuration: null,
  autoExtend: false,
  expiresAt: null,
  codeHash: 'a'.repeat(64),
};

describe('schemaChecked store', () => {
  it('appends events that match their published schema', async () => {
    const store = schemaChecked(new MemoryEventStore('offer'));
    await store.appendToStream('offer-o1', [{ type: 'OfferCreated', data: created }], 0, meta);
    expect(await store.readStream('offer-o1')).toHaveLength(1);
  });

  it('refuses, and writes nothing, when one event of a batch breaks its schema or has none', async () => {
    const inner = new MemoryEventStore('offer');
    const store = schemaChecked(inner);
    const bad = { ...created, codeHash: 'the-code-itself' };
    await expect(
      store.appendToStream('offer-o2', [{ type: 'OfferCreated', data: bad }], 0, meta),
    ).rejects.toBeInstanceOf(UnpublishableEventError);
    await expect(
      store.appendToStreams(
        [
          {
            streamId: 'x',
            events: [
              { type: 'OfferCreated', data: created },
              { type: 'Unheard', data: {} },
            ],
            expectedVersion: 0,
          },
        ],
        meta,
      ),
    ).rejects.toThrow('Unheard v1 does not match its schema: no schema for Unheard v1');
    expect(await inner.headPosition()).toBe(0);
  });

  it('knows a schema for every event of the five services', () => {
    const types = Object.keys(eventSchemas);
    for (const t of [
      'OfferCreated',
      'DelegationGranted',
      'RoleAssigned',
      'ClientProfileUpdated',
      'SubscriptionAdded',
      'HealthIssueRaised',
      'HealthIssueResolved',
      'ServiceRequestCreated',
      'ServiceRequestStatusChanged',
    ])
      expect(types).toContain(t);
  });
});
