// The whole story of issue 13, in headless Chromium against the real server, the development
// identity provider and the SMTP server, one browser context per person: Sophie, the référent
// (signed in with the session the harness opened, referent_steps.mjs signInWithSession), invites
// Karim by e-mail (the harness reads the mail and hands back its link); Karim follows it, sets
// up his authenticator, gives its code and makes his account key; Marie, the usager, on her phone
// (a second context at 360 px) logs in, creates her vault (this device remembered) and adds a
// photo taken with the (fake) camera; Karim proposes a mandate, Marie accepts from its link; Karim
// logs out and in again and opens her photo (timed), adds another paper and opens it; Marie sees
// both accesses in "Qui a vu mes papiers" and stops the mandate from "Mes papiers" (taps
// counted); Karim's next attempt is refused in words; the attestation's QR address says revoked;
// Marie re-encrypts what was opened, logs out and in again (her vault opens with no typing,
// timed); Sophie reads the sequence in the journal and the month's indicators. axe-core (WCAG 2.1
// A and AA) and screenshots (fr/en, 360/1280) of every screen. Talks to tests/tests/web_story.rs:
// a request is one JSON line {"ask": ...} on stdout, answered by one JSON line on stdin; the last
// line is the report.
//
//   node whole_story.mjs URL REFERENT_COOKIE SHOTS_DIR INVITED_EMAIL ADD_PATH ADD_TITLE
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ARGS, EXECUTABLE, heading, logout, reporter } from './common_routes.mjs';
import {
  addPaper, createKey, downloadShown, enrolAuthenticator, giveCode, main, openPaper, openPerson, propose, providerLogin,
  waitAccepted,
} from './aidant_steps.mjs';
import {
  filterJournal, goTo, invite, openReferentSpace, readIndicators, signInWithSession,
} from './referent_steps.mjs';
import {
  acceptProposal, addPhoto, attestationVerifierUrl, backHome, createVault, reencrypt, revoke, signIn, whoSaw,
} from './usager_steps.mjs';

const [base, cookie, shots, invited, addPath, addTitle] = process.argv.slice(2);
const PHOTO = 'Ma carte d’identité en photo';
const USAGER = 'marie';
const { report, step, watch, visit, failed } = reporter(shots);
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Asks the harness to do `what`; its answer. */
async function ask(what) {
  process.stdout.write(JSON.stringify({ ask: what }) + '\n');
  const { value } = await answers.next();
  return JSON.parse(value);
}

/** The phone's screens: checked and photographed as every other, then back to 360 px. */
async function visitPhone(page, name) {
  await visit(page, name);
  await page.setViewportSize({ width: 360, height: 800 });
}

/** Records every screen a context shows (each new h1, with its origin), and counts what is typed
 *  (input events of text fields), for the timed tasks. */
