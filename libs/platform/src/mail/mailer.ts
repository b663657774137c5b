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
    const info = await this.transport.sendMail(build(this.from, message));
    const file = join(this.dir, `${message.id.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
    try {
      await this.write(file, info.message as Buffer);
    } catch (error) {
      // The directory is made when a write finds it missing (the first, or after an operator cleared
      // it), not before every message: a mkdir per message was a third of a send's file work.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(this.dir, { recursive: true });
      await this.write(file, info.message as Buffer);
    }
  }
  private async write(file: string, content: Buffer): Promise<void> {
    await writeFile(`${file}.tmp`, content);
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
