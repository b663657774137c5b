import type { RebuildableProjection } from './projection-rebuild.js';

/**
 * The read models the rebuild tool knows, by consumer name. Each entry loads its service lazily, so
 * the tool only pulls in the service it rebuilds. Services add their projections here.
 */
export const projections: Record<string, () => Promise<RebuildableProjection>> = {
  'client-directory.client-list': async () => {
    const m = await import('@dap/client-directory');
    return {
      consumer: new m.ClientListProjection(),
      schema: m.CLIENT_DIRECTORY,
      tables: m.CLIENT_LIST_TABLES,
      ddl: m.clientListDdl,
    };
  },
};
