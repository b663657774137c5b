import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, IfMatch, jsonResponse, ReadModel, Roles, type Principal } from '@dap/platform';
import { ServiceRequestCommands } from '../application/service-request-commands.js';
import { ServiceRequestQueries } from '../application/service-request-queries.js';
import { SERVICE_REQUEST_SERVICE } from '../application/service-request-store.js';
import { serviceRequestViewOf } from '../application/service-request-view.js';
import { ACCESS_CONSUMER } from '../projections/access.projection.js';
import { SERVICE_REQUESTS_CONSUMER } from '../projections/service-requests.projection.js';
import {
  AddNoteDto,
  ChangeStatusDto,
  CreateServiceRequestDto,
  ServiceRequestListQueryDto,
} from './service-request.dto.js';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => Object.assign(new Error('service request not found'), { statusCode: 404 }),
});

@ApiTags('service-requests')
@ApiBearerAuth()
@Controller('service-requests')
export class ServiceRequestsController {
  constructor(
    @Inject(ServiceRequestCommands) private readonly commands: ServiceRequestCommands,
    @Inject(ServiceRequestQueries) private readonly queries: ServiceRequestQueries,
  ) {}

  /** X-Min-Position with a consent token waits until the delegation and role it names are known here. */
  @Post()
  @Roles('partner.admin', 'partner.agent')
  @ReadModel(ACCESS_CONSUMER)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateServiceRequestDto,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.create(principal, body, req.id);
    const { requestId } = result.newEvents[0].data as { requestId: string };
    return jsonResponse(
      201,
      serviceRequestViewOf(result.stream),
      { store: SERVICE_REQUEST_SERVICE, ...result },
      { location: `/api/v1/service-requests/${requestId}` },
    );
  }

  @Get()
  @Roles('partner.admin', 'partner.agent', 'client.admin')
  @ReadModel(SERVICE_REQUESTS_CONSUMER, ACCESS_CONSUMER)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ServiceRequestListQueryDto) {
    return this.queries.list(principal, query);
  }

  @Get(':id')
  @Roles('partner.admin', 'partner.agent', 'client.admin')
  @ReadModel(SERVICE_REQUESTS_CONSUMER, ACCESS_CONSUMER)
  async get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    const { view, version } = await this.queries.get(principal, id);
    return jsonResponse(200, view, {
      store: SERVICE_REQUEST_SERVICE,
      globalPosition: null,
      streamVersion: version,
    });
  }

  @Post(':id/notes')
  @Roles('partner.admin', 'partner.agent')
  @ReadModel(ACCESS_CONSUMER)
  async addNote(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: AddNoteDto,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.addNote(principal, id, body.text, ifMatch, req.id);
    return jsonResponse(201, serviceRequestViewOf(result.stream), {
      store: SERVICE_REQUEST_SERVICE,
      ...result,
    });
  }

  @Post(':id/status')
  @Roles('partner.admin', 'partner.agent')
  @ReadModel(ACCESS_CONSUMER)
  async changeStatus(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ChangeStatusDto,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.commands.changeStatus(principal, id, body.status, body.note, ifMatch, req.id);
    return jsonResponse(200, serviceRequestViewOf(result.stream), {
      store: SERVICE_REQUEST_SERVICE,
      ...result,
    });
  }
}
