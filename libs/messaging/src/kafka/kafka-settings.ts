import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

/** Distributed-mode Kafka settings (SPEC §8 plus the topic layout the adapter creates at start). */
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Partitions of each `<service>.events.v1` topic: the ceiling on a consumer group's parallelism. */
  partitions: number;
  replicationFactor: number;
}

type Env = Record<string, string | undefined>;

/**
 * Reads KAFKA_BROKERS (comma-separated; unset means in-process delivery: returns undefined),
 * KAFKA_CLIENT_ID, KAFKA_PARTITIONS (default 6) and KAFKA_REPLICATION_FACTOR (default 1).
 * A bad value throws one line naming the variable.
 */
export function kafkaSettingsFromEnv(
  env: Env = process.env,
  defaultClientId = 'dap',
): KafkaSettings | undefined {
  const raw = env.KAFKA_BROKERS?.trim();
  if (!raw) return undefined;
  const brokers = raw
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[^\s:/]+:\d{1,5}$/.test(broker)) throw new Error(`KAFKA_BROKERS: "${broker}" is not host:port`);
  }
  return {
    brokers,
    clientId: env.KAFKA_CLIENT_ID?.trim() || defaultClientId,
    partitions: positiveInt(env, 'KAFKA_PARTITIONS', 6),
    replicationFactor: positiveInt(env, 'KAFKA_REPLICATION_FACTOR', 1),
  };
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: "${raw}" is not a positive integer`);
  return n;
}

/** The one place a kafkajs client is made. */
export function createKafka(settings: KafkaSettings, config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    ...config,
  });
}
