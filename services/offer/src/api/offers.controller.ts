import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  CurrentPrincipal,
  IfMatch,
  jsonResponse,
  ListQueryDto,
  ReadModel,
  Roles,
  type Principal,
} from '@dap/platform';
import { OfferCommands } from '../application/offer-commands.js';
import { OfferQueries } from '../application/offer-queries.js';
import { OFFER_SERVICE } from '../application/offer-store.js';
import { OFFER_LIST } from '../projections/offer-list.projection.js';
import { CreateOfferDto, RevokeOfferDto, SendOfferDto } from './offer.dto.js';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => Object.assign(new Error('offer not found'), { statusCode: 404 }),
});

@ApiTags('offers')
@ApiBearerAuth()
@Roles('partner.admin')
@Controller('offers')
export class OffersController {
  constructor(
    @Inject(OfferCommands) private readonly commands: OfferCommands,
    @Inject(OfferQueries) private readonly queries: OfferQueries,
  ) {}

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateOfferDto,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.create(principal, body, req.id);
    const offerId = result.newEvents[0].data as { offerId: string };
    const { view } = await this.queries.viewOf(principal.tid, offerId.offerId, result);
    return jsonResponse(
      201,
      view,
      { store: OFFER_SERVICE, ...result },
      { location: `/api/v1/offers/${view.id}` },
    );
  }

  @Get()
  @ReadModel(OFFER_LIST)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListQueryDto) {
    return this.queries.list(principal.tid, query.limit, query.cursor);
  }

  @Get(':id')
  @ReadModel(OFFER_LIST)
  async get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    const { view, version } = await this.queries.get(principal.tid, id);
    return jsonResponse(200, view, { store: OFFER_SERVICE, globalPosition: null, streamVersion: version });
  }

  @Post(':id/send')
  @HttpCode(202)
  async send(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: SendOfferDto,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.send(principal, id, body.recipients, body.message, ifMatch, req.id);
    return jsonResponse(
      202,
      {
        offerId: id,
        status: 'sending',
        recipients: (result.newEvents[0].data as { recipients: string[] }).recipients,
      },
      { store: OFFER_SERVICE, ...result },
    );
  }

  @Post(':id/rotate-link')
  async rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.rotate(principal, id, ifMatch, req.id);
    const { view } = await this.queries.viewOf(principal.tid, id, result);
    return jsonResponse(200, view, { store: OFFER_SERVICE, ...result });
  }

  @Post(':id/revoke')
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: RevokeOfferDto,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.revoke(principal, id, body.reason, ifMatch, req.id);
    const { view } = await this.queries.viewOf(principal.tid, id, result);
    return jsonResponse(200, view, { store: OFFER_SERVICE, ...result });
  }
}
