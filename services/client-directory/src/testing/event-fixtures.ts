import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@dap/contracts';

/** Builds envelopes as the stores would, with increasing positions per source store (tests only). */
export class EventFixtures {
  private readonly positions = new Map<string, number>();
  private readonly versions = new Map<string, number>();
  readonly log: EventEnvelope[] = [];

  event(
    source: string,
    subject: string,
    type: string,
    data: Record<string, unknown>,
    time = '2026-11-01T00:00:00.000Z',
  ): EventEnvelope {
    const globalPosition = (this.positions.get(source) ?? 0) + 1;
    this.positions.set(source, globalPosition);
    const streamVersion = (this.versions.get(subject) ?? 0) + 1;
    this.versions.set(subject, streamVersion);
    const event: EventEnvelope = {
      id: randomUUID(),
      type,
      schemaVersion: 1,
      source,
      subject,
      ...(typeof data.partnerId === 'string' && { partnerId: data.partnerId }),
      time,
      actor: { id: 'system:test' },
      streamVersion,
      globalPosition,
      data,
    };
    this.log.push(event);
    return event;
  }

  granted(
    partnerId: string,
    clientId: string,
    name: string,
    primaryDomain: string,
    extra: Record<string, unknown> = {},
  ) {
    const delegationId =
      (extra.delegationId as string) ?? `d-${partnerId}-${clientId}-${randomUUID().slice(0, 8)}`;
    return this.event('consent', `delegation-${delegationId}`, 'DelegationGranted', {
      delegationId,
      partnerId,
      clientId,
      offerId: 'o1',
      grantedRoles: ['full', 'limited'],
      grantedBy: `admin@${primaryDomain}`,
      grantedAt: '2026-11-01T00:00:00.000Z',
      expiresAt: null,
      delegationDuration: null,
      autoExtend: false,
      client: {
        name,
        primaryDomain,
        address: { line1: '1 Main St', city: 'Beijing', postalCode: '100000', country: 'CN' },
      },
      includes: {},
      ...extra,
    });
  }

  revoked(granted: EventEnvelope) {
    const d = granted.data as { delegationId: string; partnerId: string; clientId: string };
    return this.event('consent', granted.subject, 'DelegationRevoked', {
      ...pick(d),
      revokedBy: 'x',
      side: 'client',
    });
  }

  expired(granted: EventEnvelope) {
    const d = granted.data as { delegationId: string; partnerId: string; clientId: string };
    return this.event('consent', granted.subject, 'DelegationExpired', {
      ...pick(d),
      expiredAt: '2026-11-02T00:00:00.000Z',
    });
  }

  healthRaised(clientId: string, issueId: string, classification: 'incident' | 'advisory') {
    return this.event('health', `health-issue-${issueId}:${clientId}`, 'HealthIssueRaised', {
      issueId,
      clientId,
      service: 'Exchange Online',
      classification,
      title: `${classification} ${issueId}`,
      impactDescription: 'Users may be unable to send mail.',
      status: 'investigating',
      startDateTime: '2026-11-01T00:00:00.000Z',
    });
  }

  healthResolved(clientId: string, issueId: string) {
    return this.event('health', `health-issue-${issueId}:${clientId}`, 'HealthIssueResolved', {
      issueId,
      clientId,
      status: 'serviceRestored',
      endDateTime: '2026-11-02T00:00:00.000Z',
    });
  }

  requestCreated(partnerId: string, clientId: string, requestId: string) {
    return this.event('service-request', `service-request-${requestId}`, 'ServiceRequestCreated', {
      requestId,
      partnerId,
      clientId,
      title: `request ${requestId}`,
      description: 'Please help',
      severity: 'moderate',
      contact: { name: 'A', email: 'a@example.com' },
      createdBy: 'agent@p',
    });
  }

  requestStatus(requestId: string, from: string, to: string) {
    return this.event('service-request', `service-request-${requestId}`, 'ServiceRequestStatusChanged', {
      requestId,
      from,
      to,
    });
  }

  profile(partnerId: string, clientId: string, type: string, data: Record<string, unknown>) {
    return this.event('client-directory', `client-${partnerId}:${clientId}`, type, {
      partnerId,
      clientId,
      ...data,
    });
  }
}

const pick = (d: { delegationId: string; partnerId: string; clientId: string }) => ({
  delegationId: d.delegationId,
  partnerId: d.partnerId,
  clientId: d.clientId,
});
