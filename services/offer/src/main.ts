import 'reflect-metadata';
import { runApp } from '@dap/platform';
import { OfferModule } from './offer.module.js';

await runApp([OfferModule], 'offer service');
