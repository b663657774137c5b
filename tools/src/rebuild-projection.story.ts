import { createHash } from 'node:crypto';
import {
  clientProfileStreamId,
  healthIssueStreamId,
  serviceRequestStreamId,
  validateEventData,
} from '@dap/contracts';
import type { EventStore } from '@dap/eventsourcing';

/** The five services' stores, each named after its service. */
export const STORES = ['offer', 'consent', 'health', 'service-request', 'client-directory'];

/** A name-based (version 5 shaped) uuid, so ids are the same on every run. */
const uuid = (name: string) => {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const address = { line1: '1 Century Ave', city: 'Shanghai', postalCode: '200120', country: 'CN' };

/**
 * A few weeks of three partners' business, appended to the stores as the services would (tests
 * only): offers created, sent, rotated and revoked; clients accepting (one client with two
 * partners), bundled trials provisioned, delegations revoked and re-granted, extended and expired;
 * delegated roles assigned, changed and revoked; a service-wide incident and advisories, updated
 * and resolved; subscriptions changed and removed; service requests with notes and status changes; profile corrections. Every payload
 * is checked against its JSON Schema first.
 */
export async function appendStory(storeOf: (name: string) => EventStore): Promise<void> {
  let minute = 0;
  const append = async (source: string, stream: string, type: string, data: Record<string, unknown>) => {
    const check = validateEventData(type, 1, data);
    if (!check.ok) throw new Error(`${type}: ${check.errors.join('; ')}`);
    const partnerId = typeof data.partnerId === 'string' ? data.partnerId : undefined;
    await storeOf(source).appendToStream(stream, [{ type, data }], 'any', {
      actor: { id: `user@${partnerId ?? 'system'}.example`, ...(partnerId && { tenantId: partnerId }) },
      partnerId,
      time: new Date(Date.UTC(2026, 10, 1) + minute++ * 3_600_000),
    });
  };
  const at = (days: number) => new Date(Date.UTC(2026, 10, 1) + days * 86_400_000).toISOString();

  for (const [p, partnerId] of ['p-bluesky', 'p-contoso', 'p-fabrikam'].entries()) {
    const includes = [
      { trial: { productId: 'm365-business' } },
      { purchase: { productId: 'e5', quantity: 10 } },
      {},
    ][p];
    const offerId = uuid(`${partnerId}-main`);
    const terms = {
      grantedRoles: ['full', 'limited'],
      delegationDuration: p === 2 ? null : 'P90D',
      autoExtend: p === 1,
    };
    await append('offer', `offer-${offerId}`, 'OfferCreated', {
      offerId,
      partnerId,
      includes,
      ...terms,
      expiresAt: null,
      message: `Welcome from ${partnerId}`,
      codeHash: sha256(`${offerId}:1`),
    });
    const sent = (linkVersion: number, recipients: string[]) =>
      append('offer', `offer-${offerId}`, 'OfferSent', {
        offerId,
        recipients,
        sentBy: `admin@${partnerId}.example`,
        linkVersion,
      });
    await sent(1, ['it@alpha.example', 'ceo@alpha.example']);
    if (p === 0) {
      await append('offer', `offer-${offerId}`, 'OfferLinkRotated', {
        offerId,
        codeHash: sha256(`${offerId}:2`),
      });
      await sent(2, ['it@beta.example']);
    }
    const stale = uuid(`${partnerId}-stale`);
    await append('offer', `offer-${stale}`, 'OfferCreated', {
      offerId: stale,
      partnerId,
      includes: {},
      grantedRoles: ['limited'],
      delegationDuration: 'P30D',
      autoExtend: false,
      expiresAt: at(20),
      codeHash: sha256(`${stale}:1`),
    });
    await append('offer', `offer-${stale}`, 'OfferRevoked', { offerId: stale, reason: 'wrong terms' });

    const user = (userId: string) => `partner-user-${partnerId}:${userId}@${partnerId}.example`;
    const role = (userId: string, r: string, previousRole: string | null) =>
      append('consent', user(userId), 'RoleAssigned', {
        partnerId,
        userId: `${userId}@${partnerId}.example`,
        role: r,
        previousRole,
        assignedBy: `admin@${partnerId}.example`,
      });
    await role('alice', 'full', null);
    await role('bob', 'limited', null);
    await role('carol', 'limited', null);

    const clients = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', ...(p < 2 ? ['shared'] : [])];
    for (const [i, name] of clients.entries()) {
      const clientId = name === 'shared' ? 'tenant-shared' : `tenant-${name}-${p}`;
      const grant = async (generation: number) => {
        const delegationId = uuid(`${partnerId}-${clientId}-${generation}`);
        await append('consent', `delegation-${delegationId}`, 'DelegationGranted', {
          delegationId,
          partnerId,
          clientId,
          offerId,
          ...terms,
          includes,
          grantedBy: `admin@${name}.example`,
          grantedAt: at(i),
          expiresAt: terms.delegationDuration ? at(i + 90) : null,
          client: {
            name: `${name[0].toUpperCase()}${name.slice(1)} Ltd`,
            primaryDomain: `${name}.example`,
            address,
          },
          partnerContacts: [`alice@${partnerId}.example`],
        });
        if (includes.trial || includes.purchase) {
          const product = includes.trial ?? includes.purchase!;
          await append('client-directory', clientProfileStreamId(partnerId, clientId), 'SubscriptionAdded', {
            clientId,
            partnerId,
            subscriptionId: `bundled-${delegationId}`,
            productId: product.productId,
            name: product.productId,
            quantity: includes.purchase?.quantity ?? 25,
            status: includes.trial ? 'trial' : 'active',
            delegationId,
          });
          if (name === 'gamma' && generation === 1) {
            const subscription = {
              clientId,
              partnerId,
              subscriptionId: `bundled-${delegationId}`,
              productId: product.productId,
              name: product.productId,
              delegationId,
            };
            const stream = clientProfileStreamId(partnerId, clientId);
            await append('client-directory', stream, 'SubscriptionChanged', {
              ...subscription,
              quantity: 40,
              status: 'active',
            });
            await append('client-directory', stream, 'SubscriptionRemoved', {
              ...subscription,
              quantity: 40,
              status: 'active',
            });
          }
        }
        return { delegationId, partnerId, clientId };
      };
      const d = await grant(1);
      if (i === 1) {
        await append('client-directory', clientProfileStreamId(partnerId, clientId), 'ClientProfileUpdated', {
          clientId,
          partnerId,
          name: `${name} (renamed)`,
          tags: ['gold', `region-${p}`],
          updatedBy: `alice@${partnerId}.example`,
        });
      }
      if (i % 2 === 0) {
        const requestId = uuid(`${partnerId}-${clientId}-request`);
        const stream = serviceRequestStreamId(requestId);
        await append('service-request', stream, 'ServiceRequestCreated', {
          requestId,
          partnerId,
          clientId,
          title: `Mailbox migration for ${name}`,
          description: 'Move 40 mailboxes',
          severity: ['critical', 'moderate', 'minimal'][i % 3],
          contact: { name: 'Ops', email: `ops@${name}.example` },
          createdBy: `bob@${partnerId}.example`,
        });
        await append('service-request', stream, 'ServiceRequestNoteAdded', {
          requestId,
          text: 'Started',
          author: `bob@${partnerId}.example`,
        });
        await append('service-request', stream, 'ServiceRequestStatusChanged', {
          requestId,
          from: 'open',
          to: 'attentionNeeded',
          changedBy: 'support',
        });
        if (i === 4)
          await append('service-request', stream, 'ServiceRequestStatusChanged', {
            requestId,
            from: 'attentionNeeded',
            to: 'closed',
            note: 'Done',
          });
      }
      if (i % 3 === 0) {
        const issueId = i === 0 ? 'EX-1001' : `MO-${p}${i}`;
        const stream = healthIssueStreamId(issueId, clientId);
        await append('health', stream, 'HealthIssueRaised', {
          issueId,
          clientId,
          service: i === 0 ? 'Exchange Online' : 'Microsoft Teams',
          classification: i === 0 ? 'incident' : 'advisory',
          title: 'Mail delays',
          impactDescription: 'Users may see delays',
          status: 'investigating',
          startDateTime: at(i),
        });
        await append('health', stream, 'HealthIssueUpdated', {
          issueId,
          clientId,
          status: 'serviceDegradation',
          message: 'Mitigating',
        });
        if (i === 3)
          await append('health', stream, 'HealthIssueResolved', {
            issueId,
            clientId,
            status: 'serviceRestored',
            endDateTime: at(i + 1),
            message: 'Fixed',
          });
      }
      if (i === 2) {
        await append('consent', `delegation-${d.delegationId}`, 'DelegationRevoked', {
          ...d,
          revokedBy: `admin@${partnerId}.example`,
          side: 'partner',
          reason: 'contract ended',
        });
        await grant(2);
      }
      if (i === 3 && terms.delegationDuration) {
        await append('consent', `delegation-${d.delegationId}`, 'DelegationExtended', {
          ...d,
          previousExpiresAt: at(i + 90),
          expiresAt: at(i + 270),
        });
      }
      if (i === 4 && terms.delegationDuration)
        await append('consent', `delegation-${d.delegationId}`, 'DelegationExpired', {
          ...d,
          expiredAt: at(i + 90),
        });
    }
    await role('bob', 'full', 'limited');
    await append('consent', user('carol'), 'RoleRevoked', {
      partnerId,
      userId: `carol@${partnerId}.example`,
      previousRole: 'limited',
      revokedBy: `admin@${partnerId}.example`,
    });
  }
}
