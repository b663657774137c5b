import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, IfMatch, jsonResponse, ReadModel, Roles, type Principal } from '@dap/platform';
import { CONSENT_SERVICE } from '../application/consent-store.js';
import { Delegations } from '../application/delegations.service.js';
import { delegationListProjection } from '../projections/delegation-list.projection.js';
import { DelegationListQueryDto, RevokeDelegationDto } from './consent.dto.js';

/** Delegations, seen and revoked by the partner side or the client side. */
@ApiTags('consent')
@ApiBearerAuth()
@Controller('delegations')
export class DelegationsController {
  constructor(@Inject(Delegations) private readonly delegations: Delegations) {}

  @Get()
  @Roles('partner.admin', 'partner.agent', 'client.admin')
  @ReadModel(delegationListProjection.name)
  list(@CurrentPrincipal() principal: Principal, @Query() query: DelegationListQueryDto) {
    return this.delegations.list(principal, query);
  }

  @Get(':id')
  @Roles('partner.admin', 'partner.agent', 'client.admin')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const { version, ...view } = await this.delegations.get(id, principal);
    return jsonResponse(200, view, { store: CONSENT_SERVICE, globalPosition: null, streamVersion: version });
  }

  @Post(':id/revoke')
  @Roles('partner.admin', 'client.admin')
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RevokeDelegationDto,
    @IfMatch() ifMatch: number | undefined,
  ) {
    const result = await this.delegations.revoke(id, principal, {
      reason: body.reason,
      expectedVersion: ifMatch,
    });
    const { version, ...view } = result.delegation;
    return jsonResponse(200, view, {
      store: CONSENT_SERVICE,
      globalPosition: result.globalPosition,
      streamVersion: version,
    });
  }
}
