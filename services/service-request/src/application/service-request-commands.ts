import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  serviceRequestStreamId,
  type ServiceRequestContact,
  type ServiceRequestCreated,
  type ServiceRequestSeverity,
  type ServiceRequestStatus,
} from '@dap/contracts';
import { handleCommand, notFound, type EventStore, type SqlClient } from '@dap/eventsourcing';
import { actorOf, CLOCK, SQL_CLIENT, type Clock, type Principal } from '@dap/platform';
import { checkAccess } from '../domain/access-check.js';
import { serviceRequestDecider, type ServiceRequestCommand } from '../domain/service-request.decider.js';
import { readAccessFacts } from '../projections/access-facts.js';
import { assertAllowed } from './access-denied.js';
import { SERVICE_REQUEST_STORE } from './service-request-store.js';

export interface CreateServiceRequestInput {
  clientId: string;
  title: string;
  description: string;
  severity: ServiceRequestSeverity;
  contact: ServiceRequestContact;
}

/**
 * Service request commands. Acting on a client needs an effective delegated role that allows it,
 * decided from the delegation and role events this service keeps (consent is never called).
 */
@Injectable()
export class ServiceRequestCommands {
  constructor(
    @Inject(SERVICE_REQUEST_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(principal: Principal, input: CreateServiceRequestInput, correlationId?: string) {
    await this.assertMayActOn(principal, input.clientId);
    const requestId = randomUUID();
    const { phone, ...contact } = input.contact;
    return this.run(principal, requestId, correlationId, 'new', {
      type: 'CreateServiceRequest',
      requestId,
      partnerId: principal.tid,
      clientId: input.clientId,
      title: input.title,
      description: input.description,
      severity: input.severity,
      contact: { ...contact, ...(phone !== undefined && { phone }) },
      createdBy: principal.sub,
    });
  }

  async addNote(
    principal: Principal,
    requestId: string,
    text: string,
    expectedVersion?: number,
    correlationId?: string,
  ) {
    await this.assertOwnsAndMayAct(principal, requestId);
    return this.run(principal, requestId, correlationId, expectedVersion, {
      type: 'AddServiceRequestNote',
      requestId,
      text,
      author: principal.sub,
    });
  }

  async changeStatus(
    principal: Principal,
    requestId: string,
    to: ServiceRequestStatus,
    note: string | undefined,
    expectedVersion?: number,
    correlationId?: string,
  ) {
    await this.assertOwnsAndMayAct(principal, requestId);
    return this.run(principal, requestId, correlationId, expectedVersion, {
      type: 'ChangeServiceRequestStatus',
      requestId,
      to,
      ...(note !== undefined && { note }),
      changedBy: principal.sub,
    });
  }

  /** 403 with the reason unless the caller's effective role allows `serviceRequests.create` on the client. */
  private async assertMayActOn(principal: Principal, clientId: string): Promise<void> {
    const facts = await readAccessFacts(this.db, principal.tid, principal.sub, clientId);
    assertAllowed(checkAccess({ action: 'serviceRequests.create', ...facts, now: this.clock.now() }));
  }

  /** Another partner's request answers 404, exactly as an unknown one. */
  private async assertOwnsAndMayAct(principal: Principal, requestId: string): Promise<void> {
    const [created] = await this.store.readStream(serviceRequestStreamId(requestId), { maxCount: 1 });
    const data = created?.data as ServiceRequestCreated | undefined;
    if (!data || data.partnerId !== principal.tid) throw notFound('service request');
    await this.assertMayActOn(principal, data.clientId);
  }

  private run(
    principal: Principal,
    requestId: string,
    correlationId: string | undefined,
    /** From If-Match; 'new': the request id was drawn just now. */
    expected: number | 'new' | undefined,
    command: ServiceRequestCommand,
  ) {
    return handleCommand(this.store, serviceRequestDecider, serviceRequestStreamId(requestId), command, {
      now: this.clock.now(),
      expectedVersion: expected === 'new' ? undefined : expected,
      newStream: expected === 'new',
      metadata: { actor: actorOf(principal), partnerId: principal.tid, correlationId },
    });
  }
}
