// The PDF is checked by poppler (pdfinfo, pdftoppm) and its pixels against libjpeg's own decoding
// (djpeg): independent readers, not this module.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { jpegSize, jpegsToPdf } from './pdf';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
const landscape = fixture('landscape-64x40.jpg');
const portrait = fixture('portrait-30x50-progressive.jpg');
const gray = fixture('gray-40x40.jpg');

function has(tool: string): boolean {
  return spawnSync(tool, ['-v'], { stdio: 'ignore' }).error === undefined;
}
const poppler = has('pdfinfo') && has('pdftoppm');
const djpeg = spawnSync('djpeg', ['-version'], { stdio: 'ignore' }).error === undefined;
if (!poppler) console.log('SKIPPED: pdfinfo/pdftoppm absent (apt-get install poppler-utils)');
if (!djpeg) console.log('SKIPPED: djpeg absent, pixels not compared (libjpeg-turbo-progs)');

const dir = mkdtempSync(join(tmpdir(), 'consigne-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads a binary PPM (P6, maxval 255) as RGB bytes. */
function readPpm(bytes: Buffer): { width: number; height: number; rgb: Uint8Array } {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a P6 PPM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  return { width, height, rgb: new Uint8Array(bytes.subarray(header[0].length)) };
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

describe('jpegSize', () => {
  it('reads baseline and progressive frame headers', () => {
    expect(jpegSize(landscape)).toEqual({ width: 64, height: 40 });
    expect(jpegSize(portrait)).toEqual({ width: 30, height: 50 });
    expect(jpegSize(gray)).toEqual({ width: 40, height: 40 });
  });

  it('refuses what is not a JPEG, or a JPEG cut before its frame header', () => {
    expect(() => jpegSize(new TextEncoder().encode('%PDF-1.4'))).toThrow(/not a JPEG/);
    expect(() => jpegSize(new Uint8Array())).toThrow(/not a JPEG/);
    expect(() => jpegSize(landscape.subarray(0, 30))).toThrow(/malformed JPEG/);
    // SOI directly followed by start-of-scan: no size anywhere.
    expect(() => jpegSize(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toThrow(/no frame/);
  });
});

describe('jpegsToPdf', () => {
  it('refuses no pages, a size that disagrees with the JPEG, and a non-JPEG page', () => {
    expect(() => jpegsToPdf([])).toThrow(/at least one page/);
    expect(() => jpegsToPdf([{ jpeg: landscape, width: 40, height: 64 }])).toThrow(/64×40/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(() => jpegsToPdf([{ jpeg: png, width: 1, height: 1 }])).toThrow(/not a JPEG/);
  });

  it('embeds each JPEG byte for byte', () => {
    const pdf = Buffer.from(jpegsToPdf([{ jpeg: landscape, width: 64, height: 40 }]));
    expect(pdf.subarray(0, 9).toString('latin1')).toBe('%PDF-1.4\n');
    expect(pdf.indexOf(Buffer.from(landscape))).toBeGreaterThan(0);
  });

  it.skipIf(!poppler)('gives pages poppler reads: count, A4-fitted sizes, no repairs', () => {
    const pages = [
      { jpeg: landscape, width: 64, height: 40 },
      { jpeg: portrait, width: 30, height: 50 },
      { jpeg: landscape, width: 64, height: 40 },
      { jpeg: gray, width: 40, height: 40 },
    ];
    const file = join(dir, 'pages.pdf');
    writeFileSync(file, jpegsToPdf(pages));
    const run = spawnSync('pdfinfo', ['-f', '1', '-l', '4', file], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    // Poppler silently rebuilds a broken xref table but says so on stderr.
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^PDF version:\s+1\.4$/m);
    expect(run.stdout).toMatch(/^Pages:\s+4$/m);
    const sizes = [...run.stdout.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map(
      (m) => [Number(m[1]), Number(m[2])],
    );
    expect(sizes).toHaveLength(4);
    // Landscape 64:40 in landscape A4 (841.89 × 595.28): the width binds, as the height
    // 841.89 × 40 / 64 = 526.18 fits.
    const [a4Short, a4Long] = [595.28, 841.89];
    for (const i of [0, 2]) {
      expect(sizes[i][0]).toBeCloseTo(a4Long, 1);
      expect(sizes[i][1]).toBeCloseTo((a4Long * 40) / 64, 1);
    }
    // Portrait 30:50 in portrait A4 (595.28 × 841.89): the height binds, as the width
    // 841.89 × 30 / 50 = 505.13 fits.
    expect(sizes[1][0]).toBeCloseTo((a4Long * 30) / 50, 1);
    expect(sizes[1][1]).toBeCloseTo(a4Long, 1);
    expect(sizes[1][0]).toBeLessThanOrEqual(a4Short);
    // A square photo takes portrait A4's width.
    expect(sizes[3][0]).toBeCloseTo(a4Short, 1);
    expect(sizes[3][1]).toBeCloseTo(a4Short, 1);
  });

  it.skipIf(!poppler || !djpeg)('renders each photo upright, as libjpeg decodes it', () => {
    const file = join(dir, 'render.pdf');
    writeFileSync(
      file,
      jpegsToPdf([
        { jpeg: portrait, width: 30, height: 50 },
        { jpeg: landscape, width: 64, height: 40 },
        { jpeg: gray, width: 40, height: 40 },
      ]),
    );
    for (const [page, name, width, height] of [
      [1, 'portrait-30x50-progressive.jpg', 30, 50],
      [2, 'landscape-64x40.jpg', 64, 40],
      [3, 'gray-40x40.jpg', 40, 40],
    ] as const) {
      const out = join(dir, `page${page}`);
      execFileSync('pdftoppm', [
        ...['-f', String(page), '-l', String(page), '-singlefile'],
        ...['-scale-to-x', String(width), '-scale-to-y', String(height), file, out],
      ]);
      const rendered = readPpm(readFileSync(`${out}.ppm`));
      const decoded = readPpm(execFileSync('djpeg', ['-rgb', '-pnm', join(fixtures, name)]));
      expect([rendered.width, rendered.height]).toEqual([width, height]);
      // The same picture give or take resampling; flipped or blank would be far off (~100).
      expect(meanAbsDiff(rendered.rgb, decoded.rgb)).toBeLessThan(12);
    }
  });
});
