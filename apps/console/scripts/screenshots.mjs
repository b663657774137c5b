#!/usr/bin/env node
/**
 * Takes the README's screenshots (docs/screenshots/*.png) of a running standalone instance filled by
 * `npm run demo`, with Debian's Chromium through playwright-core:
 *
 *   npm start & npm run demo && node apps/console/scripts/screenshots.mjs [http://localhost:3000]
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@dap/testing/chromium';

const base = process.argv[2] ?? `http://localhost:${process.env.PORT ?? 3000}`;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

const browser = await launchChromium();
const shot = (page, name) => page.screenshot({ path: join(out, `${name}.png`) });

async function signIn(page, role, sub, tid) {
  await page.getByRole('radio', { name: role }).check();
  await page.getByLabel('User (sub)').fill(sub);
  await page.getByLabel('Organization (tid)').fill(tid);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

try {
  const partner = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await partner.goto(`${base}/`);
  await shot(partner, 'sign-in');
  await signIn(partner, 'Partner admin', 'admin@blueskycloudservices.example', 'demo-partner-1');
  await partner.goto(`${base}/clients?sort=health`);
  await partner.locator('table.clients tbody a.client-name').first().waitFor();
  await shot(partner, 'client-list');
  await partner.locator('table.clients tbody a.client-name').first().click();
  await partner.locator('.details-pane h2').waitFor();
  await shot(partner, 'client-details');
  await partner.getByRole('complementary').getByRole('link', { name: 'Service health' }).click();
  await partner.locator('.issue').first().waitFor();
  await shot(partner, 'client-health');
  await partner.getByRole('link', { name: 'Health overview' }).click();
  await partner.locator('.live.on').waitFor();
  await shot(partner, 'health-overview');
  await partner.goto(`${base}/service-requests`);
  await partner.locator('main table tbody a').first().click();
  await partner.getByRole('heading', { name: 'Activity' }).waitFor();
  await shot(partner, 'service-request');
  await partner.getByRole('link', { name: 'Offers' }).click();
  await partner.locator('.offer').first().waitFor();
  await shot(partner, 'offers');
  const acceptUrl = await partner.locator('.offer input.accept-url').first().inputValue();
  await partner.getByRole('link', { name: 'Audit trail' }).click();
  await partner.locator('main table tbody tr').first().waitFor();
  await shot(partner, 'audit');

  const client = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await client.goto(acceptUrl);
  await signIn(client, 'Client admin', 'admin@newco.partner.onmschina.cn', 'tenant-newco');
  await client.getByRole('heading', { name: 'Grant delegated administration' }).waitFor();
  await shot(client, 'accept-phone');
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(`${base}/`);
  await signIn(phone, 'Partner agent', 'agent@blueskycloudservices.example', 'demo-partner-1');
  await phone.locator('table.clients tbody a.client-name').first().waitFor();
  await shot(phone, 'client-list-phone');
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
}
