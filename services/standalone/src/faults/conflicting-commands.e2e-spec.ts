import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@dap/contracts';
import { EventStores } from '@dap/platform';
import { startTestApp, type TestApp } from '@dap/testing';
import { StandaloneModule } from '../standalone.module.js';
import { runBounded } from './bounded-pool.js';
import { delegatedPartner, type DelegatedPartner } from './delegated-partner.js';
import { httpClient, positionOf, versionOf, type Reply } from './http-client.js';
import { seededRandom, seedFrom } from './seeded-random.js';

/**
 * FAULTS_COMMANDS / FAULTS_IN_FLIGHT / FAULTS_SEED make a larger or a repeated run
 * (FAULTS_COMMANDS=10000 takes about 90 s here: every command reads its whole stream, so the rate
 * falls as the few streams grow).
 */
const COMMANDS = Number(process.env.FAULTS_COMMANDS) || 1_500;
const IN_FLIGHT = Number(process.env.FAULTS_IN_FLIGHT) || 100;
const AGGREGATES = 3;
const ROLES = ['full', 'limited', 'none'] as const;
const STATUSES = ['open', 'attentionNeeded', 'closed'] as const;

type Kind = 'role' | 'status' | 'note' | 'profile';
interface Command {
  id: string;
  kind: Kind;
  /** Which user (role) or service request (status, note); the one client's profile is 0. */
  target: number;
  value: string;
  ifMatch?: number;
}
interface Outcome extends Command {
  status: number;
  reason?: string;
  version?: number;
  position?: number;
  /** Role commands say whether they recorded an event; the others are matched to events by correlation id. */
  changed?: boolean;
}

/**
 * Many clients at once on a few aggregates: delegated-role flips (PUT …/delegated-role), service
 * request status changes and notes, and client profile renames (PATCH /clients/{id}), some with
 * If-Match taken from the latest ETag seen. Every answer
 * is then checked against the events the store holds: each accepted change is exactly one event at
 * the version it answered, nothing a loser sent was recorded, and the accepted commands replayed in
 * version order give the state the read API returns.
 */
