// The référent's steps in the web application, for referent_story.mjs and for a later story of
// the référent, the aidant and the usager together. Each function starts from a page of the
// application and leaves it on the screen it names. The texts are the French catalogue's.
import { heading } from './common_routes.mjs';

/**
 * THE SEAM for the professional's login: the browser gets the session a login opened elsewhere
 * (the Rust harness: provider login + TOTP, organisation chosen), as the value of its cookie.
 * Once the aidant's login screens exist, a whole story replaces this by driving them.
 */
export async function signInWithSession(context, base, value, name = 'consigne_session') {
  await context.addCookies([{ name, value, url: base }]);
}

/** The référent's space by its address (a référent's bookmark): "Les aidants de la structure".
 * (In the aidant's space, the organisation bar links to it once the account key is open.) */
export async function openReferentSpace(page, base) {
  await page.goto(base + '/app/structure/aidants');
  await heading(page, 'Les aidants de la structure');
}

const MENU = {
  team: 'Les aidants de la structure',
  journal: 'Journal de la structure',
  indicators: 'Indicateurs du mois',
  ending: 'Mandats qui finissent bientôt',
  enrolments: 'Inscriptions en présence',
};

/** Opens one screen of the référent's space from its menu. */
export async function goTo(page, screen) {
  await page.locator('nav.menu a', { hasText: MENU[screen] }).click();
  await heading(page, MENU[screen]);
}

/** The indicators screen: the figures of the table by month and key, and the chart's text alternative. */
export async function readIndicators(page) {
  await goTo(page, 'indicators');
  await page.locator('table tbody tr').first().waitFor();
  const months = await page.locator('table tbody tr').evaluateAll((rows) => rows.map((r) => ({
    month: r.getAttribute('data-month'),
    figures: Object.fromEntries([...r.querySelectorAll('td')].map((td) => [td.dataset.key, td.textContent.trim()])),
  })));
  const chart = await page.locator('svg[role=img]').evaluate((svg) => {
    const ids = (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/);
    const title = svg.querySelector('title');
    return {
      role: svg.getAttribute('role'),
      title: title?.textContent ?? '',
      desc: svg.querySelector('desc')?.textContent ?? '',
      labelled_by_title: !!title && ids.includes(title.id),
    };
  });
  return { months, current: months[0]?.figures ?? null, chart };
}

/** The mandates ending soon: their ids, soonest first. */
export async function readEndingSoon(page) {
  await goTo(page, 'ending');
  await page.waitForFunction(() => !document.querySelector('main p[role=status]')?.textContent?.includes('Chargement'));
  return page.locator('[data-mandate]').evaluateAll((li) => li.map((l) => l.getAttribute('data-mandate')));
}

/**
 * Filters the journal (labels of the selects as shown, days YYYY-MM-DD; a missing field is
 * "all") and returns the entries shown: their action, actor and usager ids and sentence.
 */
export async function filterJournal(page, { aidant = '', usager = '', action = '', from = '', to = '' } = {}) {
  const pick = async (id, label, all) => {
    const option = page.locator(id).locator('option', { hasText: label || all }).first();
    await option.waitFor({ state: 'attached' });
    await page.locator(id).selectOption(await option.getAttribute('value'));
  };
  await pick('#oj-who', aidant, 'Tous les aidants');
  await pick('#oj-usager', usager, 'Toutes les personnes');
  await pick('#oj-action', action, 'Toutes les actions');
  await page.locator('#oj-from').fill(from);
  await page.locator('#oj-to').fill(to);
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/organisation/journal');
  await page.locator('form.filters button[type=submit]').click();
  await answered;
  await page.locator('ol.entries[aria-busy=false]').waitFor({ state: 'attached' });
  return page.locator('ol.entries li').evaluateAll((li) => li.map((l) => ({
    action: l.dataset.action, actor: l.dataset.actor, usager: l.dataset.usager, text: l.textContent,
  })));
}

/** Downloads the journal's CSV (with the filters shown); its text. */
export async function downloadJournalCsv(page) {
  const download = page.waitForEvent('download');
  await page.locator('button', { hasText: 'Télécharger le tableau' }).click();
  const file = await download;
  const stream = await file.createReadStream();
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Invites `email` as an aidant from the form; the confirmation shown. */
export async function invite(page, email) {
  await page.locator('#invite-email').fill(email);
  await page.locator('#invite-role').selectOption('aidant');
  await page.locator('form button[type=submit]', { hasText: 'Envoyer l’invitation' }).click();
  return (await page.locator('div[role=status] p.ok').innerText()).trim();
}

const memberRow = (page, name) => page.locator('ul.members li[data-member]', { hasText: name });

/** The state a member's line shows ("Actif", "Suspendu"), or null when they are not listed. */
export async function memberState(page, name) {
  const row = memberRow(page, name);
  if ((await row.count()) === 0) return null;
  return (await row.locator('[data-state]').innerText()).trim();
}

/**
 * Asks for `act` ("Suspendre", "Rétablir", "Retirer") on a member's line and answers the
 * confirmation (`confirm` false: "Non"); what the question said and whether it had the focus,
 * then the message shown (done or refused).
 */
export async function memberAction(page, name, act, { confirm = true, beforeAnswer } = {}) {
  await memberRow(page, name).locator('button', { hasText: act }).click();
  const question = memberRow(page, name).locator('.confirm p');
  await question.waitFor();
  const asked = (await question.innerText()).trim();
  const focused = await question.evaluate((p) => document.activeElement === p);
  if (beforeAnswer) await beforeAnswer();
  await memberRow(page, name).locator('.confirm button', { hasText: confirm ? 'Oui' : 'Non' }).click();
  const message = page.locator('div[role=status] p.ok, p.error[role=alert]').first();
  await message.waitFor();
  return { asked, focused, message: (await message.innerText()).trim() };
}

/** Whether the page is wider than a 320 px window (the narrowest phones, 200 % zoom). */
export async function tooWideAt320(page) {
  await page.setViewportSize({ width: 320, height: 800 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await page.setViewportSize({ width: 1280, height: 900 });
  return wide;
}