async function screenRecorder(context) {
  const screens = [];
  screens.typed = 0;
  await context.exposeFunction('__screen', (origin, text) => screens.push({ origin, text }));
  await context.exposeFunction('__typed', () => { screens.typed++; });
  await context.addInitScript(() => {
    document.addEventListener('input', (e) => {
      if (!['checkbox', 'radio', 'file'].includes(e.target?.type)) window.__typed();
    }, true);
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
  return screens;
}

// One browser, its fake camera answering yes (Chromium's test pattern is the photo).
const browser = await chromium.launch({
  executablePath: EXECUTABLE,
  args: [...ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
});
const origin = new URL(base).origin;
try {
  // 1. The référent's space; Karim invited by e-mail; the harness reads it and gives its link.
  const office = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await signInWithSession(office, base, cookie);
  const referent = await office.newPage();
  watch(referent);
  await openReferentSpace(referent, base);
  await referent.locator('ul.members li[data-member]').first().waitFor();
  report.invitation_sent = await invite(referent, invited);
  await visit(referent, 'story-referent-invited');
  const { link: invitation } = await ask('invited');
  step('référent invited the aidant');

  // 2. Karim follows the link: provider, authenticator, account key (this device remembered).
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const aidantScreens = await screenRecorder(desk);
  const aidant = await desk.newPage();
  watch(aidant);
  await providerLogin(aidant, base, 'karim', invitation);
  const authenticator = await enrolAuthenticator(aidant);
  await visit(aidant, 'story-aidant-code-enrol');
  await giveCode(aidant, authenticator);
  await heading(aidant, 'Votre clé d’aidant');
  await aidant.locator('[data-testid=pro-kit-code]').waitFor();
  await visit(aidant, 'story-aidant-key');
  await createKey(aidant);
  // His only organisation is chosen for him.
  await heading(aidant, 'Mes usagers');
  report.aidant_organisation = await aidant.locator('[data-testid=organisation]').innerText();
  await visit(aidant, 'story-aidant-people-empty');
  step('aidant joined: code and key');

  // 3. Marie on her phone: login, vault, kit, a photo of her identity card.
  const phone = await browser.newContext({ viewport: { width: 360, height: 800 }, hasTouch: true });
  const phoneScreens = await screenRecorder(phone);
  const usager = await phone.newPage();
  watch(usager);
  await createVault(usager, base, USAGER, {
    onKit: () => visitPhone(usager, 'story-usager-kit'),
    onCheck: () => visitPhone(usager, 'story-usager-check'),
  });
  await visitPhone(usager, 'story-usager-papers-empty');
  await addPhoto(usager, { title: PHOTO, category: 'identite', onCamera: () => visitPhone(usager, 'story-usager-camera') });
  await visitPhone(usager, 'story-usager-papers');
  step('usager: vault and photo');

  // 4. Karim proposes (by link); Marie accepts on her phone.
  const link = await propose(aidant, { categories: ['identite'], purposes: ['papiers', 'social'], days: 31, how: 'distance' });
  await visit(aidant, 'story-aidant-proposal');
  await acceptProposal(usager, link, { onProposal: () => visitPhone(usager, 'story-usager-proposal') });
  await visitPhone(usager, 'story-usager-accepted');
  await waitAccepted(aidant);
  step('mandate accepted');

  // 5. Karim logs out; timed from the login to Marie's photo on screen.
  await main(aidant).locator('button', { hasText: 'Retour' }).click();
  await heading(aidant, 'Mes usagers');
  await logout(aidant, base);
  const started = Date.now();
  const before = aidantScreens.length;
  let taps = await providerLogin(aidant, base, 'karim', 'shown');
  taps += await giveCode(aidant, authenticator);
  taps += await openPerson(aidant, 'martin');
  taps += await openPaper(aidant, PHOTO);
  const seen = aidantScreens.slice(before);
  const app = seen.filter((s) => s.origin === origin);
  report.open_from_login = {
    ms: Date.now() - started, taps, screens: app.length, app_screens: app.map((s) => s.text),
    provider_screens: seen.length - app.length,
  };
  await visit(aidant, 'story-aidant-view');
  report.aidant_photo = await downloadShown(aidant, shots);
  step('aidant opened the photo (timed)');

  // 6. Another paper added for her, and opened.
  await main(aidant).locator('button', { hasText: 'Retour' }).click();
  await heading(aidant, 'Les papiers de');
  await visit(aidant, 'story-aidant-papers');
  await addPaper(aidant, { path: addPath, title: addTitle, category: 'identite' });
  await openPaper(aidant, addTitle);
  step('aidant added a paper');

  // 7. Marie sees both in "Qui a vu mes papiers", then stops the mandate from her home screen.
  await backHome(usager);
  report.who_saw = await whoSaw(usager, 'Karim');
  await visitPhone(usager, 'story-usager-who-saw');
  await backHome(usager);
  report.taps_to_revoke = await revoke(usager, { onQuestion: () => visitPhone(usager, 'story-usager-stop') });
  step('usager revoked');

  // 8. Karim's next attempt: refused in words.
  await main(aidant).locator('button', { hasText: 'Retour' }).click();
  const refusal = aidant.locator('[data-testid=refusal]');
  await refusal.waitFor({ timeout: 30000 });
  report.refusal = await refusal.innerText();
  await visit(aidant, 'story-aidant-refused');
  step('aidant refused');

  // 9. The attestation's QR address, opened by anyone (no session): revoked.
  const verifierUrl = await attestationVerifierUrl(usager, phone);
  report.verifier_path = new URL(verifierUrl).pathname;
  const stranger = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const checker = await stranger.newPage();
  watch(checker);
  await checker.goto(verifierUrl);
  report.verifier_status = (await checker.locator('.status').innerText()).trim();
  const axe = await new AxeBuilder({ page: checker }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of axe.violations) report.violations.push(`story-verifier (fr): ${v.id}`);
  for (const width of [360, 1280]) {
    await checker.setViewportSize({ width, height: 900 });
    await checker.screenshot({ path: join(shots, `story-verifier-${width}.png`), fullPage: true });
  }
  await stranger.close();
  watch(usager);
  step('attestation says revoked');

  // 10. Marie re-encrypts what Karim opened; then logs out and in again: no typing (timed).
  report.reencrypted = await reencrypt(usager);
  await visitPhone(usager, 'story-usager-ended');
  await backHome(usager);
  // Her photo, as her own key opens it (re-encrypted now): the same bytes the aidant opened.
  await main(usager).locator('.docs li', { hasText: PHOTO }).locator('button', { hasText: 'Voir' }).click();
  await heading(usager, PHOTO);
  await usager.locator('[data-testid=download]').waitFor({ timeout: 60000 });
  report.usager_photo = await downloadShown(usager, shots);
  await backHome(usager);
  await logout(usager, base);
  const unlockStart = Date.now();
  const unlockBefore = phoneScreens.length;
  const typedBefore = phoneScreens.typed;
  const unlockTaps = await signIn(usager, base, USAGER);
  await heading(usager, 'Mes papiers');
  await main(usager).locator('.docs li', { hasText: PHOTO }).waitFor({ timeout: 30000 });
  report.unlock_known_device = {
    ms: Date.now() - unlockStart,
    taps: unlockTaps,
    typed: phoneScreens.typed - typedBefore,
    screens: phoneScreens.slice(unlockBefore).filter((s) => s.origin === origin).map((s) => s.text),
  };
  step('usager unlocked on her known device');

  // 11. Sophie: the journal (all, then Karim's), and the month's indicators.
  await referent.reload();
  await heading(referent, 'Les aidants de la structure');
  await referent.locator('ul.members li[data-member]').first().waitFor();
  report.karim_listed = await referent.locator('ul.members li[data-member]', { hasText: 'Karim' }).count();
  await goTo(referent, 'journal');
  await referent.locator('ol.entries li').first().waitFor();
  report.journal_all = await filterJournal(referent, {});
  await visit(referent, 'story-referent-journal');
  report.journal_karim = await filterJournal(referent, { aidant: 'Karim' });
  report.indicators = await readIndicators(referent);
  await visit(referent, 'story-referent-indicators');
  step('référent: journal and indicators');
  await Promise.all([office.close(), desk.close(), phone.close()]);
} catch (e) {
  await failed(e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + '\n');
process.exit(0);
