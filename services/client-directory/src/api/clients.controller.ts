import { Readable } from 'node:stream';
import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  Inject,
  Param,
  Patch,
  Put,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, IfMatch, jsonResponse, ReadModel, Roles, type Principal } from '@dap/platform';
import { ClientProfileCommands } from '../application/client-profile-commands.js';
import { ClientQueries } from '../application/client-queries.js';
import { CLIENT_DIRECTORY } from '../projections/client-directory.schema.js';
import { ClientListProjection } from '../projections/client-list.projection.js';
import {
  ExportClientsQueryDto,
  ListClientsQueryDto,
  PutSubscriptionDto,
  UpdateClientDto,
} from './client.dto.js';

const CLIENT_LIST = ClientListProjection.NAME;

/** The client management list, client details and the partner's edits to a client's profile. */
@ApiTags('clients')
@ApiBearerAuth()
@Roles('partner.admin', 'partner.agent')
@Controller('clients')
@ReadModel(CLIENT_LIST)
export class ClientsController {
  constructor(
    @Inject(ClientQueries) private readonly queries: ClientQueries,
    @Inject(ClientProfileCommands) private readonly commands: ClientProfileCommands,
  ) {}

  @Get()
  @Header('content-type', 'application/json; charset=utf-8')
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListClientsQueryDto) {
    return this.queries.listJson({ partnerId: principal.tid, ...query });
  }

  @Get('export.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="clients.csv"')
  async export(@CurrentPrincipal() principal: Principal, @Query() query: ExportClientsQueryDto) {
    const lines = this.queries.csv({ partnerId: principal.tid, ...query });
    // Pull the first page before answering, so that a bad filter still answers with a problem.
    const first = await lines.next();
    const stream = Readable.from(
      (async function* () {
        if (!first.done) yield first.value;
        yield* lines;
      })(),
    );
    return new StreamableFile(stream);
  }

  @Get(':clientId')
  async get(@CurrentPrincipal() principal: Principal, @Param('clientId') clientId: string) {
    const view = await this.queries.details(principal.tid, clientId);
    return jsonResponse(200, view, {
      store: CLIENT_DIRECTORY,
      globalPosition: null,
      streamVersion: view.version,
    });
  }

  @Patch(':clientId')
  @Roles('partner.admin')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('clientId') clientId: string,
    @Body() body: UpdateClientDto,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.update(principal, clientId, body, ifMatch, req.id);
    const view = await this.queries.detailsAfter(principal.tid, clientId, result.globalPosition);
    return jsonResponse(200, view, { store: CLIENT_DIRECTORY, ...result });
  }

  @Put(':clientId/subscriptions/:subscriptionId')
  async putSubscription(
    @CurrentPrincipal() principal: Principal,
    @Param('clientId') clientId: string,
    @Param('subscriptionId') subscriptionId: string,
    @Body() body: PutSubscriptionDto,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.putSubscription(
      principal,
      clientId,
      subscriptionId,
      body,
      ifMatch,
      req.id,
    );
    const created = result.newEvents.some((e) => e.type === 'SubscriptionAdded');
    return jsonResponse(
      created ? 201 : 200,
      { clientId, subscriptionId, ...body },
      { store: CLIENT_DIRECTORY, ...result },
    );
  }

  @Delete(':clientId/subscriptions/:subscriptionId')
  async removeSubscription(
    @CurrentPrincipal() principal: Principal,
    @Param('clientId') clientId: string,
    @Param('subscriptionId') subscriptionId: string,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.removeSubscription(
      principal,
      clientId,
      subscriptionId,
      ifMatch,
      req.id,
    );
    return jsonResponse(204, undefined, { store: CLIENT_DIRECTORY, ...result });
  }
}
