// Opens a share link in headless Chromium, the way a CAF agent would, and waits for the page to
// decrypt the document. Prints one JSON line: the title shown, the file name offered, the
// SHA-256 of the decrypted bytes (computed in the page) and the address bar's fragment once
// decrypted (`hash`), or the error the page showed.
//
//   node share_page.mjs URL
import { chromium } from 'playwright-core';

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  const save = page.locator('#save');
  const outcome = await Promise.race([
    save.waitFor({ state: 'visible', timeout: 20000 }).then(() => 'ok'),
    page.locator('#status.error').waitFor({ timeout: 20000 }).then(() => 'error'),
  ]);
  const status = await page.locator('#status').textContent();
  if (outcome !== 'ok') {
    console.log(JSON.stringify({ error: status }));
  } else {
    const result = await page.evaluate(async () => {
      const link = document.getElementById('save');
      const bytes = await (await fetch(link.href)).arrayBuffer();
      const digest = await crypto.subtle.digest('SHA-256', bytes);
      const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return { file_name: link.download, sha256: hex, hash: location.hash };
    });
    console.log(JSON.stringify({ title: status, ...result }));
  }
} finally {
  await browser.close();
}
