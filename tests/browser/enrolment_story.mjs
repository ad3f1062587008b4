// Issue 15's browser story: a usager without FranceConnect, in headless Chromium against the real
// server (tests/tests/web_enrolment.rs). Sophie (aidant) follows her invitation, sets up her
// authenticator and key, and enrols Nadia in person (her identity document seen); Nadia opens the
// one-time link in a fresh context (the token leaves the address bar at once), makes her vault and
// keeps her kit (its QR code taken from the kit screen, as printed); she checks "Mes façons de me
// connecter" and logs out. On a fresh profile she logs in with the kit typed (a code that is no
// kit code refused first, in words); on another fresh profile, whose fake camera shows the kit's
// QR code, with the kit scanned, and she asks this device to be remembered; she adds this phone
// (Chromium's virtual authenticator), logs out, and logs in with the phone alone: the vault opens
// with nothing typed. Sophie, who added her computer's passkey right after the enrolment, logs out
// and in again with it as her second factor. axe-core (WCAG 2.1 A and
// AA, French and English) and screenshots (360 and 1280 px) of each new screen. Prints one JSON
// report; the Rust test judges it.
//
//   node enrolment_story.mjs URL INVITATION_URL SHOTS_DIR WORK_DIR
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARGS, EXECUTABLE, heading, launch, logout, reporter } from './common_routes.mjs';
import { createKey, enrolAuthenticator, giveCode, main, providerLogin } from './aidant_steps.mjs';
import { aidantPasskeySecondFactor, enrolInPerson, registerAidantPasskey } from './enrolment_steps.mjs';

const [base, invitation, shots, work] = process.argv.slice(2);
const { report, step, watch, visit, failed } = reporter(shots);

// The person enrolled: as read on her identity card.
const NADIA = { given: 'Nadia', family: 'Haddad', birthdate: '1984-05-12', birthplace: 'Oran', method: 'document', document: 'cni' };

/** Chromium whose fake camera plays `video` (a y4m file), the permission prompt answered yes. */
const launchWithCamera = (video) => chromium.launch({
  executablePath: EXECUTABLE,
  args: [...ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
});

const W = 640;
const H = 480;

/** A y4m video (one 4:2:0 frame) of W×H RGBA pixels, for Chromium's fake camera. */
function y4m(rgba) {
  const y = Buffer.alloc(W * H);
  const u = Buffer.alloc((W / 2) * (H / 2));
  const v = Buffer.alloc((W / 2) * (H / 2));
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < W; i++) {
      const p = 4 * (j * W + i);
      y[j * W + i] = Math.round(0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2]);
    }
  }
  for (let j = 0; j < H / 2; j++) {
    for (let i = 0; i < W / 2; i++) {
      const p = 4 * (2 * j * W + 2 * i);
      const [r, g, b] = [rgba[p], rgba[p + 1], rgba[p + 2]];
      u[j * (W / 2) + i] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
      v[j * (W / 2) + i] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
    }
  }
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, u, v]);
}

/** The RGBA pixels of `png` (the kit's QR code as printed) centred on a white W×H picture. */
async function pixels(page, png) {
  const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
  return page.evaluate(async ({ W, H, dataUrl }) => {
    const canvas = document.createElement('canvas');
    canvas.width = W;
    canvas.height = H;
    const c = canvas.getContext('2d');
    c.fillStyle = '#fff';
    c.fillRect(0, 0, W, H);
    const img = new Image();
    img.src = dataUrl;
    await img.decode();
    const side = Math.min(W, H) - 40;
    c.imageSmoothingEnabled = false;
    c.drawImage(img, (W - side) / 2, (H - side) / 2, side, side);
    return Array.from(c.getImageData(0, 0, W, H).data);
  }, { W, H, dataUrl });
}

/** Chromium's virtual authenticator on `page` (a phone's platform authenticator: resident keys,
 *  user verification given): what `navigator.credentials` talks to from now on. */
async function virtualAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** "Se déconnecter" of a session without FranceConnect: back on the entry page. */
async function logoutHere(page) {
  await page.locator('header button', { hasText: 'Se déconnecter' }).click();
  await Promise.race([
    page.waitForURL((u) => u.pathname === '/auth/logged-out', { timeout: 30000 }).then(() => page.goto(base + '/')),
    heading(page, 'Bienvenue'),
  ]);
  await heading(page, 'Bienvenue');
}

/** From the entry page: "Se connecter avec mon kit". */
async function toKitLogin(page) {
  await main(page).locator('button', { hasText: 'Se connecter avec mon kit' }).click();
  await heading(page, 'Se connecter avec mon kit');
}

