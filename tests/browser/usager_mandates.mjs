// "Mes mandats", "Qui a vu mes papiers", closing the vault and "Écouter" (issue 12), in headless
// Chromium against the real server: the usager creates her vault and adds a paper, opens the
// proposal's link, accepts; the harness (the aidant) opens the paper; she finds that in her
// journal (filtered by the aidant), has the screen read aloud, stops the mandate from "Mes
// papiers" counting the taps, opens the attestation, re-encrypts what was opened, asks to close
// her vault and cancels; a second proposal's link, refused. axe-core (WCAG 2.1 A and AA) and screenshots (fr/en, 360/1280) of each
// screen. Talks to the Rust test (tests/tests/web_usager_mandates.rs): a request is one JSON line
// {"ask": ...} on stdout, answered by one JSON line on stdin; the last line is the report.
//
//   node usager_mandates.mjs URL IDENTITY PDF_PATH TITLE SHOTS_DIR CLAIM_URL REFUSED_CLAIM_URL
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [base, identity, pdfPath, title, shots, claimUrl, refusedUrl] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const report = { screens: [], violations: [], console: [], refused: [], steps: [] };
const step = (s) => report.steps.push(s);
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Asks the harness to do `what`; its answer. */
async function ask(what) {
  process.stdout.write(JSON.stringify({ ask: what }) + '\n');
  const { value } = await answers.next();
  return JSON.parse(value);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

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
  // A refused API call, with its code: what a failing step ran into.
  page.on('response', async (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/api/')) {
      const body = await r.text().catch(() => '');
      report.refused.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()} ${body.slice(0, 200)}`);
    }
  });
}

async function heading(page, text) {
  await page.locator('h1', { hasText: text }).waitFor({ timeout: 30000 });
}

async function visit(page, name) {
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
}

const main = (page) => page.locator('main');
const tap = async (page, locator, counter) => {
  await locator.click();
  counter.n++;
};

/** Presses "Écouter" and records what speechSynthesis.speak received (headless Chromium has no
 *  voices, so the page's speak is replaced by a recorder), then presses it again to stop. */
async function listen(page, startLabel) {
  const h1 = (await page.locator('h1').innerText()).trim();
  const before = await page.evaluate(() => window.__spoken.length);
  await page.locator('header button', { hasText: startLabel }).click();
  const said = await page.evaluate((n) => window.__spoken.slice(n), before);
  report.spoken.push({ heading: h1, text: said.map((u) => u.text).join('\n'), lang: said[0]?.lang ?? '', langs: said.map((u) => u.lang) });
  const cancels = await page.evaluate(() => window.__cancels);
  await page.locator('header button[aria-pressed=true]').click();
  await page.locator('header button[aria-pressed=false]', { hasText: startLabel }).waitFor();
  report.stopped_speaking = (await page.evaluate(() => window.__cancels)) > cancels;
}

try {
  report.spoken = [];
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(() => {
    window.__spoken = [];
    window.__cancels = 0;
    if (!('speechSynthesis' in window)) return;
    speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });
    speechSynthesis.cancel = () => { window.__cancels++; };
  });
  const page = await ctx.newPage();
  watch(page);

  // 1. Login, vault, kit, one paper of the mandate's category.
  await page.goto(base + '/');
  await page.locator('a.fc-button').click();
  await page.locator('button', { hasText: new RegExp(identity, 'i') }).first().click();
  await page.waitForURL((u) => u.origin === new URL(base).origin && !u.pathname.startsWith('/auth/'), { timeout: 30000 });
  await heading(page, 'Votre kit de secours');
  const code = (await page.locator('[data-testid=kit-code]').textContent()).replace(/\s+/g, '');
  await page.locator('button', { hasText: 'J’ai gardé mon kit' }).click();
  await heading(page, 'Vérifions votre kit');
  await page.locator('#kit-typed').fill(code);
  await page.locator('form button[type=submit]').click();
  await heading(page, 'Mes papiers');
  await page.locator('button', { hasText: 'Ajouter un papier' }).click();
  await heading(page, 'Ajouter un papier');
  await page.locator('#add-category').selectOption('identite');
  await page.locator('#add-file').setInputFiles(pdfPath);
  await page.locator('#add-title').fill(title);
  await page.locator('form button[type=submit]').click();
  await page.locator('.docs li', { hasText: title }).waitFor({ timeout: 60000 });
  step('vault and paper');

  // 2. The proposal's link, then "Accepter".
  await page.goto(claimUrl);
  await heading(page, 'Mes mandats');
  await main(page).locator('button', { hasText: 'Accepter' }).waitFor({ timeout: 30000 });
  report.claimed_path = new URL(page.url()).pathname;
  await visit(page, 'mandates-proposal');
  await main(page).locator('button', { hasText: 'Accepter' }).click();
  await main(page).locator('text=Vous avez accepté').waitFor({ timeout: 30000 });
  await main(page).locator('button', { hasText: 'Arrêter ce mandat' }).waitFor();
  step('accepted');
  await visit(page, 'mandates-active');

  // A paper added after the consent, in the mandate's category: the web application gives it a
  // slot for the mandate (the server refuses a version without one), so the aidant opens it too.
  await main(page).locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes papiers');
  await page.locator('button', { hasText: 'Ajouter un papier' }).click();
  await heading(page, 'Ajouter un papier');
  await page.locator('#add-category').selectOption('identite');
  await page.locator('#add-file').setInputFiles(pdfPath);
  await page.locator('#add-title').fill(title + ' (copie)');
  await page.locator('form button[type=submit]').click();
  await page.locator('.docs li', { hasText: title + ' (copie)' }).waitFor({ timeout: 60000 });
  step('paper added under the mandate');
  await main(page).locator('button', { hasText: 'Mes mandats' }).click();
  await heading(page, 'Mes mandats');

  // 3. The aidant opens the paper; the usager sees it in "Qui a vu mes papiers".
  await ask('open');
  await main(page).locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes papiers');
  await main(page).locator('button', { hasText: 'Qui a vu mes papiers' }).click();
  await heading(page, 'Qui a vu mes papiers');
  await page.locator('ol.entries li', { hasText: 'Sophie' }).first().waitFor({ timeout: 30000 });
  report.journal_text = await page.locator('ol.entries').innerText();
  report.journal_times = await page.locator('ol.entries li time[datetime]').count();
  report.journal_first_page = await page.locator('ol.entries li').count();
  report.journal_newest = await page.locator('ol.entries li').first().innerText();
  await main(page).locator('button', { hasText: 'Voir plus' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('ol.entries li').length > n, report.journal_first_page, { timeout: 30000 });
  report.journal_after_more = await page.locator('ol.entries li').count();
  const seqs = await page.locator('ol.entries li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.seq)));
  report.journal_seqs_descending = seqs.every((s, i) => i === 0 || s < seqs[i - 1]);
  await visit(page, 'journal');
  const sophie = await page.locator('#j-who option', { hasText: 'Sophie' }).first().getAttribute('value');
  await page.locator('#j-who').selectOption(sophie);
  await main(page).locator('button[type=submit]').click();
  await page.waitForFunction(() => {
    const items = [...document.querySelectorAll('ol.entries li')];
    return items.length > 0 && items.every((li) => li.textContent.includes('Sophie'));
  }, null, { timeout: 30000 });
  report.filtered_only_sophie = true;
  step('journal');

  // 4. "Écouter", in French then in English.
  await listen(page, 'Écouter');
  await page.locator('header button.lang-switch').click();
  await heading(page, 'Who saw my papers');
  await listen(page, 'Listen');
  await page.locator('header button.lang-switch').click();
  step('listened');

  // 5. From "Mes papiers", stop the mandate: taps counted.
  await main(page).locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes papiers');
  const taps = { n: 0 };
  await tap(page, main(page).locator('button', { hasText: 'Mes mandats' }), taps);
  await heading(page, 'Mes mandats');
  await tap(page, main(page).locator('button', { hasText: 'Arrêter ce mandat' }), taps);
  report.confirm_focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
  await visit(page, 'mandates-stop');
  await tap(page, main(page).locator('button', { hasText: 'Oui, arrêter' }), taps);
  await main(page).locator('text=Le mandat est arrêté').waitFor({ timeout: 30000 });
  report.taps_to_revoke = taps.n;
  await ask('later');
  step('stopped');

  // 6. The attestation's A4 page, opened from its button.
  const link = main(page).locator('a', { hasText: 'Imprimer l’attestation' }).first();
  await link.waitFor({ timeout: 30000 });
  await main(page).locator('button', { hasText: 'Rechiffrer ce que l’aidant a ouvert' }).waitFor({ timeout: 30000 });
  await visit(page, 'mandates-ended');
  const [printed] = await Promise.all([ctx.waitForEvent('page'), link.click()]);
  await printed.waitForLoadState();
  report.attestation_text = await printed.locator('body').innerText();
  await printed.screenshot({ path: join(shots, 'mandates-attestation.png'), fullPage: true });
  await printed.close();
  current = page;
  step('attestation');

  // 7. Re-encryption of what the aidant opened.
  await main(page).locator('button', { hasText: 'Rechiffrer ce que l’aidant a ouvert' }).click();
  const done = main(page).locator('p[role=status]', { hasText: 'rechiffré' });
  await done.waitFor({ timeout: 60000 });
  report.reencrypted_message = await done.innerText();
  step('re-encrypted');

  // 8. Closing the vault, then cancelling.
  await main(page).locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes papiers');
  await main(page).locator('button', { hasText: 'Fermer mon coffre' }).click();
  await heading(page, 'Fermer mon coffre');
  await visit(page, 'closure');
  await page.locator('#closure-sure').check();
  await main(page).locator('button', { hasText: 'Fermer mon coffre' }).click();
  await main(page).locator('text=Votre coffre sera effacé le').waitFor({ timeout: 30000 });
  report.closure_pending_shown = true;
  await visit(page, 'closure-pending');
  await main(page).locator('button', { hasText: 'Annuler la fermeture' }).click();
  await main(page).locator('text=La fermeture est annulée').waitFor({ timeout: 30000 });
  report.closure_cancelled_shown = true;
  step('closure asked and cancelled');

  // 9. Another proposal's link, refused.
  await page.goto(refusedUrl);
  await heading(page, 'Mes mandats');
  const proposal = main(page).locator('article', { hasText: 'Demande en attente' });
  await proposal.locator('button', { hasText: 'Refuser' }).click();
  await main(page).locator('text=Vous avez refusé').waitFor({ timeout: 30000 });
  report.refused_shown = true;
  step('refused');
  await ctx.close();
} catch (e) {
  report.error = String(e?.stack ?? e);
  report.page_text = await current?.locator('main').innerText().catch(() => null);
  await current?.screenshot({ path: join(shots, 'mandates-failure.png'), fullPage: true }).catch(() => null);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + '\n');
process.exit(0);
