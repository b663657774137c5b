import 'reflect-metadata';
import { runApp } from '@dap/platform';
import { ServiceRequestModule } from './service-request.module.js';

await runApp([ServiceRequestModule], 'service-request service');
