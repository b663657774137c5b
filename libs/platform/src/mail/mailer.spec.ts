import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { FileMailer } from './mailer.js';

describe('FileMailer', () => {
  let root = '';
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('drops one .eml per message id, replaces it on a resend, and makes its directory again if it goes', async () => {
    root = await mkdtemp(join(tmpdir(), 'dap-mail-'));
    const dir = join(root, 'mail');
    const mailer = new FileMailer(dir, 'noreply@delegated-admin.example');
    const message = { id: 'event-1', to: ['a@client.example'], subject: 'Accepted', text: 'first' };

    await mailer.send(message);
    await mailer.send({ ...message, text: 'second' });
    expect(await readdir(dir)).toEqual(['event-1.eml']);
    const eml = await readFile(join(dir, 'event-1.eml'), 'utf8');
    expect(eml).toContain('Subject: Accepted');
    expect(eml).toContain('second');

    await rm(dir, { recursive: true });
    await mailer.send({ ...message, id: 'event/2' });
    expect(await readdir(dir)).toEqual(['event_2.eml']);
  });
});
