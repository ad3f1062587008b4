// The aidant's steps in the web application, for the browser stories (aidant_story.mjs, and a
// later story of the référent, the aidant and the usager together): login with the professional
// provider and the authenticator code, the account key, the organisation, "Mes usagers", a
// proposal (link or QR), a usager's papers opened and added. Each step waits for the screen it
// leads to; none checks accessibility or takes screenshots (the story does, screen by screen).
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { heading } from './common_routes.mjs';

export const main = (page) => page.locator('main');

/** The bytes of a base32 (RFC 4648) text, as in an otpauth:// URI. */
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}

/** The authenticator app: RFC 6238 codes (SHA-1, 6 digits, 30 s) of a secret. The server takes
 *  each step once, and accepts the next step's code early: a code is the current step's, or the
 *  next one's when the current one was given already (waiting only if both were). */
export class Authenticator {
  constructor(secret) {
    this.key = base32(secret);
    this.last = -1;
  }

  static codeAt(key, step) {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(step));
    const mac = createHmac('sha1', key).update(counter).digest();
    const at = mac[mac.length - 1] & 0x0f;
    const n = ((mac[at] & 0x7f) << 24) | (mac[at + 1] << 16) | (mac[at + 2] << 8) | mac[at + 3];
    return String(n % 1_000_000).padStart(6, '0');
  }

  async code() {
    for (;;) {
      const now = Math.floor(Date.now() / 1000 / 30);
      const step = Math.max(now, this.last + 1);
      if (step <= now + 1) {
        this.last = step;
        return Authenticator.codeAt(this.key, step);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Signs in at the provider as `identity`, from `start`: an invitation's login address, the home
 *  page (null), or the home page already shown ('shown'); ends on the second factor's screen.
 *  Returns the taps made. */
export async function providerLogin(page, base, identity, start = null) {
  let taps = 0;
  if (start && start !== 'shown') {
    await page.goto(start);
  } else {
    if (!start) await page.goto(base + '/');
    await page.locator('a', { hasText: 'Vous êtes aidant' }).click();
    taps++;
  }
  await page.locator('button', { hasText: new RegExp(identity, 'i') }).first().click();
  taps++;
  await heading(page, 'code de connexion');
  return taps;
}

/** The first time: the authenticator set up from the secret shown; returns it. */
export async function enrolAuthenticator(page) {
  await main(page).locator('button', { hasText: 'Première connexion' }).click();
  await heading(page, 'Installez votre code');
  const secret = (await page.locator('[data-testid=totp-secret]').innerText()).trim();
  return new Authenticator(secret);
}

/** Types the authenticator's code and confirms. Returns the taps made. */
export async function giveCode(page, authenticator) {
  await page.locator('#totp-code').fill(await authenticator.code());
  await main(page).locator('button[type=submit]').click();
  await page.locator('#totp-code').waitFor({ state: 'detached', timeout: 30000 });
  return 1;
}

/** The first account key: the kit code read from the screen and typed again, this device
 *  remembered. Returns the kit code (to open the key on another device). */
export async function createKey(page) {
  await heading(page, 'Votre clé d’aidant');
  const code = (await page.locator('[data-testid=pro-kit-code]').innerText()).replace(/\s+/g, '');
  await page.locator('#pro-kit-typed').fill(code);
  await page.locator('#pro-remember').check();
  await main(page).locator('button[type=submit]').click();
  await page.locator('#pro-kit-typed').waitFor({ state: 'detached', timeout: 60000 });
  return code;
}

/** On a device that does not know the key: the kit code typed. */
export async function openKeyWithCode(page, code, remember = false) {
  await heading(page, 'Votre clé d’aidant');
  await page.locator('#pro-kit-typed').fill(code);
  if (remember) await page.locator('#pro-remember').check();
  await main(page).locator('button[type=submit]').click();
  await page.locator('#pro-kit-typed').waitFor({ state: 'detached', timeout: 60000 });
}

/** Chooses `name` among the organisations. Returns the taps made. */
export async function chooseOrganisation(page, name) {
  await heading(page, 'Pour quelle structure');
  await main(page).locator('button', { hasText: `Agir pour ${name}` }).click();
  await heading(page, 'Mes usagers');
  return 1;
}

/** A proposal from "Mes usagers": categories, démarches, duration (days), and how; returns the
 *  link the usager opens (read from the screen; for "en présence", from under the QR code). */
export async function propose(page, { categories, purposes, days = 31, how = 'distance' }) {
  await main(page).locator('button', { hasText: 'Proposer un mandat' }).click();
  await heading(page, 'Proposer un mandat');
  for (const c of categories) await page.locator(`#cat-${c}`).check();
  for (const p of purposes) await page.locator(`#purpose-${p}`).check();
  await page.locator(`#days-${days}`).check();
  await page.locator(`#how-${how}`).check();
  await main(page).locator('button[type=submit]').click();
  const link = page.locator('[data-testid=claim-url]');
  if (how === 'presence') {
    await main(page).locator('svg.qr').waitFor({ timeout: 30000 });
    await main(page).locator('summary').click();
  }
  await link.waitFor({ timeout: 30000 });
  return (await link.innerText()).trim();
}

/** Waits until the screen says the usager accepted (the screen asks every 3 s). */
export async function waitAccepted(page) {
  await main(page).locator('[data-testid=proposal-state]', { hasText: 'a accepté' }).waitFor({ timeout: 60000 });
}

/** From "Mes usagers": searches `query`, opens the only person found. Returns the taps made. */
export async function openPerson(page, query) {
  await heading(page, 'Mes usagers');
  await page.locator('#people-search').fill(query);
  const people = main(page).locator('[data-testid=person]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=person]').length === 1, null, { timeout: 30000 });
  await people.first().locator('button').click();
  await heading(page, 'Les papiers de');
  return 2;
}

/** Opens the paper titled `title` and waits until it is shown. Returns the taps made. */
export async function openPaper(page, title) {
  await main(page).locator('.docs li', { hasText: title }).locator('button', { hasText: 'Voir' }).click();
  await heading(page, title);
  await page.locator('[data-testid=download]').waitFor({ timeout: 60000 });
  return 1;
}

/** Downloads the paper shown; its SHA-256 (hex) and file name. */
export async function downloadShown(page, dir) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=download]').click()]);
  const saved = join(dir, `aidant-${download.suggestedFilename()}`);
  await download.saveAs(saved);
  return { name: download.suggestedFilename(), sha256: createHash('sha256').update(readFileSync(saved)).digest('hex') };
}

/** Adds the file at `path` as `title` in `category` for the usager whose papers are shown. */
export async function addPaper(page, { path, title, category }) {
  await main(page).locator('button', { hasText: 'Ajouter un papier pour cette personne' }).click();
  await heading(page, 'Ajouter un papier pour cette personne');
  if (category) await page.locator('#pro-add-category').selectOption(category);
  await page.locator('#pro-add-file').setInputFiles(path);
  await page.locator('#pro-add-title').fill(title);
  await main(page).locator('button[type=submit]').click();
  await main(page).locator('.docs li', { hasText: title }).waitFor({ timeout: 60000 });
}
