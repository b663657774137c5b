import type { Actor } from '@dap/contracts';

/** Time, injected so that tests can move it. */
export interface Clock {
  now(): Date;
}

/** The mail the consent service sends (the platform's Mailer satisfies it). */
export interface MailSender {
  send(message: { id: string; to: string[]; subject: string; text: string }): Promise<void>;
}

/** The authenticated caller, as the platform's guard provides it. */
export interface Caller {
  sub: string;
  tid: string;
  roles: string[];
}

export const actorOf = (c: Caller): Actor => ({ id: c.sub, tenantId: c.tid, roles: [...c.roles] });
export const isPartnerCaller = (c: Caller) =>
  c.roles.includes('partner.admin') || c.roles.includes('partner.agent');
