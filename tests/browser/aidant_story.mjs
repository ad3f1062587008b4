// The aidant's side of the web application (issue 13), in headless Chromium against the real
// server: Sophie follows her invitation, sets up her authenticator and gives its code, creates her
// account key (its professional kit read and typed again), chooses the organisation she acts for,
// proposes a mandate by link and another in person (QR code); the harness consents as each usager;
// she finds Angela in "Mes usagers", opens her paper, downloads it, adds another; she logs out and
// in again (this device remembers her key), and the way from login to Angela's paper is timed and
// its screens and taps counted; the harness revokes the mandate and her next attempt is refused in
// words. axe-core (WCAG 2.1 A and AA) and screenshots (fr/en, 360/1280) of every screen.
// Talks to the Rust test (tests/tests/web_aidant.rs): a request is one JSON line {"ask": ...} on
// stdout, answered by one JSON line on stdin; the last line is the report.
//
//   node aidant_story.mjs URL INVITATION_URL SHOTS_DIR PAPER_TITLE ADD_PATH ADD_TITLE
import { createInterface } from 'node:readline';
import { heading, launch, logout, reporter, deviceRecords } from './common_routes.mjs';
import {
  addPaper, chooseOrganisation, createKey, downloadShown, enrolAuthenticator, giveCode, main, openPaper,
  openPerson, propose, providerLogin, waitAccepted,
} from './aidant_steps.mjs';

const [base, invitation, shots, paperTitle, addPath, addTitle] = process.argv.slice(2);
const { report, step, watch, visit, failed } = reporter(shots);
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Asks the harness to do `what` (with `more`); its answer. */
async function ask(what, more = {}) {
  process.stdout.write(JSON.stringify({ ask: what, ...more }) + '\n');
  const { value } = await answers.next();
  return JSON.parse(value);
}

// Every screen shown (each new h1 in a page's main, with its origin), for the timed task.
const screens = [];

