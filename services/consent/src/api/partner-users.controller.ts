import { Body, Controller, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, IfMatch, jsonResponse, ReadModel, Roles, type Principal } from '@dap/platform';
import { CONSENT_SERVICE } from '../application/consent-store.js';
import { PartnerUsers } from '../application/partner-users.service.js';
import { partnerUsersProjection } from '../projections/partner-users.projection.js';
import { PartnerUsersQueryDto, SetDelegatedRoleDto } from './consent.dto.js';

/** The delegated roles a partner admin gives its own users. */
@ApiTags('consent')
@ApiBearerAuth()
@Roles('partner.admin')
@Controller('partner-users')
export class PartnerUsersController {
  constructor(@Inject(PartnerUsers) private readonly users: PartnerUsers) {}

  @Get()
  @ReadModel(partnerUsersProjection.name)
  list(@CurrentPrincipal() principal: Principal, @Query() query: PartnerUsersQueryDto) {
    return this.users.list(principal, query);
  }

  /** Records RoleAssigned or RoleRevoked; the same role again records nothing (still 200). */
  @Put(':userId/delegated-role')
  async setRole(
    @CurrentPrincipal() principal: Principal,
    @Param('userId') userId: string,
    @Body() body: SetDelegatedRoleDto,
    @IfMatch() ifMatch: number | undefined,
  ) {
    const result = await this.users.setRole(userId, body.role, principal, ifMatch);
    return jsonResponse(
      200,
      { ...result.user, partnerId: principal.tid, changed: result.changed },
      {
        store: CONSENT_SERVICE,
        globalPosition: result.globalPosition,
        streamVersion: result.streamVersion,
      },
    );
  }
}
