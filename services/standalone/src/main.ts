import 'reflect-metadata';
import { runApp } from '@dap/platform';
import { StandaloneModule } from './standalone.module.js';

await runApp([StandaloneModule], 'delegated-admin (standalone)', { httpWorkers: true });
