// The usager's story in the web application (issue 12), in headless Chromium against the real
// server: log in through the development identity provider, create the vault, keep the kit
// (retype it), add a PDF, view it, download it, share it by link (opened in another browser),
// log out; then what the browser still holds; then
// a fresh browser profile, the kit code, and the document again. axe-core (WCAG 2.1 A and AA) on
// every screen, in French and in English; screenshots of every screen at 360 px and 1280 px.
// Prints one JSON report; the Rust test (tests/tests/web_usager.rs) judges it.
//
//   node usager_story.mjs URL IDENTITY PDF_PATH TITLE SHOTS_DIR
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, identity, pdfPath, title, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const report = { screens: [], violations: [], console: [], steps: [] };
const step = (s) => report.steps.push(s);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Answers the application expects (no session yet: 401; no vault yet: 404) are logged by the
// browser as failed loads; anything else (a CSP refusal, an exception) is a fault.
const expected = /^Failed to load resource: the server responded with a status of (401|404)/;

let current = null;

function watch(page) {
  current = page;
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !expected.test(m.text())) {
      report.console.push(`${m.type()}: ${m.text()} (${page.url()})`);
    }
  });
  page.on('pageerror', (e) => report.console.push(`pageerror: ${e.message}`));
}

async function heading(page, text) {
  await page.locator('h1', { hasText: text }).waitFor({ timeout: 30000 });
}

/** axe and screenshots of the screen shown, in French then English (then back to French). */
async function visit(page, name) {
  report.screens.push(name);
  for (const lang of ['fr', 'en']) {
    if (lang === 'en') await page.locator('header button.lang-switch').click();
    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
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
}

async function login(page) {
  await page.goto(base + '/');
  await page.locator('a.fc-button').click();
  await page.locator('button', { hasText: new RegExp(identity, 'i') }).first().click();
  await page.waitForURL((u) => u.origin === new URL(base).origin && !u.pathname.startsWith('/auth/'), { timeout: 30000 });
}

/** Everything this origin keeps: IndexedDB (every database, store and record), local and
 *  session storage, Cache Storage. Binary values as hex, keys as their description. */
async function inspect(page) {
  return page.evaluate(async () => {
    const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
    const plain = (v) => {
      if (v instanceof CryptoKey) return { cryptoKey: v.type, extractable: v.extractable, algorithm: v.algorithm.name };
      if (v instanceof ArrayBuffer) return { bytes: hex(v) };
      if (ArrayBuffer.isView(v)) return { bytes: hex(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)) };
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
      return v;
    };
    const idb = {};
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, ko) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => ko(r.error);
      });
      idb[name] = {};
      for (const store of db.objectStoreNames) {
        const s = db.transaction(store).objectStore(store);
        const get = (req) => new Promise((ok) => { req.onsuccess = () => ok(req.result); });
        idb[name][store] = { keys: await get(s.getAllKeys()), values: (await get(s.getAll())).map(plain) };
      }
      db.close();
    }
    const caches_ = {};
    for (const name of await caches.keys()) {
      caches_[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
    }
    return { indexedDB: idb, localStorage: { ...localStorage }, sessionStorage: { ...sessionStorage }, caches: caches_ };
  });
}

