import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@dap/eventsourcing';
import { CurrentPrincipal, Roles, type Principal } from '@dap/platform';
import { AccessDecisions } from '../application/access-decisions.service.js';
import { AccessDecisionQueryDto } from './consent.dto.js';

/**
 * May this user of the caller's partner do this action on this client (SPEC §4)? A partner admin
 * asks about any of its users; an agent only about itself. Decided from the event streams.
 */
@ApiTags('consent')
@ApiBearerAuth()
@Roles('partner.admin', 'partner.agent')
@Controller('access-decisions')
export class AccessDecisionsController {
  constructor(@Inject(AccessDecisions) private readonly decisions: AccessDecisions) {}

  @Get()
  decide(@CurrentPrincipal() principal: Principal, @Query() query: AccessDecisionQueryDto) {
    if (!principal.roles.includes('partner.admin') && query.userId !== principal.sub) {
      throw new DomainError('forbidden', 'an agent may only ask about its own access');
    }
    return this.decisions.decide(principal.tid, query.userId, query.clientId, query.action);
  }
}
