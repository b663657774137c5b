/** Who caused an event: a user with its organization and roles, or a system component. */
export interface Actor {
  id: string;
  tenantId?: string;
  roles?: string[];
}

/**
 * The one envelope every event travels in (CloudEvents 1.0 attribute names where they exist).
 * `subject` is the stream id and the Kafka key; `streamVersion` starts at 1 in each stream;
 * `globalPosition` is the position in the producing service's store.
 */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  schemaVersion: number;
  source: string;
  subject: string;
  partnerId?: string;
  time: string;
  actor: Actor;
  correlationId?: string;
  causationId?: string;
  streamVersion: number;
  globalPosition: number;
  data: TData;
}

/** Services that publish events; each owns one store and one topic. */
export const SERVICES = ['offer', 'consent', 'client-directory', 'health', 'service-request'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Distributed mode: one topic per publishing service. */
export const topicFor = (service: ServiceName | string): string => `${service}.events.v1`;
export const deadLetterTopicFor = (service: ServiceName | string): string => `${topicFor(service)}.dlq`;
