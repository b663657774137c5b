import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { notFound } from '@dap/eventsourcing';
import { CurrentPrincipal, jsonResponse, ReadModel, Roles, type Principal } from '@dap/platform';
import { HealthCommands } from '../application/health-commands.js';
import { HealthQueries } from '../application/health-queries.js';
import { scopeOf } from '../application/health-scope.js';
import { HEALTH_SERVICE } from '../application/health-store.js';
import { HEALTH_ISSUES_CONSUMER } from '../projections/health-issues.projection.js';
import { PARTNER_CLIENTS_CONSUMER } from '../projections/partner-clients.projection.js';
import {
  HealthIssueListQueryDto,
  ISSUE_ID,
  RaiseHealthIssueDto,
  UpdateHealthIssueDto,
} from './health-issue.dto.js';

@ApiTags('health')
@ApiBearerAuth()
@Controller()
export class HealthIssuesController {
  constructor(
    @Inject(HealthCommands) private readonly commands: HealthCommands,
    @Inject(HealthQueries) private readonly queries: HealthQueries,
  ) {}

  /** One HealthIssueRaised per client; 201 when any was raised, 200 when every client had it already. */
  @Post('health-issues')
  @Roles('platform.health-publisher')
  async raise(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RaiseHealthIssueDto,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.raise(principal, body, req.id);
    // A command that changed nothing reports the store's head, so read-your-writes still holds.
    const globalPosition = result.globalPosition ?? (await this.commands.headPosition());
    return jsonResponse(
      result.raised.length > 0 ? 201 : 200,
      { issueId: result.issueId, raised: result.raised.length, unchanged: result.unchanged.length },
      { store: HEALTH_SERVICE, globalPosition },
    );
  }

  @Post('health-issues/:issueId/updates')
  @Roles('platform.health-publisher')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('issueId') issueId: string,
    @Body() body: UpdateHealthIssueDto,
    @Req() req: FastifyRequest,
  ) {
    if (!ISSUE_ID.test(issueId)) throw notFound('health issue');
    const result = await this.commands.update(principal, issueId, body, req.id);
    const { globalPosition, ...view } = result;
    return jsonResponse(200, view, {
      store: HEALTH_SERVICE,
      globalPosition: globalPosition ?? (await this.commands.headPosition()),
    });
  }

  @Get('health-issues')
  @Roles('partner.admin', 'partner.agent', 'client.admin', 'platform.health-publisher')
  @ReadModel(HEALTH_ISSUES_CONSUMER, PARTNER_CLIENTS_CONSUMER)
  list(@CurrentPrincipal() principal: Principal, @Query() query: HealthIssueListQueryDto) {
    return this.queries.list(scopeOf(principal), query);
  }

  @Get('health-overview')
  @Roles('partner.admin', 'partner.agent')
  @ReadModel(HEALTH_ISSUES_CONSUMER, PARTNER_CLIENTS_CONSUMER)
  overview(@CurrentPrincipal() principal: Principal) {
    return this.queries.overview(scopeOf(principal));
  }
}