const browser = await launch();
let cameraBrowser = null;
try {
  // 1. Sophie, aidant: invitation, authenticator, key; one organisation, chosen for her.
  const aidantCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const aidant = await aidantCtx.newPage();
  watch(aidant);
  await providerLogin(aidant, base, 'sophie', invitation);
  const authenticator = await enrolAuthenticator(aidant);
  await giveCode(aidant, authenticator);
  await createKey(aidant);
  await heading(aidant, 'Mes usagers');
  step('aidant signed in');

  // 2. Nadia enrolled in person: the one-time link the aidant's screen gives.
  const link = new URL(await enrolInPerson(aidant, NADIA, { authenticator }), base);
  report.link_path = link.pathname;
  report.link_has_token = link.hash.length > 20;
  step('enrolled in person');
  // While her second factor is fresh, she adds this computer's passkey (used at the end).
  await virtualAuthenticator(aidantCtx, aidant);
  report.aidant_passkey_label = await registerAidantPasskey(aidant, 'Ordinateur du CCAS');
  step('aidant passkey added');

  // 3. Nadia's phone: the link claimed, the vault made, the kit kept.
  const phoneCtx = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const phone = await phoneCtx.newPage();
  watch(phone);
  await phone.goto(link.href);
  await heading(phone, 'Votre kit de secours');
  report.address_after_claim = phone.url();
  const qrPng = await phone.locator('svg.qr').screenshot();
  const code = (await phone.locator('[data-testid=kit-code]').textContent()).replace(/\s+/g, '');
  report.kit_code = code;
  await visit(phone, 'enrolment-kit');
  await phone.locator('button', { hasText: 'J’ai gardé mon kit' }).click();
  await heading(phone, 'Vérifions votre kit');
  await phone.locator('#kit-typed').fill(code);
  await main(phone).locator('form button[type=submit]').click();
  await heading(phone, 'Mes papiers');
  step('vault made, kit kept');
  await main(phone).locator('button', { hasText: 'Mes façons de me connecter' }).click();
  await heading(phone, 'Mes façons de me connecter');
  await phone.locator('[data-testid=kit-way]', { hasText: 'permet de vous connecter' }).waitFor({ timeout: 30000 });
  report.kit_way = await phone.locator('[data-testid=kit-way]').innerText();
  report.identity_sentence = await phone.locator('[data-testid=identity-sentence]').innerText();
  report.link_franceconnect = await main(phone).locator('a', { hasText: 'Relier FranceConnect' }).getAttribute('href');
  await visit(phone, 'ways');
  await logoutHere(phone);
  await phoneCtx.close();
  step('logged out');

  // 4. A fresh profile: the kit typed (a code that is no kit code refused first, in words).
  const typedCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const typed = await typedCtx.newPage();
  watch(typed);
  await typed.goto(base + '/');
  await heading(typed, 'Bienvenue');
  await visit(typed, 'home-ways');
  await toKitLogin(typed);
  await visit(typed, 'kit-login');
  await typed.locator('#kit-login-code').fill('BONJOUR');
  await main(typed).locator('form button[type=submit]').click();
  report.refusal_not_a_code = await typed.locator('#kit-login-error', { hasText: 'code de kit' }).innerText();
  await visit(typed, 'kit-login-refused');
  await typed.locator('#kit-login-code').fill(code);
  await main(typed).locator('form button[type=submit]').click();
  await heading(typed, 'Mes papiers');
  report.typed = true;
  step('kit typed on a fresh profile');
  await logoutHere(typed);
  await typedCtx.close();

  // 5. Another fresh profile, whose camera shows the kit's QR code as printed; this device
  // remembered.
  const qrVideo = join(work, 'kit-qr.y4m');
  {
    const blank = await browser.newPage();
    writeFileSync(qrVideo, y4m(await pixels(blank, qrPng)));
    await blank.close();
  }
  cameraBrowser = await launchWithCamera(qrVideo);
  const scanCtx = await cameraBrowser.newContext({ viewport: { width: 360, height: 800 } });
  const scan = await scanCtx.newPage();
  watch(scan);
  await scan.goto(base + '/');
  await heading(scan, 'Bienvenue');
  await toKitLogin(scan);
  await scan.locator('#kit-login-remember').check();
  await main(scan).locator('button', { hasText: 'Scanner le code' }).click();
  await heading(scan, 'Mes papiers');
  report.scanned = true;
  step('kit scanned on a fresh profile');

  // 6. This phone added as a way in (the virtual authenticator stands for its screen lock).
  const { cdp, authenticatorId } = await virtualAuthenticator(scanCtx, scan);
  await main(scan).locator('button', { hasText: 'Mes façons de me connecter' }).click();
  await heading(scan, 'Mes façons de me connecter');
  await scan.locator('#phone-label').fill('Téléphone de Nadia');
  await main(scan).locator('button', { hasText: 'Ajouter ce téléphone' }).click();
  await main(scan).locator('text=Ce téléphone est ajouté').waitFor({ timeout: 30000 });
  await main(scan).locator('.phones li', { hasText: 'Téléphone de Nadia' }).waitFor();
  report.credentials = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials
    .map((c) => ({ resident: c.isResidentCredential, rp: c.rpId }));
  // Removing asks once; "Non, garder" keeps it.
  await main(scan).locator('button', { hasText: /^Retirer$/ }).click();
  await main(scan).locator('text=Vous ne pourrez plus vous connecter avec ce téléphone').waitFor();
  await visit(scan, 'ways-phone-remove');
  await main(scan).locator('button', { hasText: 'Non, garder' }).click();
  await main(scan).locator('.phones li', { hasText: 'Téléphone de Nadia' }).waitFor();
  await visit(scan, 'ways-phone');
  step('phone added');

  // 7. Logged out, then in with the phone alone: the remembered device opens the vault.
  await logoutHere(scan);
  await main(scan).locator('button', { hasText: 'Se connecter avec mon téléphone' }).click();
  await heading(scan, 'Mes papiers');
  report.passkey_login = true;
  step('logged in with the phone');
  await scanCtx.close();

  // 8. Sophie logs out, then in again with her passkey as the second factor (no code typed).
  await logout(aidant, base);
  await providerLogin(aidant, base, 'sophie');
  await aidantPasskeySecondFactor(aidant);
  await heading(aidant, 'Mes usagers');
  report.aidant_passkey = true;
  step('aidant second factor by passkey');
  await aidantCtx.close();
} catch (e) {
  await failed(e);
} finally {
  await browser.close().catch(() => null);
  await cameraBrowser?.close().catch(() => null);
}
console.log(JSON.stringify(report));