try {
  // 1. First visit, vault creation, the kit kept.
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/');
  await heading(page, 'Bienvenue');
  await visit(page, 'home');
  await login(page);
  await heading(page, 'Votre kit de secours');
  step('logged in');
  await visit(page, 'kit');
  const code = (await page.locator('[data-testid=kit-code]').textContent()).replace(/\s+/g, '');
  report.kit_code = code;
  await page.locator('button', { hasText: 'J’ai gardé mon kit' }).click();
  await heading(page, 'Vérifions votre kit');
  await visit(page, 'check');
  await page.locator('#kit-typed').fill(code.toLowerCase().replaceAll('-', ' '));
  await page.locator('form button[type=submit]').click();
  await heading(page, 'Mes papiers');
  step('vault created');
  await visit(page, 'papers-empty');

  // 2. A PDF added, viewed, downloaded.
  await page.locator('button', { hasText: 'Ajouter un papier' }).click();
  await heading(page, 'Ajouter un papier');
  await visit(page, 'add');
  await page.locator('#add-category').selectOption('identite');
  await page.locator('#add-file').setInputFiles(pdfPath);
  await page.locator('#add-title').fill(title);
  await page.locator('form button[type=submit]').click();
  await page.locator('text=Votre papier est ajouté').waitFor({ timeout: 60000 });
  await page.locator('.docs li', { hasText: title }).waitFor();
  step('document added');
  await visit(page, 'papers');
  await page.locator('.docs li', { hasText: title }).locator('button', { hasText: 'Voir' }).click();
  await heading(page, title);
  await page.locator('[data-testid=download]').waitFor();
  await page.waitForFunction(() => (document.querySelector('[data-testid=pdf-canvas]')?.width ?? 0) > 0, null, { timeout: 30000 });
  report.pdf_drawn = true;
  step('document viewed');
  await visit(page, 'view');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=download]').click()]);
  const saved = join(shots, 'downloaded.pdf');
  await download.saveAs(saved);
  report.download_name = download.suggestedFilename();
  report.download_sha256 = createHash('sha256').update(readFileSync(saved)).digest('hex');
  step('document downloaded');

  // 3. Shared by link; the link opened in another browser (the share page decrypts it there).
  await page.locator('button', { hasText: 'Partager par un lien' }).click();
  await heading(page, 'Partager ce papier');
  await page.locator('#share-max').selectOption('3');
  await page.locator('form button[type=submit]').click();
  const link = await page.locator('[data-testid=share-link]').inputValue();
  report.share_link_has_fragment = link.includes('#');
  await visit(page, 'share');
  const other = await browser.newContext();
  const stranger = await other.newPage();
  await stranger.goto(link);
  await stranger.locator('#save').waitFor({ state: 'visible', timeout: 30000 });
  report.share_opened_title = await stranger.locator('#status').textContent();
  await other.close();
  step('shared and opened elsewhere');
  await page.locator('button', { hasText: 'Retour' }).click();
  await heading(page, title);
  await page.locator('button', { hasText: 'Retour' }).click();
  await page.locator('button', { hasText: /^Corbeille$/ }).click();
  await heading(page, 'Corbeille');
  await visit(page, 'bin');
  await page.locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes papiers');

  // 4. Logout, then what the browser keeps of the person.
  await page.locator('header button', { hasText: 'Se déconnecter' }).click();
  const idpLogout = page.locator('button', { hasText: 'Me déconnecter' });
  await Promise.race([
    idpLogout.waitFor({ timeout: 30000 }).then(() => idpLogout.click()),
    page.waitForURL((u) => u.pathname === '/auth/logged-out', { timeout: 30000 }),
  ]);
  await page.waitForURL((u) => u.pathname === '/auth/logged-out', { timeout: 30000 });
  step('logged out');
  await page.goto(base + '/');
  await heading(page, 'Bienvenue');
  report.after_logout = await inspect(page);
  await ctx.close();

  // 5. A fresh profile: the kit code opens the vault, the document is there.
  const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page2 = await ctx2.newPage();
  watch(page2);
  await login(page2);
  await heading(page2, 'Ouvrir mon coffre');
  await visit(page2, 'unlock');
  await page2.locator('#kit-code').fill(code);
  await page2.locator('form button[type=submit]').click();
  await heading(page2, 'Mes papiers');
  await page2.locator('.docs li', { hasText: title }).waitFor({ timeout: 30000 });
  report.seen_with_kit = true;
  step('document seen on a fresh profile');
  await ctx2.close();
} catch (e) {
  report.error = String(e?.stack ?? e);
  // What the person saw when the story stopped.
  report.page_text = await current?.locator('main').innerText().catch(() => null);
  await current?.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => null);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
