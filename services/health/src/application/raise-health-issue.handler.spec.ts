import { describe, expect, it } from '@jest/globals';
import { MemoryEventStore, type StreamAppend } from '@dap/eventsourcing';
import { raiseHealthIssue, type RaiseHealthIssueInput } from './raise-health-issue.handler.js';
import { updateHealthIssue } from './update-health-issue.handler.js';

const now = new Date('2026-11-21T10:00:00.000Z');
const meta = { actor: { id: 'health-feed' } };
const input = (clientIds: string[]): RaiseHealthIssueInput => ({
  issueId: 'EX1',
  clientIds,
  service: 'Exchange Online',
  classification: 'incident',
  title: 'Mail delays',
  impactDescription: 'Mail is delayed',
  status: 'investigating',
  startDateTime: '2026-11-21T09:00:00.000Z',
});

/** A memory store that counts atomic multi-stream appends. */
class CountingStore extends MemoryEventStore {
  multiAppends = 0;
  override async appendToStreams(
    appends: StreamAppend[],
    metadata: Parameters<MemoryEventStore['appendToStreams']>[1],
  ) {
    this.multiAppends += 1;
    return super.appendToStreams(appends, metadata);
  }
}

describe('raising and updating a health issue for many clients', () => {
  it('appends one stream per client in one atomic append, and leaves clients that have it alone', async () => {
    const store = new CountingStore('health');
    await raiseHealthIssue(store, input(['c1']), now, meta);
    const result = await raiseHealthIssue(store, input(['c1', 'c2', 'c3', 'c2']), now, meta);
    expect(result.raised.sort()).toEqual(['c2', 'c3']);
    expect(result.unchanged).toEqual(['c1']);
    expect(store.multiAppends).toBe(2);
    const events = await store.readAll(0, 100);
    expect(events.map((e) => e.subject)).toEqual([
      'health-issue-EX1:c1',
      'health-issue-EX1:c2',
      'health-issue-EX1:c3',
    ]);
    expect(result.globalPosition).toBe(3);
  });

  it('reports nothing changed when every client has the issue already', async () => {
    const store = new MemoryEventStore('health');
    await raiseHealthIssue(store, input(['c1', 'c2']), now, meta);
    expect(await raiseHealthIssue(store, input(['c1', 'c2']), now, meta)).toMatchObject({
      raised: [],
      globalPosition: null,
    });
  });

  it('updates and resolves per client, names unknown clients, and answers 404 when none has the issue', async () => {
    const store = new MemoryEventStore('health');
    await raiseHealthIssue(store, input(['c1', 'c2']), now, meta);
    const result = await updateHealthIssue(
      store,
      { issueId: 'EX1', status: 'serviceRestored', message: 'Fixed', clientIds: ['c1', 'c9'] },
      now,
      meta,
    );
    expect(result).toMatchObject({ resolved: ['c1'], updated: [], unknownClients: ['c9'] });
    const progress = await updateHealthIssue(
      store,
      { issueId: 'EX1', status: 'restoringService', message: 'Soon', clientIds: ['c2'] },
      now,
      meta,
    );
    expect(progress.updated).toEqual(['c2']);
    await expect(
      updateHealthIssue(
        store,
        { issueId: 'EX1', status: 'serviceRestored', message: 'x', clientIds: ['c9'] },
        now,
        meta,
      ),
    ).rejects.toMatchObject({
      kind: 'not-found',
    });
  });
});
