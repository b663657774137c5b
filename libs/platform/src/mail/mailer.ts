import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  /** Stable id (e.g. the causing event's id): a resend after a crash replaces, not duplicates. */
  id: string;
  to: string[];
  subject: string;
  text: string;
}

/** Sends mail. SMTP when SMTP_URL is set; otherwise a file drop of `.eml` files. */
export abstract class Mailer {
  abstract send(message: MailMessage): Promise<void>;
}

const build = (from: string, m: MailMessage) => ({
  from,
  to: m.to,
  subject: m.subject,
  text: m.text,
  messageId: `<${m.id}@delegated-admin>`,
});

/** Writes each message as `<dir>/<id>.eml`, atomically (write, then rename). */
export class FileMailer extends Mailer {
  private readonly transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });
  constructor(
    readonly dir: string,
    private readonly from: string,
  ) {
    super();
  }
  async send(message: MailMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const info = await this.transport.sendMail(build(this.from, message));
    const file = join(this.dir, `${message.id.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
    await writeFile(`${file}.tmp`, info.message as Buffer);
    await rename(`${file}.tmp`, file);
  }
}

export class SmtpMailer extends Mailer {
  private readonly transport;
  constructor(
    url: string,
    private readonly from: string,
  ) {
    super();
    this.transport = nodemailer.createTransport(url);
  }
  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail(build(this.from, message));
  }
}
