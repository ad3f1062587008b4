// Opens the "ce n'est pas moi" link of a recovery notice in headless Chromium, as the usager
// would from their mail, checks the page with axe-core (WCAG 2.1 A and AA), and presses the button
// when asked. Prints one JSON line: the heading, what the page said after the press (or at once
// when it offered no button), the address bar once the page had loaded (the token must be gone
// from it), the axe violations' ids and any console error.
//
//   node recovery_cancel.mjs URL
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 404/.test(m.text())) errors.push(m.text());
  });
  await page.goto(url);
  const heading = await page.locator('h1').textContent({ timeout: 20000 });
  const address = page.url();
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const button = page.locator('main').getByRole('button');
  if (await button.count()) {
    await button.click();
    await page.locator('#recovery-status p:not(:empty)').last().waitFor({ timeout: 20000 });
    await page.waitForFunction(() => !document.querySelector('#recovery-status')?.textContent?.includes('…'));
  }
  const status = (await page.locator('#recovery-status').textContent()).trim();
  console.log(JSON.stringify({
    heading: heading.trim(), status, address, violations: axe.violations.map((v) => v.id), errors,
  }));
} finally {
  await browser.close();
}
