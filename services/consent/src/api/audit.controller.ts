import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadModel, Roles, type Principal } from '@dap/platform';
import { AuditTrail, type AuditScope } from '../audit/audit-trail.js';
import { auditChainProjection } from '../projections/audit-chain.projection.js';
import { AccessEventsQueryDto, AccessSnapshotQueryDto } from './consent.dto.js';

/** A partner admin reads its own partner's trail; a platform auditor everyone's. */
const scopeOf = (p: Principal): AuditScope => ({
  partnerId: p.roles.includes('platform.auditor') ? null : p.tid,
});

@ApiTags('audit')
@ApiBearerAuth()
@Roles('partner.admin', 'platform.auditor')
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditTrail) private readonly trail: AuditTrail) {}

  @Get('access-events')
  @ReadModel(auditChainProjection.name)
  events(@CurrentPrincipal() principal: Principal, @Query() query: AccessEventsQueryDto) {
    return this.trail.accessEvents(scopeOf(principal), query);
  }

  @Get('access-snapshot')
  @ReadModel(auditChainProjection.name)
  snapshot(@CurrentPrincipal() principal: Principal, @Query() query: AccessSnapshotQueryDto) {
    return this.trail.snapshot(scopeOf(principal), query.clientId, query.at);
  }

  @Get('verify')
  @ReadModel(auditChainProjection.name)
  verify() {
    return this.trail.verify();
  }
}
