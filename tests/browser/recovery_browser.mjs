// Assisted recovery in the usager's session (issue 12), in headless Chromium, in two phases on one
// browser profile (the request's ephemeral key waits on the device between them):
//   ask:      on a new device, "J'ai perdu mon kit", the explanation, the request (its date shown,
//             still there after a reload), "Annuler ma demande", a second request; the back button.
//   complete: after a référent released it (the Rust test does, as tests/tests/recovery.rs does),
//             a new login, the vault opened with both halves, the papers listed.
// Prints one JSON report for tests/tests/web_usager_routes.rs.
//
//   node recovery_browser.mjs URL IDENTITY PROFILE_DIR PHASE TITLE SHOTS_DIR
import { heading, launchPersistent, login, reporter } from './common_routes.mjs';

const [base, identity, profile, phase, title, shots] = process.argv.slice(2);
const { report, step, watch, visit, failed } = reporter(shots);
const ctx = await launchPersistent(profile);
const path = (page) => new URL(page.url()).pathname;

try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  watch(page);
  await login(page, base, identity);
  await heading(page, 'Ouvrir mon coffre');
  await page.locator('button', { hasText: 'J’ai perdu mon kit' }).click();
  await heading(page, 'Rouvrir mon coffre sans mon kit');
  report.path = path(page);
  if (phase === 'ask') {
    // Once the screen knows there is no request yet.
    await page.locator('button', { hasText: 'Demander l’aide de mon CCAS' }).waitFor({ timeout: 30000 });
    report.explains = await page.locator('main').innerText();
    await visit(page, 'recovery-explained');
    await page.locator('button', { hasText: 'Demander l’aide de mon CCAS' }).click();
    const pending = page.locator('[data-testid=recovery-pending]');
    await pending.waitFor({ timeout: 30000 });
    report.pending_text = await pending.innerText();
    await page.reload();
    await heading(page, 'Rouvrir mon coffre sans mon kit');
    await pending.waitFor({ timeout: 30000 });
    report.pending_after_reload = path(page);
    await visit(page, 'recovery-pending');
    await page.locator('button', { hasText: 'Annuler ma demande' }).click();
    await page.locator('text=Votre demande est annulée').waitFor({ timeout: 30000 });
    report.cancelled = true;
    step('asked and cancelled');
    await page.locator('button', { hasText: 'Demander l’aide de mon CCAS' }).click();
    await pending.waitFor({ timeout: 30000 });
    step('asked again');
    await page.goBack();
    await heading(page, 'Ouvrir mon coffre');
    report.back_to = path(page);
  } else {
    await page.locator('h2', { hasText: 'Votre CCAS a validé votre demande' }).waitFor({ timeout: 30000 });
    await visit(page, 'recovery-released');
    await page.locator('button', { hasText: 'Rouvrir mon coffre' }).click();
    await heading(page, 'Mes papiers');
    await page.locator('.docs li', { hasText: title }).waitFor({ timeout: 30000 });
    report.opened_path = path(page);
    report.seen_title = true;
    step('completed');
  }
} catch (e) {
  await failed(e);
} finally {
  await ctx.close();
}
console.log(JSON.stringify(report));
