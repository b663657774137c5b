import { describe, expect, it } from '@jest/globals';
import { kafkaSettingsFromEnv } from './kafka-settings.js';

describe('Kafka settings from the environment', () => {
  it('means in-process delivery when KAFKA_BROKERS is unset or blank', () => {
    expect(kafkaSettingsFromEnv({})).toBeUndefined();
    expect(kafkaSettingsFromEnv({ KAFKA_BROKERS: '  ' })).toBeUndefined();
  });

  it('reads brokers, client id, partitions and replication with defaults', () => {
    expect(kafkaSettingsFromEnv({ KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092' }, 'consent')).toEqual({
      brokers: ['kafka-0:9092', 'kafka-1:9092'],
      clientId: 'consent',
      partitions: 6,
      replicationFactor: 1,
    });
    expect(
      kafkaSettingsFromEnv({
        KAFKA_BROKERS: 'k:9092',
        KAFKA_PARTITIONS: '12',
        KAFKA_REPLICATION_FACTOR: '3',
        KAFKA_CLIENT_ID: 'x',
      }),
    ).toMatchObject({
      clientId: 'x',
      partitions: 12,
      replicationFactor: 3,
    });
  });

  it('names the variable when a value is bad', () => {
    expect(() => kafkaSettingsFromEnv({ KAFKA_BROKERS: 'kafka' })).toThrow(/^KAFKA_BROKERS/);
    expect(() => kafkaSettingsFromEnv({ KAFKA_BROKERS: 'k:9092', KAFKA_PARTITIONS: '0' })).toThrow(
      /^KAFKA_PARTITIONS/,
    );
    expect(() => kafkaSettingsFromEnv({ KAFKA_BROKERS: 'k:9092', KAFKA_REPLICATION_FACTOR: 'two' })).toThrow(
      /^KAFKA_REPLICATION_FACTOR/,
    );
  });
});
