import { Module } from '@nestjs/common';
import { OfferModule } from '@dap/offer';
import { ConsentModule } from '@dap/consent';
import { HealthModule } from '@dap/health';
import { ServiceRequestModule } from '@dap/service-request';
import { ClientDirectoryModule } from '@dap/client-directory';

/** All five services in one process, on one port, over the embedded store. */
@Module({
  imports: [OfferModule, ConsentModule, HealthModule, ServiceRequestModule, ClientDirectoryModule],
})
export class StandaloneModule {}
