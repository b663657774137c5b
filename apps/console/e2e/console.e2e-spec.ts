import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEV_JWT_SECRET, mintToken } from '@dap/platform';
import { chromiumMissing, launchChromium } from '@dap/testing/chromium';
import { startStandalone, type Standalone } from './standalone-process.js';

const PARTNER = { sub: 'alice@bluesky.example', tid: 'partner-bluesky' };
const ADDRESS = { line1: '1 Century Avenue', city: 'Shanghai', postalCode: '200120', country: 'CN' };

if (chromiumMissing) console.log(chromiumMissing);

/** Waits, clicking Refresh, until the list shows what another principal just did (its read model lags). */
async function refreshUntil(page: Page, visible: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    if (await visible()) return;
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForTimeout(250);
  }
  throw new Error('the list never showed the expected change');
}

(chromiumMissing ? describe.skip : describe)('the console in Chromium against the standalone process', () => {
  let app: Standalone;
  let browser: Browser;
  let partner: BrowserContext;
  let client: BrowserContext;
  let firstOfferUrl: URL;
  let firstOfferId: string;
  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as any,
      position: res.headers.get('x-event-position'),
    };
  };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startStandalone(), launchChromium()]);
    partner = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    client = await browser.newContext({ viewport: { width: 390, height: 844 } });
    // Two clients that accepted earlier, through the API (the story's browser part adds a third).
    const admin = await mintToken(DEV_JWT_SECRET, { ...PARTNER, roles: ['partner.admin'] });
    const offer = await api(admin, 'POST', '/offers', { grantedRoles: ['full', 'limited'] });
    const url = new URL(offer.body.acceptUrl);
    firstOfferUrl = url;
    firstOfferId = offer.body.id;
    for (const [tenant, name, domain] of [
      ['tenant-northwind', 'Northwind Traders', 'northwind.partner.example'],
      ['tenant-fabrikam', 'Fabrikam Foods', 'fabrikam.partner.example'],
    ]) {
      const token = await mintToken(DEV_JWT_SECRET, {
        sub: `admin@${domain}`,
        tid: tenant,
        roles: ['client.admin'],
      });
      const res = await fetch(
        `${app.baseUrl}/api/v1${url.pathname.replace('/accept/', '/offer-links/')}/accept${url.search}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'x-min-position': offer.position!,
          },
          body: JSON.stringify({ client: { name, primaryDomain: domain, address: ADDRESS } }),
        },
      );
      expect(res.status).toBe(201);
    }
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('signs in, sends an offer, has a client accept it, finds, sorts by health, opens a request and revokes', async () => {
    const page = await partner.newPage();
    page.on('dialog', (dialog) => void dialog.accept());

    // Development sign-in as a partner admin. The first Tab reaches the skip link.
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.getByRole('radio', { name: 'Partner admin' }).check();
    await page.getByLabel('User (sub)').fill(PARTNER.sub);
    await page.getByLabel('Organization (tid)').fill(PARTNER.tid);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByText('2 delegated clients').waitFor()).resolves.toBeUndefined();
    // The token stays out of the address bar.
    expect(page.url()).not.toContain('eyJ');

    // Create an offer with a bundled trial and read its link.
    await page.getByRole('link', { name: 'Offers' }).click();
    await page.getByLabel('Delegation lasts (days; empty for no expiry)').fill('30');
    await page.getByRole('button', { name: 'Create offer' }).click();
    const acceptUrl = (await page.locator('.notice code.accept-url').textContent())!;
    expect(acceptUrl).toMatch(new RegExp(`^${app.baseUrl}/accept/[0-9a-f-]+\\?code=`));

    // The client admin follows the link in another browser context (a phone-sized one).
    const clientPage = await client.newPage();
    clientPage.on('dialog', (dialog) => void dialog.accept());
    await clientPage.goto(acceptUrl.replace(/code=.*/, 'code=not-the-code'));
    await clientPage.getByLabel('Organization (tid)').fill('tenant-contoso');
    await clientPage.getByLabel('User (sub)').fill('admin@contoso-pharma.partner.example');
    await clientPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await clientPage.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    await clientPage.goto(acceptUrl);
    await clientPage.getByRole('heading', { name: 'Grant delegated administration' }).waitFor();
    const terms = clientPage.getByRole('region', { name: 'What you agree to' });
    expect(await terms.textContent()).toMatch(
      /partner-bluesky.*Limited administration.*30 days.*Trial of m365-business-basic/s,
    );
    await clientPage.getByLabel('Organization name').fill('Contoso Pharmaceuticals');
    await clientPage.getByLabel('Primary domain').fill('contoso-pharma.partner.example');
    await clientPage.getByLabel('Street and number').fill(ADDRESS.line1);
    await clientPage.getByLabel('Postal code').fill(ADDRESS.postalCode);
    await clientPage.getByLabel('City').fill(ADDRESS.city);
    await clientPage.getByLabel(/^Country/).fill('cn');
    await clientPage.getByRole('button', { name: 'Accept and grant access' }).click();
    await clientPage.getByRole('heading', { name: 'Delegated administration granted' }).waitFor();

    // The new client appears in the partner's list.
    await page.getByRole('link', { name: 'Client management' }).click();
    await refreshUntil(page, () => page.getByRole('link', { name: 'Contoso Pharmaceuticals' }).isVisible());
    await page.getByText('3 delegated clients').waitFor();

    // Search by part of a primary domain (Enter).
    await page.getByLabel('Search').fill('fabrikam.part');
    await page.getByLabel('Search').press('Enter');
    await page.getByText('1 delegated client', { exact: true }).waitFor();
    expect(await page.locator('table.clients tbody a.client-name').allTextContents()).toEqual([
      'Fabrikam Foods',
    ]);
    // The CSV export is of the current view, the search included.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('Fabrikam Foods');
    expect(csv).not.toContain('Northwind');
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Search').press('Enter');
    await page.getByText('3 delegated clients').waitFor();

    // A health incident at Northwind; sorting by Service health puts it first; its icon opens the report.
    const rows = page.locator('table.clients tbody a.client-name');
    const northwindId = (await page.getByRole('link', { name: 'Northwind Traders' }).getAttribute('href'))!
      .split('/')[2]
      .split('?')[0];
    const publisher = await mintToken(DEV_JWT_SECRET, {
      sub: 'feed',
      tid: 'platform',
      roles: ['platform.health-publisher'],
    });
    const raised = await api(publisher, 'POST', '/health-issues', {
      issueId: 'EX1001',
      clientIds: [northwindId],
      service: 'Exchange Online',
      classification: 'incident',
      title: 'Exchange Online: mail delivery delayed',
      impactDescription: 'Users may see delays sending external mail.',
      status: 'serviceDegradation',
      startDateTime: new Date().toISOString(),
    });
    expect(raised.status).toBe(201);
    // By keyboard: the column header is a button.
    await page.getByRole('button', { name: /^Service health/ }).focus();
    await page.keyboard.press('Enter');
    await refreshUntil(
      page,
      async () =>
        (await rows.first().textContent()) === 'Northwind Traders' &&
        (await page.getByRole('link', { name: /Northwind Traders: 1 incident/ }).isVisible()),
    );
    await page.getByRole('link', { name: /Northwind Traders: 1 incident/ }).click();
    await page.getByRole('heading', { name: 'Service health: Northwind Traders' }).waitFor();
    await page.getByText('Exchange Online: mail delivery delayed').waitFor();

    // A service request on Contoso's behalf: refused without a delegated role, with the API's reason.
    await page.getByRole('link', { name: 'Client management' }).click();
    await page.getByRole('link', { name: 'Contoso Pharmaceuticals' }).click();
    await page.getByRole('complementary').getByRole('link', { name: 'Service requests' }).click();
    await page
      .getByRole('button', { name: /Open a service request on behalf of Contoso Pharmaceuticals/ })
      .click();
    await page.getByLabel('Title').fill('Mailbox cannot receive external mail');
    await page.getByLabel('Description').fill('Since this morning no external mail arrives.');
    await page.getByLabel('Name').fill('Wang Fang');
    await page.getByLabel('E-mail').fill('it@contoso-pharma.partner.example');
    await page.getByRole('button', { name: 'Open service request' }).click();
    await page.getByRole('alert').filter({ hasText: 'no-role' }).waitFor();

    // Assign oneself a delegated role, then open it.
    await page.getByRole('link', { name: 'Partner users' }).click();
    await page.getByLabel('User', { exact: true }).fill(PARTNER.sub);
    await page.getByRole('combobox', { name: 'Delegated role', exact: true }).selectOption('limited');
    await page.getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('row', { name: new RegExp(PARTNER.sub) }).waitFor();
    await page.getByRole('link', { name: 'Service requests', exact: true }).click();
    await page.getByRole('button', { name: /Open a service request on behalf of/ }).click();
    await page.getByLabel('Title').fill('Mailbox cannot receive external mail');
    await page.getByLabel('Description').fill('Since this morning no external mail arrives.');
    await page.getByLabel('Name').fill('Wang Fang');
    await page.getByRole('button', { name: 'Open service request' }).click();
    await page.getByRole('link', { name: 'Mailbox cannot receive external mail' }).click();
    await page.getByRole('heading', { name: 'Mailbox cannot receive external mail' }).waitFor();
    await page.getByLabel('Add a note').fill('Called the client back.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Called the client back.').waitFor();

    // The client's details link its open requests.
    await page.getByRole('link', { name: 'Client management' }).click();
    await page.getByRole('link', { name: 'Contoso Pharmaceuticals' }).click();
    await page
      .getByRole('complementary')
      .getByRole('link', { name: 'Mailbox cannot receive external mail' })
      .click();
    await page.getByRole('heading', { name: 'Mailbox cannot receive external mail' }).waitFor();
    await page.getByText('Called the client back.').waitFor();

    // The client revokes from its page; the partner's list no longer shows it.
    await clientPage.getByRole('button', { name: 'Revoke this delegation' }).click();
    await clientPage.getByRole('heading', { name: 'Delegation revoked' }).waitFor();
    await page.getByRole('link', { name: 'Client management' }).click();
    await refreshUntil(page, async () => (await page.getByText('2 delegated clients').count()) === 1);
    expect(await rows.allTextContents()).not.toContain('Contoso Pharmaceuticals');
  }, 120_000);

  /** Signs a client admin in on a new tab (its own session storage) and opens `url`. */
  async function asClientAdmin(tid: string, sub: string, url: string): Promise<Page> {
    const tab = await client.newPage();
    await tab.goto(url);
    await tab.getByLabel('Organization (tid)').fill(tid);
    await tab.getByLabel('User (sub)').fill(sub);
    await tab.getByRole('button', { name: 'Sign in', exact: true }).click();
    return tab;
  }

  it('tells the client plainly when an offer is revoked (410) or tried too often (429)', async () => {
    const admin = await mintToken(DEV_JWT_SECRET, { ...PARTNER, roles: ['partner.admin'] });
    expect((await api(admin, 'POST', `/offers/${firstOfferId}/revoke`, {})).status).toBe(200);
    const revoked = await asClientAdmin('tenant-litware', 'admin@litware.example', firstOfferUrl.href);
    await revoked.getByRole('heading', { name: 'This offer is no longer available' }).waitFor();
    await revoked.getByRole('alert').filter({ hasText: '410' }).waitFor();

    // Ten wrong guesses by one caller within a minute; the eleventh attempt is refused.
    const guesser = await mintToken(DEV_JWT_SECRET, {
      sub: 'admin@woodgrove.example',
      tid: 'tenant-woodgrove',
      roles: ['client.admin'],
    });
    const wrong = `${firstOfferUrl.pathname.replace('/accept/', '/offer-links/')}?code=guess`;
    for (let i = 0; i < 10; i++) expect((await api(guesser, 'GET', wrong)).status).toBe(404);
    const limited = await asClientAdmin('tenant-woodgrove', 'admin@woodgrove.example', firstOfferUrl.href);
    await limited.getByRole('heading', { name: 'Too many attempts' }).waitFor();
    await limited.getByRole('alert').filter({ hasText: '429' }).waitFor();
  }, 60_000);
});
