// The public information pages (issue 13) in headless Chromium, each in a fresh browser with no
// session: opened directly by its address, its one h1, its landmarks, its text, whether the page
// fetched the WASM or started a worker (it must not), axe-core (WCAG 2.1 A and AA) and screenshots
// at 360 px and 1280 px in French and English. Then from the home screen, where each footer link
// and the home screen's "Qu'est-ce que Consigne ?" link lead. Prints one JSON report; the Rust test
// (tests/tests/web_public_pages.rs) judges it.
//
//   node public_pages.mjs BASE_URL SHOTS_DIR PATH...
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, shots, ...paths] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const report = { pages: {}, footer: {}, home: {}, violations: [], console: [], failed: [] };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Without a session the home screen's session check answers 401, which the browser logs as a
// failed load, and the browser's own request for /favicon.ico (there is none) a 404 that the page
// never sees; every answer over 400 the page itself got is listed in `failed`. Anything else
// logged (a CSP refusal, an exception) is a fault.
const expected = /^Failed to load resource: the server responded with a status of (401|404)/;

/** A fresh context (no cookie, no storage) and a page that records faults, WASM loads and workers. */
async function fresh() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const seen = { wasm: false, workers: 0 };
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !expected.test(m.text())) {
      report.console.push(`${m.type()}: ${m.text()} (${page.url()})`);
    }
  });
  page.on('pageerror', (e) => report.console.push(`pageerror: ${e.message} (${page.url()})`));
  page.on('request', (r) => { if (/\.wasm(\?|$)/.test(r.url())) seen.wasm = true; });
  page.on('worker', () => { seen.workers += 1; });
  page.on('response', (r) => { if (r.status() >= 400) report.failed.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  return { context, page, seen };
}

const landmarks = async (page) => ({
  banner: await page.getByRole('banner').count(),
  main: await page.getByRole('main').count(),
  contentinfo: await page.getByRole('contentinfo').count(),
  navigation: await page.getByRole('navigation').count(),
});

for (const path of paths) {
  const { context, page, seen } = await fresh();
  const response = await page.goto(base + path);
  await page.locator('h1').first().waitFor({ timeout: 20000 });
  const name = 'public' + path.replaceAll('/', '-');
  const entry = { status: response?.status(), headings: {}, h1: 0, h2: 0, text: {}, current: null };
  for (const lang of ['fr', 'en']) {
    if (lang === 'en') await page.locator('header button.lang-switch').click();
    await page.locator(`html[lang="${lang}"]`).waitFor();
    entry.headings[lang] = (await page.locator('h1').first().textContent()).trim();
    entry.text[lang] = (await page.locator('main').textContent()).replace(/\s+/g, ' ').trim();
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of axe.violations) {
      report.violations.push(`${path} (${lang}): ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(shots, `${name}-${lang}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  entry.h1 = await page.locator('h1').count();
  entry.h2 = await page.locator('main h2').count();
  entry.landmarks = await landmarks(page);
  entry.current = await page.locator('footer a[aria-current="page"]').getAttribute('href').catch(() => null);
  entry.cookies = (await context.cookies()).map((c) => c.name);
  entry.wasm = seen.wasm;
  entry.workers = seen.workers;
  report.pages[path] = entry;
  await context.close();
}

// From the home screen, with no session: each footer link, then the home screen's own link.
{
  const { context, page, seen } = await fresh();
  await page.goto(base + '/');
  await page.locator('h1').first().waitFor({ timeout: 20000 });
  report.home.heading = (await page.locator('h1').first().textContent()).trim();
  report.home.landmarks = await landmarks(page);
  const links = await page.locator('footer nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of links) {
    await page.goto(base + '/');
    await page.locator('h1').first().waitFor({ timeout: 20000 });
    await page.locator(`footer nav a[href="${href}"]`).click();
    await page.waitForURL((u) => u.pathname === href, { timeout: 20000 });
    await page.locator('h1').first().waitFor({ timeout: 20000 });
    report.footer[href] = (await page.locator('h1').first().textContent()).trim();
  }
  await page.goto(base + '/');
  await page.locator('main a[href="/app/consigne"]').click();
  await page.waitForURL((u) => u.pathname === '/app/consigne', { timeout: 20000 });
  await page.locator('h1').first().waitFor({ timeout: 20000 });
  report.home.about = (await page.locator('h1').first().textContent()).trim();
  report.home.wasm = seen.wasm;
  report.home.workers = seen.workers;
  await context.close();
}

await browser.close();
console.log(JSON.stringify(report));
