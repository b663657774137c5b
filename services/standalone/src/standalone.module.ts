import { Module } from '@nestjs/common';
import { OfferModule } from '@dap/offer';
import { ConsentModule } from '@dap/consent';
import { HealthModule } from '@dap/health';
import { ServiceRequestModule } from '@dap/service-request';
import { ClientDirectoryModule } from '@dap/client-directory';
import { ConsoleStaticModule } from './console-static.js';
import { DevSignInModule } from './dev-sign-in.module.js';

/** All five services in one process, on one port, over the embedded store, with the web console at `/`. */
@Module({
  imports: [
    OfferModule,
    ConsentModule,
    HealthModule,
    ServiceRequestModule,
    ClientDirectoryModule,
    ConsoleStaticModule.serve(),
    DevSignInModule.register(),
  ],
})
export class StandaloneModule {}
