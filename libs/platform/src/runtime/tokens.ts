/** Injection tokens for what the platform provides to every service module. */
export const SQL_CLIENT = Symbol('SqlClient');
export const APP_CONFIG = Symbol('AppConfig');
export const CLOCK = Symbol('Clock');
export const LOGGER = Symbol('Logger');
/** The Kafka adapter when KAFKA_BROKERS is set, else null (in-process delivery). */
export const KAFKA = Symbol('Kafka');

/** Time, injectable so tests can move it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
