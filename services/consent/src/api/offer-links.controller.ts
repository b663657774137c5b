import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, jsonResponse, ReadModel, Roles, type Principal } from '@dap/platform';
import { CONSENT_SERVICE } from '../application/consent-store.js';
import { OfferLinks } from '../application/offer-links.service.js';
import { offerTermsProjection } from '../projections/offer-terms.projection.js';
import { AcceptOfferDto, OfferLinkQueryDto } from './consent.dto.js';

/** The client side of an offer link (client.admin only; the client is the caller's organization). */
@ApiTags('consent')
@ApiBearerAuth()
@Roles('client.admin')
@Controller('offer-links')
export class OfferLinksController {
  constructor(@Inject(OfferLinks) private readonly links: OfferLinks) {}

  @Get(':offerId')
  @ReadModel(offerTermsProjection.name)
  view(
    @CurrentPrincipal() principal: Principal,
    @Param('offerId') offerId: string,
    @Query() query: OfferLinkQueryDto,
  ) {
    return this.links.view(offerId, query.code, principal);
  }

  /** 201 with a new delegation, or 200 with the active one when accepted again. */
  @Post(':offerId/accept')
  @ReadModel(offerTermsProjection.name)
  async accept(
    @CurrentPrincipal() principal: Principal,
    @Param('offerId') offerId: string,
    @Query() query: OfferLinkQueryDto,
    @Body() body: AcceptOfferDto,
  ) {
    const result = await this.links.accept(offerId, query.code, body.client, principal);
    const { version, ...delegation } = result.delegation;
    return jsonResponse(
      result.created ? 201 : 200,
      delegation,
      { store: CONSENT_SERVICE, globalPosition: result.globalPosition, streamVersion: version },
      { location: `/api/v1/delegations/${delegation.delegationId}` },
    );
  }
}
