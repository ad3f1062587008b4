// Opens a share link in headless Chromium, waits for the page to decrypt the document, then does
// what a curious or tricked agent could do with what the page offers: reads the type of the
// object behind the "save" link, and opens that link as a page. Prints one JSON line:
//   { blob_type, download, hash (the page's location.hash once decrypted), frames, titles,
//     opened: { title, url } | { error } } or { error } if the page failed.
// The document is expected to set its title to "script-ran" if its script ever runs.
//
//   node share_page_open.mjs URL
import { chromium } from 'playwright-core';

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(url);
  const outcome = await Promise.race([
    page.locator('#save').waitFor({ state: 'attached', timeout: 20000 }).then(() => 'ok'),
    page.locator('#status.error').waitFor({ timeout: 20000 }).then(() => 'error'),
  ]);
  if (outcome !== 'ok') {
    console.log(JSON.stringify({ error: await page.locator('#status').textContent() }));
  } else {
    const found = await page.evaluate(async () => {
      const link = document.getElementById('save');
      const href = link.href || '';
      let blobType = null;
      if (href) blobType = (await (await fetch(href)).blob()).type;
      return { href, blob_type: blobType, download: link.getAttribute('download'), hash: location.hash };
    });
    // Every frame or page the share page itself may have created with the content.
    const frames = page.frames().map((f) => f.url()).filter((u) => u !== page.url());
    let opened = null;
    if (found.href) {
      const other = await context.newPage();
      try {
        await other.goto(found.href, { timeout: 5000 });
        opened = { title: await other.title(), url: other.url() };
      } catch (e) {
        opened = { error: String(e.message || e).split('\n')[0] };
      }
    }
    const titles = await Promise.all(page.frames().map((f) => f.title().catch(() => '')));
    console.log(JSON.stringify({ blob_type: found.blob_type, download: found.download, hash: found.hash, frames, titles, opened }));
  }
} finally {
  await browser.close();
}
