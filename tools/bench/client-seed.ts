import { validateEventData } from '@dap/contracts';
import { SqlEventStore, type SqlClient, type StreamAppend } from '@dap/eventsourcing';
import { CONSENT, delegationIdFor, delegationStream } from '@dap/consent';
import type { ApiClient } from './api-client.js';
import { clientDescription, clientIdOf, PARTNER } from './client-population.js';

/** The offer the seeded clients accepted (a real one, created over the API first). */
export interface SeedOffer {
  offerId: string;
  grantedRoles: ('full' | 'limited')[];
}

/** Creates the offer the seeded clients accept, over the API, and waits until the consumers have it. */
export async function createSeedOffer(api: ApiClient, adminToken: string): Promise<SeedOffer> {
  const offer = await api.ok<{ id: string; grantedRoles: SeedOffer['grantedRoles'] }>(
    'POST',
    '/api/v1/offers',
    adminToken,
    { grantedRoles: ['full', 'limited'] },
  );
  await api.settle();
  return { offerId: offer.id, grantedRoles: offer.grantedRoles };
}

export interface ClientSeedReport {
  events: number;
  appends: number;
  ms: number;
}

/**
 * Seeds `count` clients of PARTNER the way acceptances would: one DelegationGranted each (first
 * generation, stream `delegation-<id>` at version 0), with the consent decider's payload and
 * checked against its published JSON Schema, appended to consent's store with the store adapter
 * (`SqlEventStore.appendToStreams`, `batch` streams per append). The standalone's own consumers
 * turn them into rows.
 */
export async function seedClients(
  db: SqlClient,
  offer: SeedOffer,
  count: number,
  batch = 2000,
): Promise<ClientSeedReport> {
  const store = await new SqlEventStore(db, CONSENT).migrate();
  const started = performance.now();
  const grantedAt = new Date();
  let events = 0;
  let appends = 0;
  for (let from = 1; from <= count; from += batch) {
    const streams: StreamAppend[] = [];
    for (let i = from; i < Math.min(from + batch, count + 1); i++) {
      const clientId = clientIdOf(i);
      const delegationId = delegationIdFor(PARTNER, clientId, 1);
      const data = {
        delegationId,
        partnerId: PARTNER,
        clientId,
        offerId: offer.offerId,
        grantedRoles: offer.grantedRoles,
        grantedBy: `admin@${clientId}`,
        grantedAt: grantedAt.toISOString(),
        expiresAt: null,
        delegationDuration: null,
        autoExtend: false,
        client: clientDescription(i),
        includes: {},
        partnerContacts: [],
      };
      const check = validateEventData('DelegationGranted', 1, data);
      if (!check.ok) throw new Error(`DelegationGranted fails its schema: ${check.errors.join('; ')}`);
      streams.push({
        streamId: delegationStream(delegationId),
        expectedVersion: 0,
        events: [{ type: 'DelegationGranted', data }],
      });
    }
    await store.appendToStreams(streams, {
      actor: { id: 'system:bench-seed' },
      partnerId: PARTNER,
      time: grantedAt,
    });
    events += streams.length;
    appends += 1;
  }
  return { events, appends, ms: Math.round(performance.now() - started) };
}
