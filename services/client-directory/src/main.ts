import 'reflect-metadata';
import { runApp } from '@dap/platform';
import { ClientDirectoryModule } from './client-directory.module.js';

await runApp([ClientDirectoryModule], 'client-directory service');