const browser = await launch();
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await ctx.exposeFunction('__screen', (origin, text) => screens.push({ origin, text }));
  await ctx.addInitScript(() => {
    const seen = new WeakSet();
    const look = () => {
      for (const h of document.querySelectorAll('h1')) {
        if (!seen.has(h)) {
          seen.add(h);
          window.__screen(location.origin, h.textContent.trim());
        }
      }
    };
    new MutationObserver(look).observe(document, { childList: true, subtree: true });
  });
  const page = await ctx.newPage();
  watch(page);

  // 1. The invitation's login, the authenticator set up, its first code.
  await providerLogin(page, base, 'sophie', invitation);
  await visit(page, 'aidant-code');
  const authenticator = await enrolAuthenticator(page);
  await visit(page, 'aidant-code-enrol');
  await giveCode(page, authenticator);
  step('second factor');
  // The harness makes her a member of a second organisation (as a référent's invitation would).
  await ask('joined');

  // 2. The account key, its professional kit.
  await heading(page, 'Votre clé d’aidant');
  await page.locator('[data-testid=pro-kit-code]').waitFor();
  await visit(page, 'aidant-key');
  report.kit_code = await createKey(page);
  step('account key');

  // 3. The organisation.
  await heading(page, 'Pour quelle structure');
  await visit(page, 'aidant-organisation');
  await chooseOrganisation(page, "CCAS d'Alpha");
  report.organisation_shown = await page.locator('[data-testid=organisation]').innerText();
  await visit(page, 'aidant-people-empty');
  step('organisation');

  // 4. A proposal by link, for Angela (identity papers).
  await main(page).locator('button', { hasText: 'Proposer un mandat' }).waitFor();
  const first = propose(page, { categories: ['identite'], purposes: ['papiers', 'social'], days: 31, how: 'distance' });
  const link = await first;
  report.distance_link = link;
  await visit(page, 'aidant-propose-link');
  await ask('consent', { usager: 'angela', link });
  await waitAccepted(page);
  await visit(page, 'aidant-propose-accepted');
  step('distance proposal accepted');

  // 5. A proposal in person, for Karim (home papers, one day): the QR code he scans.
  await main(page).locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes usagers');
  const qrLink = await propose(page, { categories: ['domicile'], purposes: ['logement'], days: 1, how: 'presence' });
  report.presence_link = qrLink;
  report.presence_qr = await main(page).locator('svg.qr').count();
  await visit(page, 'aidant-propose-qr');
  await ask('consent', { usager: 'karim', link: qrLink });
  await waitAccepted(page);
  step('in-person proposal accepted');

  // 6. "Mes usagers": both, Karim's ending soon; the search finds Angela.
  await main(page).locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes usagers');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=person]').length === 2, null, { timeout: 30000 });
  report.people = await main(page).locator('[data-testid=person] h2').allInnerTexts();
  report.ending_soon = await main(page).locator('[data-testid=person]', { hasText: 'Finit bientôt' }).locator('h2').allInnerTexts();
  await visit(page, 'aidant-people');
  await openPerson(page, 'dubois');
  report.mandate_bar = await page.locator('[data-testid=mandate-bar]').innerText();
  await main(page).locator('.docs li', { hasText: paperTitle }).waitFor({ timeout: 30000 });
  await visit(page, 'aidant-papers');
  step('Mes usagers');

  // The mandate's attestation, printed from its A4 page.
  const print = main(page).locator('a', { hasText: 'Imprimer l’attestation' }).first();
  await print.waitFor({ timeout: 30000 });
  const [printed] = await Promise.all([ctx.waitForEvent('page'), print.click()]);
  await printed.waitForLoadState();
  report.attestation_text = await printed.locator('body').innerText();
  await printed.screenshot({ path: `${shots}/aidant-attestation.png`, fullPage: true });
  await printed.close();
  step('attestation');

  // 7. Angela's paper opened and downloaded; another added for her.
  await openPaper(page, paperTitle);
  report.view_mandate_bar = await page.locator('[data-testid=mandate-bar]').innerText();
  await visit(page, 'aidant-view');
  report.downloaded = await downloadShown(page, shots);
  await main(page).locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Les papiers de');
  await main(page).locator('button', { hasText: 'Ajouter un papier pour cette personne' }).click();
  await heading(page, 'Ajouter un papier pour cette personne');
  await visit(page, 'aidant-add');
  await main(page).locator('button', { hasText: 'Annuler' }).click();
  await heading(page, 'Les papiers de');
  await addPaper(page, { path: addPath, title: addTitle, category: 'identite' });
  step('paper added');

  // 8. Logged out, then the timed task: from the login to Angela's paper on screen.
  await logout(page, base);
  report.device_after_logout = await deviceRecords(page);
  const started = Date.now();
  const before = screens.length;
  // From the home page the logout left (not counted: the task starts there).
  let taps = await providerLogin(page, base, 'sophie', 'shown');
  taps += await giveCode(page, authenticator);
  taps += await chooseOrganisation(page, "CCAS d'Alpha");
  taps += await openPerson(page, 'dubois');
  taps += await openPaper(page, paperTitle);
  const ms = Date.now() - started;
  const seen = screens.slice(before);
  const app = seen.filter((s) => s.origin === new URL(base).origin);
  report.open_from_login = { ms, taps, screens: app.length, app_screens: app.map((s) => s.text), provider_screens: seen.length - app.length };
  step('timed task');

  // 9. The usager stops the mandate (the harness); the aidant's next attempt is refused.
  await ask('revoke');
  await main(page).locator('button', { hasText: 'Retour' }).click();
  const refusal = page.locator('[data-testid=refusal]');
  await refusal.waitFor({ timeout: 30000 });
  report.refusal = await refusal.innerText();
  await visit(page, 'aidant-refused');
  step('refused');
  await ctx.close();
} catch (e) {
  await failed(e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + '\n');
process.exit(0);
