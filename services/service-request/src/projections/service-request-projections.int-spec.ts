import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { MemoryEventStore, type SqlClient } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';
import { sqlEngines, type TestDatabase } from '@dap/testing';
import { accessProjection } from './access.projection.js';
import { readAccessFacts } from './access-facts.js';
import { migrateServiceRequestTables } from './service-request-tables.js';
import { serviceRequestsProjection } from './service-requests.projection.js';

const meta = { actor: { id: 'system:test' } };

/** Feeds every event twice, each time in its own transaction, as a redelivery would. */
async function feedTwice(db: SqlClient, consumer: EventConsumer, events: EventEnvelope[]) {
  for (const event of events) {
    for (let i = 0; i < 2; i++) await db.transaction((tx) => consumer.handle(event, tx));
  }
}

describe.each(sqlEngines)('service-request projections on %s', (_engine, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
    await migrateServiceRequestTables(t.db);
  });
  afterAll(async () => t.drop());

  it('tracks delegations and delegated roles from consent events, whatever the redeliveries', async () => {
    const consent = new MemoryEventStore('consent');
    const append = (stream: string, type: string, data: object) =>
      consent.appendToStream(stream, [{ type, data }], 'any', meta);
    await append('delegation-d1', 'DelegationGranted', {
      delegationId: 'd1',
      partnerId: 'p1',
      clientId: 'c1',
      grantedRoles: ['limited'],
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    await append('delegation-d1', 'DelegationExtended', {
      delegationId: 'd1',
      partnerId: 'p1',
      clientId: 'c1',
      expiresAt: '2027-06-30T00:00:00.000Z',
    });
    await append('delegation-d2', 'DelegationGranted', {
      delegationId: 'd2',
      partnerId: 'p1',
      clientId: 'c2',
      grantedRoles: ['full'],
      expiresAt: null,
    });
    await append('delegation-d2', 'DelegationRevoked', {
      delegationId: 'd2',
      partnerId: 'p1',
      clientId: 'c2',
      side: 'client',
    });
    await append('delegation-d3', 'DelegationGranted', {
      delegationId: 'd3',
      partnerId: 'p1',
      clientId: 'c3',
      grantedRoles: ['full'],
      expiresAt: null,
    });
    await append('delegation-d3', 'DelegationExpired', {
      delegationId: 'd3',
      partnerId: 'p1',
      clientId: 'c3',
    });
    await append('partner-user-p1-u1', 'RoleAssigned', {
      partnerId: 'p1',
      userId: 'u1',
      role: 'full',
      previousRole: null,
    });
    await append('partner-user-p1-u2', 'RoleAssigned', {
      partnerId: 'p1',
      userId: 'u2',
      role: 'limited',
      previousRole: null,
    });
    await append('partner-user-p1-u2', 'RoleRevoked', {
      partnerId: 'p1',
      userId: 'u2',
      previousRole: 'limited',
    });
    const events = await consent.readAll(0, 100);

    await feedTwice(t.db, accessProjection, events);
    await t.db.transaction((tx) => accessProjection.handle(events[2], tx)); // an old grant comes again

    expect(await readAccessFacts(t.db, 'p1', 'u1', 'c1')).toEqual({
      delegation: { status: 'active', grantedRoles: ['limited'], expiresAt: '2027-06-30T00:00:00.000Z' },
      assignedRole: 'full',
    });
    expect((await readAccessFacts(t.db, 'p1', 'u1', 'c2')).delegation?.status).toBe('revoked');
    expect((await readAccessFacts(t.db, 'p1', 'u1', 'c3')).delegation?.status).toBe('expired');
    expect(await readAccessFacts(t.db, 'p1', 'u2', 'c1')).toMatchObject({ assignedRole: undefined });
    expect(await readAccessFacts(t.db, 'p2', 'u1', 'c1')).toEqual({
      delegation: undefined,
      assignedRole: undefined,
    });
  });

  it('keeps each request with its status and activity, whatever the redeliveries', async () => {
    const store = new MemoryEventStore('service-request');
    await store.appendToStream(
      'service-request-r1',
      [
        {
          type: 'ServiceRequestCreated',
          data: {
            requestId: 'r1',
            partnerId: 'p1',
            clientId: 'c1',
            title: 'Cannot add domain',
            description: 'TXT record not found',
            severity: 'minimal',
            contact: { name: 'Ada', email: 'ada@c1.example' },
            createdBy: 'u1',
          },
        },
      ],
      0,
      meta,
    );
    await store.appendToStream(
      'service-request-r1',
      [{ type: 'ServiceRequestNoteAdded', data: { requestId: 'r1', text: 'Retried', author: 'u1' } }],
      1,
      meta,
    );
    await store.appendToStream(
      'service-request-r1',
      [
        {
          type: 'ServiceRequestStatusChanged',
          data: { requestId: 'r1', from: 'open', to: 'attentionNeeded', changedBy: 'u1' },
        },
      ],
      2,
      meta,
    );
    await store.appendToStream(
      'service-request-r1',
      [
        {
          type: 'ServiceRequestStatusChanged',
          data: { requestId: 'r1', from: 'attentionNeeded', to: 'closed', note: 'Solved', changedBy: 'u1' },
        },
      ],
      3,
      meta,
    );
    const events = await store.readAll(0, 100);

    await feedTwice(t.db, serviceRequestsProjection, events);
    await t.db.transaction((tx) => serviceRequestsProjection.handle(events[2], tx)); // a late, older status change

    const [row] = await t.db.query(
      `SELECT status, stream_version, contact FROM "service-request".requests WHERE request_id = 'r1'`,
    );
    expect(row).toEqual({
      status: 'closed',
      stream_version: 4,
      contact: { name: 'Ada', email: 'ada@c1.example' },
    });
    const activity = await t.db.query(
      `SELECT kind, text, from_status, to_status FROM "service-request".activity ORDER BY stream_version`,
    );
    expect(activity).toEqual([
      { kind: 'note', text: 'Retried', from_status: null, to_status: null },
      { kind: 'status', text: null, from_status: 'open', to_status: 'attentionNeeded' },
      { kind: 'status', text: 'Solved', from_status: 'attentionNeeded', to_status: 'closed' },
    ]);
  });

  it('applies a batch (creations set-wise) as it would one event at a time, and again as a redelivery', async () => {
    const clear = () =>
      t.db.exec(`DELETE FROM "service-request".requests; DELETE FROM "service-request".activity`);
    await clear(); // another store's positions: start from empty tables
    const store = new MemoryEventStore('service-request');
    const created = (requestId: string, title: string) => ({
      type: 'ServiceRequestCreated',
      data: {
        requestId,
        partnerId: 'p2',
        clientId: 'c9',
        title,
        description: 'Batch',
        severity: 'moderate',
        contact: { name: 'Bo', email: 'bo@c9.example', phone: '+1 555 0100' },
        createdBy: 'u9',
      },
    });
    await store.appendToStream('service-request-b1', [created('b1', 'First')], 0, meta);
    await store.appendToStream('service-request-b2', [created('b2', 'Second')], 0, meta);
    await store.appendToStream(
      'service-request-b1',
      [{ type: 'ServiceRequestNoteAdded', data: { requestId: 'b1', text: 'Seen', author: 'u9' } }],
      1,
      meta,
    );
    await store.appendToStream('service-request-b3', [created('b3', 'Third')], 0, meta);
    const events = await store.readAll(0, 100);
    const requests = () =>
      t.db.query<{ request_id: string; stream_version: number }>(
        `SELECT request_id, title, contact, status, created_at, updated_at, stream_version, created_position
           FROM "service-request".requests ORDER BY request_id`,
      );

    for (const event of events) await t.db.transaction((tx) => serviceRequestsProjection.handle(event, tx));
    const oneByOne = await requests();
    await clear();
    for (let i = 0; i < 2; i++)
      await t.db.transaction((tx) => serviceRequestsProjection.handleBatch!(events, tx));

    expect(await requests()).toEqual(oneByOne);
    expect(
      oneByOne.map((r: { request_id: string; stream_version: number }) => [r.request_id, r.stream_version]),
    ).toEqual([
      ['b1', 2],
      ['b2', 1],
      ['b3', 1],
    ]);
    expect(oneByOne[1]).toMatchObject({
      title: 'Second',
      status: 'open',
      contact: { name: 'Bo', email: 'bo@c9.example', phone: '+1 555 0100' },
      created_position: events[1].globalPosition,
    });
    expect(await t.db.query(`SELECT request_id, text FROM "service-request".activity`)).toEqual([
      { request_id: 'b1', text: 'Seen' },
    ]);
  });
});
