import { becomeHttpWorkersPrimary, databaseReady } from '@dap/platform/http-workers';

const TITLE = 'delegated-admin (standalone)';

// The primary of several HTTP workers loads none of the application; each worker (or a single process)
// runs it, loading it while the primary starts the database server.
if (!(await becomeHttpWorkersPrimary(TITLE))) {
  await import('reflect-metadata');
  const [{ runApp }, { StandaloneModule }] = await Promise.all([
    import('@dap/platform'),
    import('./standalone.module.js'),
    databaseReady(),
  ]);
  await runApp([StandaloneModule], TITLE);
}
