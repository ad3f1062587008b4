// The budget of the web application (issue 12), measured on web/dist after the build: the
// JavaScript and CSS the first screen loads (what index.html names, and what those scripts import
// statically) at most 100 KiB gzip-compressed, and the WASM at most 200 KiB. Prints the figures;
// exits non-zero when one is over.
//
//   node web/budget.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const KiB = 1024;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const first = new Set();
for (const m of html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.(?:js|css))"/g)) first.add(m[1]);
// Static imports of the first scripts (not the lazy `import()` of later screens).
const queue = [...first].filter((f) => f.endsWith('.js'));
while (queue.length) {
  const code = readFileSync(join(dist, queue.pop()), 'utf8');
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    const f = `assets/${m[1]}`;
    if (!first.has(f)) {
      first.add(f);
      queue.push(f);
    }
  }
}
let firstScreen = 0;
for (const f of first) firstScreen += gz(join(dist, f));
const wasm = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.wasm'));
const wasmSize = wasm.reduce((n, f) => n + gz(join(dist, 'assets', f)), 0);

const rows = [
  ['first screen JS + CSS (gzip)', firstScreen, 100 * KiB, [...first].join(', ')],
  ['WASM (gzip)', wasmSize, 200 * KiB, wasm.join(', ')],
];
let over = false;
for (const [what, size, limit, files] of rows) {
  const ok = size <= limit && size > 0;
  over ||= !ok;
  console.log(`budget: ${what}: ${(size / KiB).toFixed(1)} KiB of ${limit / KiB} KiB ${ok ? 'ok' : 'OVER'} (${files})`);
}
process.exit(over ? 1 : 0);