describe('conflicting commands on a few aggregates, concurrently over HTTP', () => {
  const seed = seedFrom('FAULTS_SEED');
  let t: TestApp;
  let p: DelegatedPartner;
  const requests: string[] = [];
  const users = Array.from({ length: AGGREGATES }, (_, i) => `flip-${i}@partner-a`);

  beforeAll(async () => {
    t = await startTestApp([StandaloneModule], { engine: 'postgres' });
    const request = httpClient(t.baseUrl);
    p = await delegatedPartner(request, 'partner-a', 'tenant-c1');
    for (let i = 0; i < AGGREGATES; i++) {
      const created = await request('POST', '/api/v1/service-requests', {
        token: p.agent,
        headers: { 'x-min-position': p.ready },
        body: {
          clientId: p.clientId,
          title: `Request ${i}`,
          description: 'Contended',
          severity: 'moderate',
          contact: { name: 'Ops', email: 'ops@c1.example' },
        },
      });
      expect(created.status).toBe(201);
      requests.push(created.body.id);
    }
  }, 60_000);
  afterAll(async () => t?.close());

  it('loses no update: every loser is a 409 or 412, and the final state is a serial replay of the winners', async () => {
    const random = seededRandom(seed);
    const request = httpClient(t.baseUrl);
    const latest = { role: [0, 0, 0], request: [1, 1, 1], profile: [0] };
    const commands: Command[] = Array.from({ length: COMMANDS }, (_, i) => {
      const kind = random.pick<Kind>(['role', 'role', 'status', 'status', 'note', 'profile']);
      const value =
        kind === 'role' ? random.pick(ROLES) : kind === 'status' ? random.pick(STATUSES) : `${kind} ${i}`;
      return {
        id: `faults-${seed}-${i}`,
        kind,
        target: kind === 'profile' ? 0 : random.int(AGGREGATES),
        value,
      };
    });
    const withIfMatch = commands.map(() => random.next() < 0.4);

    const started = performance.now();
    const outcomes = await runBounded(COMMANDS, IN_FLIGHT, async (i): Promise<Outcome> => {
      const c = commands[i];
      // Requests share a stream between status and notes: the ETag seen last for it, whoever wrote it.
      const seen = c.kind === 'role' || c.kind === 'profile' ? latest[c.kind] : latest.request;
      if (withIfMatch[i]) c.ifMatch = seen[c.target];
      const headers: Record<string, string> = { 'x-correlation-id': c.id };
      if (c.ifMatch !== undefined) headers['if-match'] = `"${c.ifMatch}"`;
      let reply: Reply;
      if (c.kind === 'profile')
        reply = await request('PATCH', `/api/v1/clients/${p.clientId}`, {
          token: p.admin,
          headers,
          body: { name: c.value },
        });
      else if (c.kind === 'role')
        reply = await request('PUT', `/api/v1/partner-users/${users[c.target]}/delegated-role`, {
          token: p.admin,
          headers,
          body: { role: c.value },
        });
      else
        reply = await request(
          'POST',
          `/api/v1/service-requests/${requests[c.target]}/${c.kind === 'note' ? 'notes' : 'status'}`,
          { token: p.agent, headers, body: c.kind === 'note' ? { text: c.value } : { status: c.value } },
        );
      const outcome: Outcome = { ...c, status: reply.status, reason: reply.body?.reason };
      if (reply.status < 300) {
        outcome.version = versionOf(reply);
        outcome.position = positionOf(reply);
        if (c.kind === 'role') outcome.changed = reply.body.changed;
        seen[c.target] = Math.max(seen[c.target], outcome.version);
      }
      return outcome;
    });
    const seconds = (performance.now() - started) / 1000;

    const count = (f: (o: Outcome) => boolean) => outcomes.filter(f).length;
    const figures = {
      seed,
      sent: COMMANDS,
      inFlight: IN_FLIGHT,
      acknowledged: count((o) => o.status < 300),
      conflicts409: count((o) => o.status === 409 && o.reason === 'concurrent-change'),
      refused409: count((o) => o.status === 409 && o.reason !== 'concurrent-change'),
      stale412: count((o) => o.status === 412),
      withIfMatch: count((o) => o.ifMatch !== undefined),
      commandsPerSecond: Math.round(COMMANDS / seconds),
    };
    console.log(`conflicting commands: ${JSON.stringify(figures)}`);
    const unexpected = outcomes.filter((o) => ![200, 201, 409, 412].includes(o.status));
    expect(unexpected.slice(0, 5)).toEqual([]);
    // 412 only answers an If-Match; a 409 without a reason is not a conflict this test knows.
    expect(outcomes.filter((o) => o.status === 412 && o.ifMatch === undefined)).toEqual([]);
    const reasons = new Set(outcomes.filter((o) => o.status === 409).map((o) => o.reason));
    expect(
      [...reasons].filter((r) => !['concurrent-change', 'invalid-transition', 'closed'].includes(r!)),
    ).toEqual([]);
    expect(figures.conflicts409 + figures.stale412).toBeGreaterThan(0);

    const all = async (store: string) =>
      (await t.app.get(EventStores).open(store)).readAll(0, COMMANDS + 1000) as Promise<
        EventEnvelope<string, any>[]
      >;
    const consentEvents = await all('consent');
    const requestEvents = await all('service-request');
    const directoryEvents = await all('client-directory');
    const lastPosition = { consent: 0, 'service-request': 0 };
    const byId = new Map(outcomes.map((o) => [o.id, o]));

    // The client profile: every rename is one event, written by an acknowledged command at its version.
    const renames = directoryEvents.filter((e) => e.data.clientId === p.clientId);
    const profileCommands = outcomes.filter((o) => o.kind === 'profile');
    expect(renames.map((e) => e.streamVersion)).toEqual(renames.map((_, i) => i + 1));
    for (const e of renames) {
      const claim = byId.get(e.correlationId!);
      expect([e.type, claim?.status, claim?.version, claim?.position, claim?.value]).toEqual([
        'ClientProfileUpdated',
        200,
        e.streamVersion,
        e.globalPosition,
        e.data.name,
      ]);
    }
    const renamed = new Set(renames.map((e) => e.correlationId));
    expect(profileCommands.filter((o) => o.status === 200 && !renamed.has(o.id))).toEqual([]);
    for (const o of profileCommands.filter((o) => o.status === 200 && o.ifMatch !== undefined))
      expect(o.version).toBe(o.ifMatch! + 1);
    for (const o of profileCommands.filter((o) => o.status === 412))
      expect(o.ifMatch).toBeLessThan(renames.length);
    const client = await request('GET', `/api/v1/clients/${p.clientId}`, {
      token: p.admin,
      headers: { 'x-min-position': `client-directory:${renames.at(-1)?.globalPosition ?? 0}` },
    });
    expect([client.status, client.body.name]).toEqual([200, renames.at(-1)?.data.name]);

    for (let target = 0; target < AGGREGATES; target++) {
      // Roles: each accepted change is one event at its version, the events are exactly those.
      const events = consentEvents.filter(
        (e) => (e.type === 'RoleAssigned' || e.type === 'RoleRevoked') && e.data.userId === users[target],
      );
      const mine = outcomes.filter((o) => o.kind === 'role' && o.target === target);
      const changes = mine.filter((o) => o.status < 300 && o.changed);
      expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
      expect(changes.map((o) => o.version).sort((a, b) => a! - b!)).toEqual(
        events.map((e) => e.streamVersion),
      );
      const roleAt = [null as string | null];
      for (const e of events) {
        const claim = changes.find((o) => o.version === e.streamVersion)!;
        expect([claim.value, claim.position]).toEqual([
          e.type === 'RoleRevoked' ? 'none' : e.data.role,
          e.globalPosition,
        ]);
        // Decided on the state just before it, not on a stale read.
        expect(e.data.previousRole).toBe(roleAt.at(-1));
        roleAt.push(e.type === 'RoleRevoked' ? null : e.data.role);
        lastPosition.consent = Math.max(lastPosition.consent, e.globalPosition);
      }
      for (const o of mine.filter((o) => o.status < 300)) {
        if (o.ifMatch !== undefined) expect(o.version).toBe(o.ifMatch + (o.changed ? 1 : 0));
        if (!o.changed) expect([o.id, roleAt[o.version!] ?? 'none']).toEqual([o.id, o.value]);
      }
      for (const o of mine.filter((o) => o.status === 412)) expect(o.ifMatch).toBeLessThan(events.length);

      // Service requests: events carry the correlation id of the command that wrote them.
      const stream = requestEvents.filter((e) => e.data.requestId === requests[target]);
      expect(stream.map((e) => e.streamVersion)).toEqual(stream.map((_, i) => i + 1));
      expect(stream[0].type).toBe('ServiceRequestCreated');
      const statusAt: string[] = ['', 'open'];
      const activity: object[] = [];
      for (const e of stream.slice(1)) {
        const claim = byId.get(e.correlationId!);
        const acknowledged = claim !== undefined && claim.status < 300;
        expect([e.streamVersion, acknowledged, claim?.version, claim?.position]).toEqual([
          e.streamVersion,
          true,
          e.streamVersion,
          e.globalPosition,
        ]);
        expect(claim!.target).toBe(target);
        if (e.type === 'ServiceRequestStatusChanged') {
          expect([claim!.kind, claim!.value, e.data.from]).toEqual(['status', e.data.to, statusAt.at(-1)]);
          activity.push({ kind: 'status', from: e.data.from, to: e.data.to });
          statusAt.push(e.data.to);
        } else {
          expect([e.type, claim!.kind, e.data.text]).toEqual([
            'ServiceRequestNoteAdded',
            'note',
            claim!.value,
          ]);
          activity.push({ kind: 'note', text: e.data.text });
          statusAt.push(statusAt.at(-1)!);
        }
        lastPosition['service-request'] = Math.max(lastPosition['service-request'], e.globalPosition);
      }
      const written = new Set(stream.map((e) => e.correlationId));
      const onRequest = outcomes.filter(
        (o) => (o.kind === 'status' || o.kind === 'note') && o.target === target,
      );
      for (const o of onRequest.filter((o) => o.status < 300 && !written.has(o.id))) {
        // Accepted without an event: only a status change to the status it had at that version.
        expect([o.id, o.kind, statusAt[o.version!]]).toEqual([o.id, 'status', o.value]);
        if (o.ifMatch !== undefined) expect(o.version).toBe(o.ifMatch);
      }
      for (const o of onRequest.filter((o) => o.status < 300 && written.has(o.id) && o.ifMatch !== undefined))
        expect(o.version).toBe(o.ifMatch! + 1);
      for (const o of onRequest.filter((o) => o.status === 412))
        expect(o.ifMatch).toBeLessThan(stream.length);
      // A refused transition or note needs a closed request at some point.
      if (onRequest.some((o) => o.reason === 'invalid-transition' || o.reason === 'closed'))
        expect(statusAt).toContain('closed');

      // The read API, once it has caught up with the last accepted command, shows the replayed state.
      const view = await request('GET', `/api/v1/service-requests/${requests[target]}`, {
        token: p.agent,
        headers: { 'x-min-position': `service-request:${lastPosition['service-request']}` },
      });
      expect(view.status).toBe(200);
      expect(view.body.status).toBe(statusAt.at(-1));
      expect(versionOf(view)).toBe(stream.length);
      const shown = (view.body.activity as Record<string, unknown>[]).map(({ kind, text, from, to }) =>
        kind === 'note' ? { kind, text } : { kind, from, to },
      );
      expect(shown).toEqual(activity);
    }

    const list = await request('GET', '/api/v1/partner-users?limit=100', {
      token: p.admin,
      headers: { 'x-min-position': `consent:${lastPosition.consent}` },
    });
    expect(list.status).toBe(200);
    for (let target = 0; target < AGGREGATES; target++) {
      const changes = outcomes
        .filter((o) => o.kind === 'role' && o.target === target && o.status < 300 && o.changed)
        .sort((a, b) => a.version! - b.version!);
      const replayed = changes.at(-1)?.value ?? 'none';
      const listed = (list.body.items as { userId: string; role: string }[]).find(
        (u) => u.userId === users[target],
      );
      expect([users[target], listed?.role ?? 'none']).toEqual([users[target], replayed]);
    }
  }, 600_000);
});
