// The aidant's and the référent's steps of issue 15 in the web application, for the browser
// stories (the whole story of usagers without FranceConnect imports them): a person enrolled in
// person (the one-time link read from under its QR code), a usager's access restored, the
// aidant's passkey registered and used as the second factor, an enrolment confirmed by a
// référent. Each step waits for the screen it leads to and throws with the screen's words when
// the server refuses; none checks accessibility or takes screenshots (the story does). The texts
// are the French catalogue's.
import { heading } from './common_routes.mjs';

const main = (page) => page.locator('main');

/** Shows the application's screen at `path` as its own buttons do (the history and a popstate
 *  event, no reload: the account key stays open in the worker). */
export async function within(page, path) {
  await page.evaluate((p) => {
    history.pushState({ depth: (history.state?.depth ?? 0) + 1 }, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** "Inscrire une personne", from "Mes usagers" when it is shown, else by its address. */
export async function openEnrolment(page) {
  if (await page.locator('h1', { hasText: 'Mes usagers' }).isVisible()) {
    await main(page).locator('button', { hasText: 'Inscrire une personne' }).click();
  } else {
    await within(page, '/app/aidant/inscription');
  }
  await heading(page, 'Inscrire une personne');
}

/** Fills the form: `person` = { given, family, birthdate: 'YYYY-MM-DD', birthplace,
 *  method: 'document' (default) | 'known', document: 'cni' (default) | 'passeport' |
 *  'titre_sejour' | 'permis' | 'autre' }. */
export async function fillEnrolment(page, person) {
  await page.locator('#enrol-given').fill(person.given);
  await page.locator('#enrol-family').fill(person.family);
  await page.locator('#enrol-birthdate').fill(person.birthdate);
  await page.locator('#enrol-birthplace').fill(person.birthplace);
  const method = person.method ?? 'document';
  await page.locator(`#enrol-method-${method}`).check();
  if (method === 'document') await page.locator(`#enrol-doc-${person.document ?? 'cni'}`).check();
}

const OUTCOME = 'main [data-testid=enrolment-link], main [data-testid=enrolment-awaiting], main [data-testid=refusal], main [data-testid=reauth]';

/**
 * After sending the form or asking for a link: the link's whole address (read from under the QR
 * code), or null when the enrolment waits for a référent. Throws with the refusal's words. When
 * the server asks for the second factor again (a recent one is needed), gives it with
 * `reauth.authenticator` (aidant_steps `Authenticator`) or, with `reauth.passkey`, the caller's
 * virtual authenticator; without either, throws.
 */
async function readResult(page, reauth = {}) {
  await page.waitForFunction((q) => !!document.querySelector(q), OUTCOME, { timeout: 30000 });
  if (await main(page).locator('[data-testid=reauth]').count()) {
    if (reauth.authenticator) {
      await page.locator('#reauth-code').fill(await reauth.authenticator.code());
      await main(page).locator('[data-testid=reauth] button[type=submit]').click();
    } else if (reauth.passkey) {
      await main(page).locator('[data-testid=reauth-passkey]').click();
    } else {
      throw new Error('enrolment: the server asks for the second factor again');
    }
    await main(page).locator('[data-testid=reauth]').waitFor({ state: 'detached', timeout: 30000 });
    return readResult(page, {});
  }
  const refusal = main(page).locator('[data-testid=refusal]');
  if (await refusal.count()) throw new Error(`enrolment refused: ${(await refusal.first().innerText()).trim()}`);
  if (await main(page).locator('[data-testid=enrolment-awaiting]').count()) return null;
  await main(page).locator('svg.qr').waitFor({ timeout: 30000 });
  await main(page).locator('summary', { hasText: 'Voir le lien' }).click();
  return (await main(page).locator('[data-testid=enrolment-link]').innerText()).trim();
}

/**
 * Enrols `person` (see `fillEnrolment`) from an aidant's page past the second factor, the key and
 * the organisation. Returns the claim link's URL (`<origin>/app/inscription#<token>`, one use, 30
 * minutes), or null for a person known to the service (a référent confirms first; then
 * `linkOnceConfirmed`). Leaves the screen on the link (QR code, "Continuer sur cet ordinateur").
 * `reauth`: how to give the second factor again if the server asks (see `readResult`).
 */
export async function enrolInPerson(page, person, reauth = {}) {
  await openEnrolment(page);
  await fillEnrolment(page, person);
  await main(page).locator('form.enrol button[type=submit]').click();
  return readResult(page, reauth);
}

/** A new link for the aidant's enrolment of `name` ("Prénom Nom") from "Vos inscriptions": its
 *  URL, or null while it still waits for a référent. */
export async function linkOnceConfirmed(page, name, reauth = {}) {
  await openEnrolment(page);
  const item = main(page).locator('[data-enrolment]', { hasText: name }).first();
  await item.waitFor({ timeout: 30000 });
  await item.locator('button', { hasText: 'Obtenir le lien' }).click();
  try {
    return await readResult(page, reauth);
  } catch (e) {
    if (String(e.message).includes('Pas encore confirmée')) return null;
    throw e;
  }
}

/** "Refaire l'accès de la personne" from the usager's papers screen (aidant_steps `openPerson`):
 *  the form prefilled with the names, `person`'s birth and check typed; returns the link's URL. */
export async function restoreAccess(page, person, reauth = {}) {
  await heading(page, 'Les papiers de');
  await main(page).locator('button', { hasText: 'Refaire l’accès de la personne' }).click();
  await heading(page, 'Refaire l’accès de');
  await main(page).locator('[data-testid=reproof-what]').waitFor();
  await fillEnrolment(page, person);
  await main(page).locator('form.enrol button[type=submit]').click();
  return readResult(page, reauth);
}

/** "Continuer sur cet ordinateur" on the link's screen: the aidant's session is closed here and
 *  the usager's link opens in this page. */
export async function continueHere(page) {
  await main(page).locator('[data-testid=continue-here]').click();
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/app/inscription', { timeout: 30000 }),
    main(page).locator('[data-testid=continue-here-confirm]').click(),
  ]);
}

/** Throws with the screen's words if the passkey was refused. */
async function passkeyProblem(page) {
  const p = main(page).locator('[data-testid=passkey-problem]');
  if (await p.count()) throw new Error(`passkey refused: ${(await p.first().innerText()).trim()}`);
}

/** Waits until the second factor's screen is gone, or throws the passkey's problem. */
async function pastSecondFactor(page) {
  await page.waitForFunction(() => !document.querySelector('#totp-code') || !!document.querySelector('[data-testid=passkey-problem]'),
    null, { timeout: 30000 });
  await passkeyProblem(page);
}

/**
 * Registers a passkey as the aidant's second factor, with the virtual authenticator the caller
 * added through CDP (`WebAuthn.enable`, `WebAuthn.addVirtualAuthenticator` with
 * `hasUserVerification`, `isUserVerified`, `hasResidentKey`). On the second factor's screen of a
 * first login ("Sans application : enregistrer une clé d'accès"), it also passes the second factor and
 * returns null; otherwise it opens "Mes clés d'accès" (from "Mes usagers", else by its address),
 * adds one named `label` and returns the label.
 */
export async function registerAidantPasskey(page, label = 'Ordinateur du bureau') {
  if (await page.locator('h1', { hasText: 'code de connexion' }).isVisible()) {
    await main(page).locator('[data-testid=passkey-first]').click();
    await pastSecondFactor(page);
    return null;
  }
  if (await page.locator('h1', { hasText: 'Mes usagers' }).isVisible()) {
    await main(page).locator('button', { hasText: 'Mes clés d’accès' }).click();
  } else {
    await within(page, '/app/aidant/cles-d-acces');
  }
  await heading(page, 'Mes clés d’accès');
  await page.locator('#passkey-label').fill(label);
  await main(page).locator('button[type=submit]').click();
  await page.waitForFunction((l) => [...document.querySelectorAll('main [data-passkey]')].some((li) => li.textContent.includes(l))
    || !!document.querySelector('main [data-testid=passkey-problem]'), label, { timeout: 30000 });
  await passkeyProblem(page);
  return label;
}

/** On the second factor's screen (after the provider's login): "Utiliser une clé d'accès" with
 *  the caller's virtual authenticator; waits until the space goes on (the key, the organisation
 *  or "Mes usagers"). */
export async function aidantPasskeySecondFactor(page) {
  await heading(page, 'code de connexion');
  await main(page).locator('[data-testid=passkey-use]').click();
  await pastSecondFactor(page);
}

/** The référent's "Inscriptions en présence": from the référent space's menu when it is shown,
 *  else by its address. */
export async function openEnrolments(page) {
  const menu = page.locator('nav.menu a', { hasText: 'Inscriptions en présence' });
  if (await menu.count()) await menu.click();
  else await within(page, '/app/structure/inscriptions');
  await heading(page, 'Inscriptions en présence');
  await page.waitForFunction(() => ![...document.querySelectorAll('main p')].some((p) => p.textContent === 'Chargement…'), null, { timeout: 30000 });
}

/**
 * A référent confirms the enrolment of `name` ("Prénom Nom") awaiting confirmation: "Confirmer",
 * then "Oui, je confirme". Returns { confirmed: true } or, when the server refuses (the référent
 * enrolled that person), { confirmed: false, refusal: the server's words as shown }.
 */
export async function confirmEnrolment(page, name) {
  await openEnrolments(page);
  const item = main(page).locator('[data-enrolment][data-stage=awaiting]', { hasText: name }).first();
  await item.waitFor({ timeout: 30000 });
  await item.locator('button', { hasText: 'Confirmer' }).click();
  await item.locator('button', { hasText: 'Oui, je confirme' }).click();
  await page.waitForFunction(() => !!document.querySelector('main [data-testid=enrolment-notice], main [data-testid=refusal]'), null, { timeout: 30000 });
  const refusal = main(page).locator('[data-testid=refusal]');
  if (await refusal.count()) return { confirmed: false, refusal: (await refusal.innerText()).trim() };
  return { confirmed: true };
}

/** The référent's list: each enrolment's name, stage ('awaiting', 'ready', 'claimed') and id. */
export async function readEnrolments(page) {
  await openEnrolments(page);
  return main(page).locator('[data-enrolment]').evaluateAll((items) => items.map((li) => ({
    id: li.getAttribute('data-enrolment'),
    stage: li.getAttribute('data-stage'),
    name: li.querySelector('.who')?.textContent?.trim() ?? '',
  })));
}
