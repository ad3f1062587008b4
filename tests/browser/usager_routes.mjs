// The screens' addresses (issue 12) in headless Chromium against the real server: each screen
// has its path under /app/, the back button goes back a screen and a reload stays on it; a paper
// replaced by a new version and opened; the "Bientôt expiré" and "Expiré" badges; the device key
// erased at logout when "Se souvenir de cet appareil" was not ticked, kept when it was. axe-core
// and screenshots (fr/en, 360/1280) of the new screens. Prints one JSON report for
// tests/tests/web_usager_routes.rs.
//
//   node usager_routes.mjs URL IDENTITY PDF_1 PDF_2 SHOTS_DIR
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceRecords, heading, launch, login, logout, reporter } from './common_routes.mjs';

const [base, identity, pdf1, pdf2, shots] = process.argv.slice(2);
const { report, step, watch, visit, failed } = reporter(shots);
const browser = await launch();
const path = (page) => new URL(page.url()).pathname;
const day = (offset) => {
  const d = new Date(Date.now() + offset * 86400000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};
report.paths = {};
report.after_reload = {};
report.after_back = {};

async function add(page, title, file, expires) {
  await page.locator('button', { hasText: 'Ajouter un papier' }).click();
  await heading(page, 'Ajouter un papier');
  await page.locator('#add-category').selectOption('identite');
  await page.locator('#add-file').setInputFiles(file);
  await page.locator('#add-title').fill(title);
  if (expires) await page.locator('#add-expires').fill(expires);
  await page.locator('form button[type=submit]').click();
  await page.locator('.docs li', { hasText: title }).waitFor({ timeout: 60000 });
}

/** The view screen of `title`, its PDF drawn (leaving before would cut pdf.js short, which it
 *  logs as a warning). */
async function viewed(page, title) {
  await heading(page, title);
  await page.locator('[data-testid=pdf-canvas][data-drawn="1"]').waitFor({ timeout: 30000 });
}

/** Reloads and records which heading shows on which path. */
async function reload(page, name, text) {
  await page.reload();
  await heading(page, text);
  report.after_reload[name] = path(page);
}

async function back(page, name, text) {
  await page.goBack();
  await heading(page, text);
  report.after_back[name] = path(page);
}

try {
  // 1. A vault created without "Se souvenir de cet appareil".
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  watch(page);
  await login(page, base, identity);
  await heading(page, 'Votre kit de secours');
  report.paths.kit = path(page);
  const code = (await page.locator('[data-testid=kit-code]').textContent()).replace(/\s+/g, '');
  await page.locator('button', { hasText: 'J’ai gardé mon kit' }).click();
  await heading(page, 'Vérifions votre kit');
  report.paths.check = path(page);
  await back(page, 'check', 'Votre kit de secours');
  await page.goForward();
  await heading(page, 'Vérifions votre kit');
  report.remember_default = await page.locator('#remember').isChecked();
  await visit(page, 'routes-check');
  await page.locator('#kit-typed').fill(code);
  await page.locator('form button[type=submit]').click();
  await heading(page, 'Mes papiers');
  report.paths.papers = path(page);
  step('vault created');

  // 2. Two papers with an end date: soon, and past.
  const soon = 'Carte d’identité';
  const past = 'Ancien titre de séjour';
  await add(page, soon, pdf1, day(30));
  await page.locator('#add-expires').waitFor({ state: 'detached' });
  await add(page, past, pdf1, day(-2));
  report.badge_soon = await page.locator('.docs li', { hasText: soon }).locator('[data-testid=expiry-badge]').innerText();
  report.badge_past = await page.locator('.docs li', { hasText: past }).locator('[data-testid=expiry-badge]').innerText();
  step('papers added with their end dates');
  await visit(page, 'routes-papers-badges');

  // 3. Addresses, reloads and the back button.
  await page.locator('.docs li', { hasText: soon }).locator('button', { hasText: 'Voir' }).click();
  await viewed(page, soon);
  report.paths.view = path(page);
  await reload(page, 'view', soon);
  await viewed(page, soon);
  await page.locator('button', { hasText: 'Partager par un lien' }).click();
  await heading(page, 'Partager ce papier');
  report.paths.share = path(page);
  await reload(page, 'share', 'Partager ce papier');
  await back(page, 'share', soon);
  await viewed(page, soon);
  await back(page, 'view', 'Mes papiers');
  await page.locator('button', { hasText: /^Corbeille$/ }).click();
  await heading(page, 'Corbeille');
  report.paths.bin = path(page);
  await reload(page, 'bin', 'Corbeille');
  await back(page, 'bin', 'Mes papiers');
  await page.locator('button', { hasText: 'Ajouter un papier' }).click();
  await heading(page, 'Ajouter un papier');
  report.paths.add = path(page);
  await reload(page, 'add', 'Ajouter un papier');
  await back(page, 'add', 'Mes papiers');
  await reload(page, 'papers', 'Mes papiers');
  step('addresses, reloads, back');

  // 4. The paper replaced by a new file: version 2, the new bytes.
  await page.locator('.docs li', { hasText: soon }).locator('button', { hasText: 'Voir' }).click();
  await viewed(page, soon);
  await page.locator('button', { hasText: 'Remplacer ou modifier' }).click();
  await heading(page, 'Remplacer ou modifier ce papier');
  report.paths.edit = path(page);
  await reload(page, 'edit', 'Remplacer ou modifier ce papier');
  await visit(page, 'routes-edit');
  await page.locator('#edit-file').setInputFiles(pdf2);
  await page.locator('form button[type=submit]').click();
  await page.locator('[data-testid=version]', { hasText: 'Version 2' }).waitFor({ timeout: 60000 });
  await viewed(page, soon);
  report.after_replace_path = path(page);
  await page.locator('[data-testid=download]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=download]').click()]);
  const saved = join(shots, 'routes-replaced.pdf');
  await download.saveAs(saved);
  report.replaced_sha256 = createHash('sha256').update(readFileSync(saved)).digest('hex');
  await visit(page, 'routes-view');
  await back(page, 'after_replace', 'Mes papiers');
  step('replaced');

  // 5. The past paper's end date removed (the same file sealed again): no badge any more.
  await page.locator('.docs li', { hasText: past }).locator('button', { hasText: 'Voir' }).click();
  await viewed(page, past);
  await page.locator('button', { hasText: 'Remplacer ou modifier' }).click();
  await heading(page, 'Remplacer ou modifier ce papier');
  await page.locator('#edit-expires').fill('');
  await page.locator('form button[type=submit]').click();
  await page.locator('[data-testid=version]', { hasText: 'Version 2' }).waitFor({ timeout: 60000 });
  await viewed(page, past);
  await back(page, 'after_edit', 'Mes papiers');
  await page.locator('.docs li', { hasText: past }).waitFor();
  report.badges_after_edit = await page.locator('.docs li', { hasText: past }).locator('[data-testid=expiry-badge]').count();
  step('end date removed');

  // 6. Logout: not remembered, so no device key is left.
  await logout(page, base);
  report.device_after_logout_not_remembered = await deviceRecords(page);
  await ctx.close();

  // 7. Another browser: the kit, with "Se souvenir de cet appareil"; kept after logout, and the
  //    vault opens without the code at the next login.
  const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page2 = await ctx2.newPage();
  watch(page2);
  await login(page2, base, identity);
  await heading(page2, 'Ouvrir mon coffre');
  await visit(page2, 'routes-unlock');
  await page2.locator('#kit-code').fill(code);
  await page2.locator('#remember').check();
  await page2.locator('form button[type=submit]').click();
  await heading(page2, 'Mes papiers');
  await logout(page2, base);
  report.device_after_logout_remembered = await deviceRecords(page2);
  await login(page2, base, identity);
  await heading(page2, 'Mes papiers');
  report.opened_without_code = true;
  step('remembered device');
  await ctx2.close();
} catch (e) {
  await failed(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
