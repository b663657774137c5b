import 'reflect-metadata';
import { runApp } from '@dap/platform';
import { HealthModule } from './health.module.js';

await runApp([HealthModule], 'health service');
