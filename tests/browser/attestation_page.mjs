// Opens an attestation page (the printable one or the verification one) in headless Chromium
// under the server's Content-Security-Policy, and prints it to A4 as a person would. Prints one
// JSON line: the Content-Security-Policy violations the page caused, whether its stylesheet
// applied (the status line's left border), the size of the QR code as laid out, and the number
// of A4 pages of the print (written to $ATTESTATION_PDF-print.pdf or -verifier.pdf when set, to look at it).
//
//   node attestation_page.mjs URL [COOKIE_NAME=VALUE]
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [url, cookie] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext();
  if (cookie) {
    const [name, ...rest] = cookie.split('=');
    await context.addCookies([{ name, value: rest.join('='), url }]);
  }
  const page = await context.newPage();
  const violations = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const res = await page.goto(url, { waitUntil: 'load' });
  const laid = await page.evaluate(() => {
    const status = document.querySelector('.status');
    const qr = document.querySelector('.qr svg');
    const box = qr ? qr.getBoundingClientRect() : null;
    return {
      border: status ? getComputedStyle(status).borderLeftWidth : null,
      qr: box ? { width: Math.round(box.width), height: Math.round(box.height) } : null,
    };
  });
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const kind = url.includes('/print') ? 'print' : 'verifier';
  if (process.env.ATTESTATION_PDF) writeFileSync(`${process.env.ATTESTATION_PDF}-${kind}.pdf`, pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  console.log(JSON.stringify({ status: res.status(), violations, ...laid, pages }));
} finally {
  await browser.close();
}
