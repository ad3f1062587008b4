// The référent's space (issue 13), in headless Chromium against the real server: signed in with
// the session the harness opened (referent_steps.mjs signInWithSession), the référent opens her
// space by its address, reads the month's indicators and the mandates ending soon, filters
// the journal by aidant, person, action and period and downloads its CSV, invites an aidant by
// e-mail (the harness reads the mail, and the aidant joins with its link), suspends, reinstates
// and removes him, and tries to remove herself, the last référent. axe-core (WCAG 2.1 A and AA)
// and screenshots (fr/en, 360/1280) of each screen. Talks to tests/tests/web_referent.rs: a
// request is one JSON line {"ask": ...} on stdout, answered by one JSON line on stdin; the last
// line is the report.
//
//   node referent_story.mjs URL SESSION_COOKIE SHOTS_DIR INVITED_EMAIL
import { createInterface } from 'node:readline';
import { heading, launch, reporter } from './common_routes.mjs';
import {
  downloadJournalCsv, filterJournal, goTo, invite, memberAction, memberState, openReferentSpace,
  readEndingSoon, readIndicators, signInWithSession, tooWideAt320,
} from './referent_steps.mjs';

const [base, cookie, shots, invited] = process.argv.slice(2);
const { report, step, watch, visit, failed } = reporter(shots);
report.too_wide = [];
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Asks the harness to do `what`; its answer. */
async function ask(what) {
  process.stdout.write(JSON.stringify({ ask: what }) + '\n');
  const { value } = await answers.next();
  return JSON.parse(value);
}

/** axe and screenshots, and the 320 px check, of the screen shown. */
async function check(page, name) {
  await visit(page, name);
  if (await tooWideAt320(page)) report.too_wide.push(name);
}

/** A day in France, YYYY-MM-DD, `offset` days from today. */
const dayIn = (offset) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' })
  .format(new Date(Date.now() + offset * 86_400_000));

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await signInWithSession(context, base, cookie);
  const page = await context.newPage();
  watch(page);

  // 1. Into the space, by its address.
  await openReferentSpace(page, base);
  report.team_path = new URL(page.url()).pathname;
  await page.locator('ul.members li[data-member]').first().waitFor();
  await check(page, 'referent-team');
  step('space');

  // 2. The month's indicators, then the mandates ending soon.
  report.indicators = await readIndicators(page);
  await check(page, 'referent-indicators');
  report.ending = await readEndingSoon(page);
  await check(page, 'referent-ending');
  step('indicators and ending');

  // 3. The journal: by aidant, by person, by action, by period; then the CSV of Marie's reads.
  await goTo(page, 'journal');
  await page.locator('ol.entries li').first().waitFor();
  await check(page, 'referent-journal');
  const actors = (list) => [...new Set(list.map((e) => e.actor))];
  const byMarie = await filterJournal(page, { aidant: 'Marie' });
  const byUsager = await filterJournal(page, { usager: 'Angela' });
  const downloads = await filterJournal(page, { action: 'Ouvrir un document' });
  const before = await filterJournal(page, { to: dayIn(-1) });
  const today = await filterJournal(page, { from: dayIn(0), to: dayIn(0) });
  report.journal = {
    by_marie: byMarie.length,
    by_marie_actors: actors(byMarie),
    by_marie_only_marie: byMarie.every((e) => e.text.includes('Marie')),
    by_usager_usagers: [...new Set(byUsager.map((e) => e.usager))],
    by_usager: byUsager.length,
    downloads: downloads.length,
    downloads_only_downloads: downloads.every((e) => e.action === 'document.downloaded'),
    before_today: before.length,
    today: today.length,
  };
  await filterJournal(page, { aidant: 'Marie', action: 'Ouvrir un document' });
  report.csv = await downloadJournalCsv(page);
  await page.locator('div[role=status] p.ok', { hasText: 'téléchargé' }).waitFor();
  step('journal and CSV');

  // 4. The aidants: invite by e-mail; the harness reads the mail and the aidant joins.
  await goTo(page, 'team');
  report.team = {};
  report.team.sent = await invite(page, invited);
  report.team.invited_listed = await page.locator('ul.members li[data-invitation]', { hasText: invited }).count() === 1;
  await check(page, 'referent-team-invited');
  await ask('invited');
  await page.reload();
  await heading(page, 'Les aidants de la structure');
  await page.locator('ul.members li[data-member]', { hasText: 'Karim' }).waitFor();
  report.team.joined_listed = (await memberState(page, 'Karim')) === 'Actif';
  step('invited and joined');

  // Suspend (the question photographed and checked while it waits), reinstate, remove.
  const suspended = await memberAction(page, 'Karim', 'Suspendre', {
    beforeAnswer: () => check(page, 'referent-team-confirm'),
  });
  report.team.suspend_question = suspended.asked;
  report.team.question_focused = suspended.focused;
  report.team.suspended_message = suspended.message;
  report.team.suspended_state = await memberState(page, 'Karim');
  await ask('suspended');
  const reinstated = await memberAction(page, 'Karim', 'Rétablir');
  report.team.reinstated_message = reinstated.message;
  report.team.reinstated_state = await memberState(page, 'Karim');
  const removed = await memberAction(page, 'Karim', 'Retirer');
  report.team.removed_message = removed.message;
  report.team.removed_gone = (await memberState(page, 'Karim')) === null;
  step('suspended, reinstated, removed');

  // The last référent cannot leave: the server's words are shown.
  const last = await memberAction(page, 'Sophie', 'Retirer');
  report.team.last_referent_message = last.message;
  report.team.sophie_still = await memberState(page, 'Sophie');
  await check(page, 'referent-team-refused');
  step('last référent');
} catch (e) {
  await failed(e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + '\n');
// stdin (the harness's answers) stays open: leave now.
process.exit(0);
