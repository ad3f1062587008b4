// The first screen on a slow connection (issue 12's budget): Chromium with DevTools' "Slow 3G"
// figures (400 ms latency, 500 kbit/s down and up, through the DevTools protocol's
// Network.emulateNetworkConditions), a cold cache (a new browser context, the cache disabled),
// and the time from the navigation to the FranceConnect button visible and enabled. Prints one
// JSON report for tests/tests/web_budget.rs.
//
//   node slow3g.mjs URL
import { launch } from './common_routes.mjs';

const [base] = process.argv.slice(2);
const KBIT = 1000 / 8; // bytes per second in one kbit/s
const report = {};
const browser = await launch();
try {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 400, downloadThroughput: 500 * KBIT, uploadThroughput: 500 * KBIT,
  });
  report.conditions = { latency_ms: 400, down_kbit_s: 500, up_kbit_s: 500 };
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  const start = Date.now();
  await page.goto(base + '/', { waitUntil: 'commit' });
  const button = page.locator('a.fc-button');
  await button.waitFor({ state: 'visible', timeout: 30000 });
  // Enabled: a link that is not marked disabled and takes a click (nothing covers it).
  await page.waitForFunction(() => {
    const a = document.querySelector('a.fc-button');
    if (!a || a.getAttribute('aria-disabled') === 'true') return false;
    const r = a.getBoundingClientRect();
    return r.width > 0 && document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('a.fc-button') === a;
  }, null, { timeout: 30000, polling: 20 });
  report.usable_ms = Date.now() - start;
  report.bytes = bytes;
  report.enabled = await button.isEnabled();
  await ctx.close();
} catch (e) {
  report.error = String(e?.stack ?? e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
