import 'reflect-metadata';
import { runApp } from '@dap/platform';
import { ConsentModule } from './consent.module.js';

await runApp([ConsentModule], 'consent service');
