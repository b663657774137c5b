import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { MemoryEventStore, type SqlClient } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';
import { sqlEngines, type TestDatabase } from '@dap/testing';
import { healthIssuesProjection } from './health-issues.projection.js';
import { migrateHealthTables } from './health-tables.js';
import { partnerClientsProjection } from './partner-clients.projection.js';

const meta = { actor: { id: 'system:test' } };

/** Feeds every event twice, each time in its own transaction, as a redelivery would. */
async function feedTwice(db: SqlClient, consumer: EventConsumer, events: EventEnvelope[]) {
  for (const event of events) {
    for (let i = 0; i < 2; i++) await db.transaction((tx) => consumer.handle(event, tx));
  }
}

describe.each(sqlEngines)('health projections on %s', (_engine, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
    await migrateHealthTables(t.db);
  });
  afterAll(async () => t.drop());

  it('keeps the delegations that let each partner see a client, whatever the redeliveries', async () => {
    const consent = new MemoryEventStore('consent');
    const grant = (delegationId: string, partnerId: string, clientId: string) => ({
      type: 'DelegationGranted',
      data: { delegationId, partnerId, clientId, grantedRoles: ['full'] },
    });
    await consent.appendToStream('delegation-d1', [grant('d1', 'p1', 'c1')], 'any', meta);
    await consent.appendToStream('delegation-d2', [grant('d2', 'p1', 'c2')], 'any', meta);
    await consent.appendToStream('delegation-d3', [grant('d3', 'p2', 'c1')], 'any', meta);
    await consent.appendToStream(
      'delegation-d2',
      [{ type: 'DelegationRevoked', data: { delegationId: 'd2', partnerId: 'p1', clientId: 'c2' } }],
      'any',
      meta,
    );
    await consent.appendToStream(
      'delegation-d3',
      [{ type: 'DelegationExpired', data: { delegationId: 'd3', partnerId: 'p2', clientId: 'c1' } }],
      'any',
      meta,
    );
    await consent.appendToStream('delegation-d4', [grant('d4', 'p2', 'c3')], 'any', meta);
    const events = await consent.readAll(0, 100);

    await feedTwice(t.db, partnerClientsProjection, events);
    // Replaying an old grant after the revocation must not bring the client back.
    await t.db.transaction((tx) => partnerClientsProjection.handle(events[1], tx));

    const rows = await t.db.query(
      `SELECT partner_id, client_id FROM health.partner_clients WHERE active ORDER BY partner_id, client_id`,
    );
    expect(rows).toEqual([
      { partner_id: 'p1', client_id: 'c1' },
      { partner_id: 'p2', client_id: 'c3' },
    ]);
  });

  it('keeps one row per (client, issue) with its latest status, whatever the redeliveries', async () => {
    const store = new MemoryEventStore('health');
    const raised = (clientId: string, classification = 'incident') => ({
      type: 'HealthIssueRaised',
      data: {
        issueId: 'EX1',
        clientId,
        service: 'Exchange Online',
        classification,
        title: 'Mail delays',
        impactDescription: 'Mail is delayed',
        status: 'investigating',
        startDateTime: '2026-11-21T09:00:00.000Z',
      },
    });
    await store.appendToStreams(
      [
        { streamId: 'health-issue-EX1:c1', events: [raised('c1')], expectedVersion: 0 },
        { streamId: 'health-issue-EX1:c2', events: [raised('c2')], expectedVersion: 0 },
      ],
      meta,
    );
    const update = (clientId: string, status: string, message: string) => ({
      type: 'HealthIssueUpdated',
      data: { issueId: 'EX1', clientId, status, message },
    });
    await store.appendToStream(
      'health-issue-EX1:c1',
      [update('c1', 'serviceDegradation', 'Mitigating')],
      1,
      meta,
    );
    await store.appendToStream(
      'health-issue-EX1:c2',
      [update('c2', 'restoringService', 'Fix rolling out')],
      1,
      meta,
    );
    await store.appendToStream(
      'health-issue-EX1:c2',
      [
        {
          type: 'HealthIssueResolved',
          data: {
            issueId: 'EX1',
            clientId: 'c2',
            status: 'serviceRestored',
            endDateTime: '2026-11-21T11:00:00.000Z',
            message: 'Fixed',
          },
        },
      ],
      2,
      meta,
    );
    const events = await store.readAll(0, 100);

    await feedTwice(t.db, healthIssuesProjection, events);
    // A late redelivery of an older update must not roll the status back.
    await t.db.transaction((tx) => healthIssuesProjection.handle(events[3], tx));

    const rows = await t.db.query(
      `SELECT client_id, issue_id, status, active, last_message, end_date_time IS NOT NULL AS ended, stream_version
         FROM health.issues ORDER BY client_id`,
    );
    expect(rows).toEqual([
      {
        client_id: 'c1',
        issue_id: 'EX1',
        status: 'serviceDegradation',
        active: true,
        last_message: 'Mitigating',
        ended: false,
        stream_version: 2,
      },
      {
        client_id: 'c2',
        issue_id: 'EX1',
        status: 'serviceRestored',
        active: false,
        last_message: 'Fixed',
        ended: true,
        stream_version: 3,
      },
    ]);
  });
});
