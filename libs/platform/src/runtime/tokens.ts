/** Injection tokens for what the platform provides to every service module. */
export const SQL_CLIENT = Symbol('SqlClient');
export const APP_CONFIG = Symbol('AppConfig');
export const CLOCK = Symbol('Clock');
export const LOGGER = Symbol('Logger');

/** Time, injectable so tests can move it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
