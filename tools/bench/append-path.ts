import { randomUUID } from 'node:crypto';
import { PgSqlClient, SqlEventStore } from '@dap/eventsourcing';
import { drive, freeConnections, type FloorFigures } from './insert-floor.js';

const SCRATCH_STORE = 'bench_append_path';
const DATA = {
  requestId: '',
  partnerId: 'bench-partner',
  clientId: 'bench-client-000001',
  title: 'Mailbox quota raised',
  description: 'Please raise the quota of the shared mailbox.',
  severity: 'moderate',
  contact: { name: 'Bench Agent', email: 'agent@bench.example' },
  createdBy: 'agent@bench',
};

/**
 * The append path alone, as a command on a new stream uses it: `SqlEventStore.appendToStream` of one
 * event (a service request's payload) under a new stream id, expecting no stream, into a scratch store
 * on the same server (created here, dropped afterwards), one pooled connection per loop. Beside the
 * plain-INSERT floor it shows what the store's append costs over one row in its own transaction.
 */
export async function appendPath(
  url: string,
  connections: number,
  seconds: number,
): Promise<FloorFigures & { connections: number }> {
  const used = Math.min(connections, await freeConnections(url));
  const db = new PgSqlClient(url, { max: used });
  try {
    const store = await new SqlEventStore(db, SCRATCH_STORE).migrate();
    // Every connection is open before the clock starts, as in a running process.
    await Promise.all(Array.from({ length: used }, () => store.headPosition()));
    const actor = { id: 'system:bench' };
    const figures = await drive(used, seconds, async () => {
      const requestId = randomUUID();
      await store.appendToStream(
        `service-request-${requestId}`,
        [{ type: 'ServiceRequestCreated', data: { ...DATA, requestId } }],
        0,
        { actor, partnerId: DATA.partnerId },
      );
    });
    return { ...figures, connections: used };
  } finally {
    await db.exec(`DROP SCHEMA IF EXISTS ${SCRATCH_STORE} CASCADE`).finally(() => db.close());
  }
}
