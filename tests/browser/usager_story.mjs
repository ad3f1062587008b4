// The usager's story in the web application (issue 12), in headless Chromium against the real
// server: log in through the development identity provider, create the vault, keep the kit
// (retype it), add a paper from camera photos (Chromium's fake camera plays a picture drawn
// here) and a PDF, view both, download the PDF, share it by link (opened in another browser),
// download the export ZIP, log out; then what the browser still holds; then a fresh browser
// whose fake camera shows the kit's QR code (taken from the kit screen): the scan opens the vault
// and every paper is there. axe-core (WCAG 2.1 A and AA) on every screen, in French and in
// English; screenshots of every screen at 360 px and 1280 px. Prints one JSON report; the Rust
// test (tests/tests/web_usager.rs) judges it (and opens the ZIP).
//
//   node usager_story.mjs URL IDENTITY PDF_PATH TITLE SHOTS_DIR WORK_DIR PHOTO_TITLE
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, identity, pdfPath, title, shots, work, photoTitle] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const report = { screens: [], violations: [], overflow: [], console: [], steps: [] };
const step = (s) => report.steps.push(s);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const launch = (camera) => chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // The fake camera plays `camera` (a y4m video) and the permission prompt is answered yes.
  args: camera
    ? [...ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera}`]
    : ARGS,
});

// A photo the phone's camera app would give (through the file input, when the camera is refused).
const fixtureJpeg = join(dirname(fileURLToPath(import.meta.url)), '../../web/src/lib/fixtures/landscape-64x40.jpg');
const W = 640;
const H = 480;

/** A y4m video (one 4:2:0 frame) of the RGBA pixels, for Chromium's fake camera. */
function y4m(rgba) {
  const y = Buffer.alloc(W * H);
  const u = Buffer.alloc((W / 2) * (H / 2));
  const v = Buffer.alloc((W / 2) * (H / 2));
  const at = (x, yy) => 4 * (yy * W + x);
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < W; i++) {
      const p = at(i, j);
      y[j * W + i] = Math.round(0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2]);
    }
  }
  for (let j = 0; j < H / 2; j++) {
    for (let i = 0; i < W / 2; i++) {
      const p = at(2 * i, 2 * j);
      const [r, g, b] = [rgba[p], rgba[p + 1], rgba[p + 2]];
      u[j * (W / 2) + i] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
      v[j * (W / 2) + i] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
    }
  }
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, u, v]);
}

/** RGBA pixels of a W×H picture drawn in a blank page: `image` (PNG bytes) centred on white,
 *  or, without it, a paper of distinct content (a title, a photo box, coloured bands). */
async function pixels(page, image) {
  const dataUrl = image ? `data:image/png;base64,${image.toString('base64')}` : null;
  return page.evaluate(async ({ W, H, dataUrl }) => {
    const canvas = document.createElement('canvas');
    canvas.width = W;
    canvas.height = H;
    const c = canvas.getContext('2d');
    c.fillStyle = '#fff';
    c.fillRect(0, 0, W, H);
    if (dataUrl) {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      const side = Math.min(W, H) - 40;
      c.imageSmoothingEnabled = false;
      c.drawImage(img, (W - side) / 2, (H - side) / 2, side, side);
    } else {
      c.fillStyle = '#000091';
      c.fillRect(0, 0, W, 70);
      c.fillStyle = '#fff';
      c.font = 'bold 40px sans-serif';
      c.fillText('CARTE DE TEST', 30, 50);
      c.fillStyle = '#c9191e';
      c.fillRect(30, 110, 160, 200);
      c.fillStyle = '#161616';
      c.font = '28px sans-serif';
      for (let i = 0; i < 5; i++) c.fillText(`Ligne ${i + 1} : BENOIT 0${i}`, 230, 140 + 45 * i);
      c.fillStyle = '#18753c';
      c.fillRect(0, H - 60, W, 60);
    }
    return Array.from(c.getImageData(0, 0, W, H).data);
  }, { W, H, dataUrl });
}

// The photographed paper, drawn once in a browser without a camera.
const photoVideo = join(work, 'photo.y4m');
{
  const tools = await launch(null);
  const p = await tools.newPage();
  writeFileSync(photoVideo, y4m(await pixels(p)));
  await tools.close();
}
const browser = await launch(photoVideo);

// Answers the application expects (no session yet: 401; no vault yet: 404) are logged by the
// browser as failed loads; anything else (a CSP refusal, an exception) is a fault.
const expected = /^Failed to load resource: the server responded with a status of (401|404)/;

let current = null;
let second = null;

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
    // The catalogue of a language other than French is fetched when chosen.
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
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
    // The narrowest phones (and 200 % zoom on a 640 px window): nothing wider than the screen.
    await page.setViewportSize({ width: 320, height: 900 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 0) report.overflow.push(`${name} (${lang}): ${wide} px wider than 320`);
  }
  await page.locator('header button.lang-switch').click();
  await page.waitForFunction(() => document.documentElement.lang === 'fr');
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Waits until the camera preview `testid` plays frames. */
async function playing(page, testid) {
  await page.waitForFunction((id) => {
    const v = document.querySelector(`[data-testid=${id}]`);
    return v && v.readyState >= 2 && v.videoWidth > 0;
  }, testid, { timeout: 30000 });
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
  // The kit's QR code as the screen shows it, for the second browser's camera.
  const qrPng = await page.locator('svg.qr').screenshot();
  const blank = await ctx.newPage();
  const qrVideo = join(work, 'kit-qr.y4m');
  writeFileSync(qrVideo, y4m(await pixels(blank, qrPng)));
  await blank.close();
  await page.locator('button', { hasText: 'J’ai gardé mon kit' }).click();
  await heading(page, 'Vérifions votre kit');
  await visit(page, 'check');
  // The scanner opens (this camera shows a paper, not a QR code), then the person types instead.
  await page.locator('button', { hasText: 'Scanner le code' }).click();
  await playing(page, 'scan-video');
  await visit(page, 'check-scan');
  await page.locator('button', { hasText: 'Arrêter de scanner' }).click();
  await page.locator('#kit-typed').fill(code.toLowerCase().replaceAll('-', ' '));
  await page.locator('form button[type=submit]').click();
  await heading(page, 'Mes papiers');
  step('vault created');
  await visit(page, 'papers-empty');

  // 2. A paper from camera photos: three taken, the second removed, two become one PDF.
  await page.locator('button', { hasText: 'Ajouter un papier' }).click();
  await heading(page, 'Ajouter un papier');
  await visit(page, 'add');
  await page.locator('button', { hasText: 'Prendre en photo' }).click();
  await playing(page, 'camera-video');
  for (const n of [1, 2, 3]) {
    await page.locator('button', { hasText: 'Prendre la photo' }).click();
    await page.locator('.pages li').nth(n - 1).waitFor({ timeout: 30000 });
  }
  await visit(page, 'add-camera');
  await page.locator('button', { hasText: 'Enlever la page 2' }).click();
  report.pages_after_removal = await page.locator('.pages li').count();
  await page.locator('[data-testid=camera-done]').click();
  await page.locator('[data-testid=photos-ready]', { hasText: '2 pages prêtes' }).waitFor();
  await visit(page, 'add-photos');
  // The camera refused: the person's "no" to the browser's prompt, which the fake-UI flag cannot
  // give, is stood in for by a getUserMedia that rejects as Chromium does. Plain words, and the
  // phone's camera app through a file input. The two pages taken show again; cancelling keeps
  // them as they were (the PDF checked by the Rust test has them).
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await page.locator('button', { hasText: 'Ajouter ou enlever des pages' }).click();
  await page.locator('text=La caméra est refusée').waitFor();
  report.fallback_input = {
    capture: await page.locator('#camera-file').getAttribute('capture'),
    accept: await page.locator('#camera-file').getAttribute('accept'),
  };
  await page.locator('#camera-file').setInputFiles(fixtureJpeg);
  await page.locator('.pages li').nth(2).waitFor({ timeout: 30000 });
  await visit(page, 'add-camera-refused');
  await page.locator('button', { hasText: 'Annuler les photos' }).click();
  await page.locator('[data-testid=photos-ready]', { hasText: '2 pages prêtes' }).waitFor();
  await page.locator('#add-category').selectOption('sante');
  await page.locator('#add-title').fill(photoTitle);
  await page.locator('form button[type=submit]').click();
  await page.locator('text=Votre papier est ajouté').waitFor({ timeout: 60000 });
  await page.locator('.docs li', { hasText: photoTitle }).waitFor();
  step('paper added from photos');
  await page.locator('.docs li', { hasText: photoTitle }).locator('button', { hasText: 'Voir' }).click();
  await heading(page, photoTitle);
  await page.waitForFunction(() => (document.querySelector('[data-testid=pdf-canvas]')?.width ?? 0) > 0, null, { timeout: 30000 });
  report.photo_pdf_drawn = true;
  await visit(page, 'view-photos');
  await page.locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes papiers');

  // 3. A PDF added, viewed, downloaded.
  await page.locator('button', { hasText: 'Ajouter un papier' }).click();
  await heading(page, 'Ajouter un papier');
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

  // 4. Shared by link; the link opened in another browser (the share page decrypts it there).
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

  // 5. Every paper at once: the ZIP made in this browser, downloaded; the Rust test opens it.
  await page.locator('button', { hasText: 'Récupérer tous mes papiers' }).click();
  await heading(page, 'Récupérer tous mes papiers');
  await visit(page, 'export');
  const [zip] = await Promise.all([
    page.waitForEvent('download', { timeout: 120000 }),
    page.locator('button', { hasText: 'Préparer mon fichier' }).click(),
  ]);
  report.export_zip = join(work, 'export.zip');
  await zip.saveAs(report.export_zip);
  report.export_name = zip.suggestedFilename();
  await page.locator('[data-testid=export-download]').waitFor();
  step('export downloaded');
  await visit(page, 'export-ready');
  await page.locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes papiers');

  // 6. Logout, then what the browser keeps of the person.
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

  await browser.close();

  // 7. Another browser, a fresh profile: its camera shows the kit's QR code; the scan opens the
  // vault and every paper is there.
  const browser2 = await launch(qrVideo);
  second = browser2;
  const ctx2 = await browser2.newContext({ viewport: { width: 1280, height: 900 } });
  const page2 = await ctx2.newPage();
  watch(page2);
  await login(page2);
  await heading(page2, 'Ouvrir mon coffre');
  await visit(page2, 'unlock');
  await page2.locator('button', { hasText: 'Scanner le code' }).click();
  await heading(page2, 'Mes papiers');
  report.scanned = true;
  for (const t of [title, photoTitle]) await page2.locator('.docs li', { hasText: t }).waitFor({ timeout: 30000 });
  report.seen_with_kit = true;
  step('every paper seen on a fresh profile, the kit scanned');
  await ctx2.close();
} catch (e) {
  report.error = String(e?.stack ?? e);
  // What the person saw when the story stopped.
  report.page_text = await current?.locator('main').innerText().catch(() => null);
  await current?.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => null);
} finally {
  await browser.close().catch(() => null);
  await second?.close().catch(() => null);
}
console.log(JSON.stringify(report));
