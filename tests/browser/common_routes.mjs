// What the browser scripts of the screens' addresses share (usager_routes.mjs, recovery_browser.mjs,
// slow3g.mjs): Chromium, the console watch, axe-core and screenshots in French and English,
// login through the development identity provider, and what the origin keeps.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';

export const launch = () => chromium.launch({ executablePath: EXECUTABLE, args: ARGS });
export const launchPersistent = (dir) =>
  chromium.launchPersistentContext(dir, { executablePath: EXECUTABLE, args: ARGS, viewport: { width: 1280, height: 900 }, acceptDownloads: true });

// Answers the application expects (no session yet: 401; no vault or no request yet: 404; a
// refusal it shows in words: 403, 409) are logged by the browser as failed loads; anything else
// (a CSP refusal, an exception) is a fault.
const expected = /^Failed to load resource: the server responded with a status of (401|403|404|409)/;

export function reporter(shots) {
  mkdirSync(shots, { recursive: true });
  const report = { screens: [], violations: [], console: [], steps: [] };
  let current = null;
  return {
    report,
    step: (s) => report.steps.push(s),
    watch(page) {
      current = page;
      page.on('console', (m) => {
        if ((m.type() === 'error' || m.type() === 'warning') && !expected.test(m.text())) {
          report.console.push(`${m.type()}: ${m.text()} (${page.url()})`);
        }
      });
      page.on('pageerror', (e) => report.console.push(`pageerror: ${e.message}`));
    },
    /** axe and screenshots of the screen shown, in French then English (then back to French). */
    async visit(page, name) {
      report.screens.push(name);
      for (const lang of ['fr', 'en']) {
        if (lang === 'en') await page.locator('header button.lang-switch').click();
        await page.locator(`html[lang="${lang}"]`).waitFor();
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        for (const v of axe.violations) {
          report.violations.push(`${name} (${lang}): ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }
        for (const width of [360, 1280]) {
          await page.setViewportSize({ width, height: 900 });
          await page.screenshot({ path: join(shots, `${name}-${lang}-${width}.png`), fullPage: true });
        }
      }
      await page.locator('header button.lang-switch').click();
      await page.setViewportSize({ width: 1280, height: 900 });
    },
    async failed(e) {
      report.error = String(e?.stack ?? e);
      report.page_text = await current?.locator('main').innerText().catch(() => null);
      report.url = current?.url();
      await current?.screenshot({ path: join(shots, 'routes-failure.png'), fullPage: true }).catch(() => null);
    },
  };
}

export async function heading(page, text) {
  await page.locator('h1', { hasText: text }).waitFor({ timeout: 30000 });
}

/** Signs in as `identity` with the development identity provider, from the entry page. */
export async function login(page, base, identity) {
  await page.goto(base + '/');
  // Back in the application: it writes a screen's address (/app/…) once it knows the session.
  const back = (u) => u.origin === new URL(base).origin && u.pathname.startsWith('/app/');
  await page.locator('a.fc-button').click();
  // The provider asks who signs in, unless it still has a session of its own (a kept profile).
  const choice = page.locator('button', { hasText: new RegExp(identity, 'i') }).first();
  const asked = await Promise.race([
    choice.waitFor({ timeout: 30000 }).then(() => true, () => false),
    page.waitForURL(back, { timeout: 30000 }).then(() => false, () => false),
  ]);
  if (asked) await choice.click();
  await page.waitForURL(back, { timeout: 30000 });
}

export async function logout(page, base) {
  // (ends the provider's session too, so that the next login asks who signs in)
  await page.locator('header button', { hasText: 'Se déconnecter' }).click();
  const idpLogout = page.locator('button', { hasText: 'Me déconnecter' });
  await Promise.race([
    idpLogout.waitFor({ timeout: 30000 }).then(() => idpLogout.click(), () => undefined),
    page.waitForURL((u) => u.pathname === '/auth/logged-out', { timeout: 30000 }).catch(() => undefined),
  ]);
  await page.waitForURL((u) => u.pathname === '/auth/logged-out', { timeout: 30000 });
  await page.goto(base + '/');
  await heading(page, 'Bienvenue');
}

/** The records of the device's IndexedDB database (keys, and each record's `remember` and
 *  whether its wrapping key is extractable), and the names of every database. */
export async function deviceRecords(page) {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('consigne-device')) return { databases: names, records: [] };
    const db = await new Promise((ok, ko) => {
      const r = indexedDB.open('consigne-device');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
    const s = db.transaction('keys').objectStore('keys');
    const get = (req) => new Promise((ok) => { req.onsuccess = () => ok(req.result); });
    const keys = await get(s.getAllKeys());
    const values = await get(s.getAll());
    db.close();
    return {
      databases: names,
      records: values.map((v, i) => ({ key: String(keys[i]), remember: v.remember ?? null, extractable: v.wrapping?.extractable ?? null })),
    };
  });
}
