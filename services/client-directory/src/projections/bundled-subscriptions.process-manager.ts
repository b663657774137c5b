import { clientProfileStreamId, type DelegationGranted, type EventEnvelope } from '@dap/contracts';
import { handleCommand, type EventStore } from '@dap/eventsourcing';
import type { EventConsumer } from '@dap/messaging';
import { bundledSubscriptions } from '../domain/bundled-subscriptions.js';
import { clientProfileDecider } from '../domain/client-profile.decider.js';
import { CLIENT_DIRECTORY } from './client-directory.schema.js';

export const BUNDLED_SUBSCRIPTIONS = `${CLIENT_DIRECTORY}.bundled-subscriptions`;

/**
 * Process manager: a trial or purchase bundled with an accepted offer becomes a subscription of the
 * client's profile by itself. The append is its own transaction (appends never join another one), made
 * before the checkpoint commits: the decider provisions each bundled subscription id once ever, so a
 * grant delivered again after a crash adds nothing.
 */
export class BundledSubscriptionsProcessManager implements EventConsumer {
  readonly name = BUNDLED_SUBSCRIPTIONS;
  readonly sources = ['consent'];
  readonly types = ['DelegationGranted'];

  constructor(private readonly store: EventStore) {}

  async handle(event: EventEnvelope): Promise<void> {
    const granted = event.data as DelegationGranted;
    const commands = bundledSubscriptions(granted);
    if (commands.length === 0) return;
    for (const command of commands) {
      await handleCommand(
        this.store,
        clientProfileDecider,
        clientProfileStreamId(granted.partnerId, granted.clientId),
        command,
        {
          now: new Date(event.time),
          metadata: {
            actor: { id: `system:${BUNDLED_SUBSCRIPTIONS}` },
            partnerId: granted.partnerId,
            correlationId: event.correlationId,
            causationId: event.id,
          },
        },
      );
    }
  }
}
