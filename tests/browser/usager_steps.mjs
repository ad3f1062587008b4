// The usager's steps in the web application, for the story of the référent, the aidant and the
// usager together (whole_story.mjs). The same screens as usager_story.mjs and
// usager_mandates.mjs (which are still whole scripts; they can move to these steps later). Each
// step waits for the screen it leads to; none checks accessibility or takes screenshots (the
// story does, screen by screen). The texts are the French catalogue's.
import { heading } from './common_routes.mjs';

const main = (page) => page.locator('main');

/** Signs in as `identity` with the development identity provider, from the entry page, until the
 *  application shows a screen (/app/…); the taps made. */
export async function signIn(page, base, identity) {
  let taps = 0;
  await page.goto(base + '/');
  const back = (u) => u.origin === new URL(base).origin && u.pathname.startsWith('/app/');
  await page.locator('a.fc-button').click();
  taps++;
  // The provider asks who signs in, unless it still has a session of its own.
  const choice = page.locator('button', { hasText: new RegExp(identity, 'i') }).first();
  const asked = await Promise.race([
    choice.waitFor({ timeout: 30000 }).then(() => true, () => false),
    page.waitForURL(back, { timeout: 30000 }).then(() => false, () => false),
  ]);
  if (asked) {
    await choice.click();
    taps++;
  }
  await page.waitForURL(back, { timeout: 30000 });
  return taps;
}

/** The first login: the vault created, the kit read from its screen and typed again, this device
 *  remembered (so that the next login opens the vault with no typing). Ends on "Mes papiers". */
export async function createVault(page, base, identity, { onKit, onCheck } = {}) {
  await signIn(page, base, identity);
  await heading(page, 'Votre kit de secours');
  if (onKit) await onKit();
  const code = (await page.locator('[data-testid=kit-code]').textContent()).replace(/\s+/g, '');
  await page.locator('button', { hasText: 'J’ai gardé mon kit' }).click();
  await heading(page, 'Vérifions votre kit');
  await page.locator('#kit-typed').fill(code);
  await page.locator('#remember').check();
  if (onCheck) await onCheck();
  await page.locator('form button[type=submit]').click();
  await heading(page, 'Mes papiers');
  return code;
}

/** A paper from one camera photo (Chromium's fake camera), titled `title` in `category`. The
 *  add screen is handed to `onCamera` while the photo waits (for its checks). */
export async function addPhoto(page, { title, category, onCamera }) {
  await main(page).locator('button', { hasText: 'Ajouter un papier' }).click();
  await heading(page, 'Ajouter un papier');
  await page.locator('button', { hasText: 'Prendre en photo' }).click();
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-testid=camera-video]');
    return v && v.readyState >= 2 && v.videoWidth > 0;
  }, null, { timeout: 30000 });
  await page.locator('button', { hasText: 'Prendre la photo' }).click();
  await page.locator('.pages li').first().waitFor({ timeout: 30000 });
  if (onCamera) await onCamera();
  await page.locator('[data-testid=camera-done]').click();
  await page.locator('[data-testid=photos-ready]', { hasText: 'prête' }).waitFor({ timeout: 30000 });
  await page.locator('#add-category').selectOption(category);
  await page.locator('#add-title').fill(title);
  await page.locator('form button[type=submit]').click();
  await page.locator('text=Votre papier est ajouté').waitFor({ timeout: 60000 });
  await main(page).locator('.docs li', { hasText: title }).waitFor();
}

/** The proposal's link opened, then "Accepter" (the worker makes the mandate key, its grant and
 *  slots). `onProposal` runs while the proposal is shown. Ends on "Mes mandats". */
export async function acceptProposal(page, link, { onProposal } = {}) {
  await page.goto(link);
  await heading(page, 'Mes mandats');
  await main(page).locator('button', { hasText: 'Accepter' }).waitFor({ timeout: 30000 });
  if (onProposal) await onProposal();
  await main(page).locator('button', { hasText: 'Accepter' }).click();
  await main(page).locator('text=Vous avez accepté').waitFor({ timeout: 30000 });
  await main(page).locator('button', { hasText: 'Arrêter ce mandat' }).waitFor();
}

/** Back to "Mes papiers" from a screen with "Retour". */
export async function backHome(page) {
  await main(page).locator('button', { hasText: 'Retour' }).click();
  await heading(page, 'Mes papiers');
}

/** From "Mes papiers": "Qui a vu mes papiers", once `who` shows in it; the sentences shown. */
export async function whoSaw(page, who) {
  await main(page).locator('button', { hasText: 'Qui a vu mes papiers' }).click();
  await heading(page, 'Qui a vu mes papiers');
  await page.locator('ol.entries li', { hasText: who }).first().waitFor({ timeout: 30000 });
  return page.locator('ol.entries li').allInnerTexts();
}

/** From "Mes papiers", the mandate stopped; the taps made. `onQuestion` runs while "Voulez-vous"
 *  waits for the answer. */
export async function revoke(page, { onQuestion } = {}) {
  let taps = 0;
  await main(page).locator('button', { hasText: 'Mes mandats' }).click();
  taps++;
  await heading(page, 'Mes mandats');
  await main(page).locator('button', { hasText: 'Arrêter ce mandat' }).click();
  taps++;
  if (onQuestion) await onQuestion();
  await main(page).locator('button', { hasText: 'Oui, arrêter' }).click();
  taps++;
  await main(page).locator('text=Le mandat est arrêté').waitFor({ timeout: 30000 });
  return taps;
}

/** On "Mes mandats" after the end: the attestation's page opened from its button; the
 *  verification address printed under its QR code. */
export async function attestationVerifierUrl(page, context) {
  const link = main(page).locator('a', { hasText: 'Imprimer l’attestation' }).first();
  await link.waitFor({ timeout: 30000 });
  const [printed] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await printed.waitForLoadState();
  const url = await printed.locator('code', { hasText: '/attestations/verifier/' }).first().innerText();
  await printed.close();
  return url.trim();
}

/** On "Mes mandats" after the end: what the aidant opened, re-encrypted; the message shown. */
export async function reencrypt(page) {
  const button = main(page).locator('button', { hasText: 'Rechiffrer ce que l’aidant a ouvert' });
  await button.waitFor({ timeout: 30000 });
  await button.click();
  const done = main(page).locator('p[role=status]', { hasText: 'rechiffré' });
  await done.waitFor({ timeout: 60000 });
  return done.innerText();
}
