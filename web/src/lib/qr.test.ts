// The path is drawn into a bitmap by a small rasteriser of its own (it knows only the SVG
// commands, not this module) and the bitmap is decoded by jsQR, an independent reader.
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { QUIET_ZONE, qrSvg } from './qr';

const PIXELS_PER_MODULE = 4;

/** Fills the rectangles of a path made of `M x y h w v 1 h -w z` subpaths into a module grid. */
function rasterise(size: number, path: string): boolean[][] {
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  const subpath = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/g;
  let consumed = 0;
  for (const m of path.matchAll(subpath)) {
    expect(m.index).toBe(consumed); // nothing but rectangles in the path
    consumed += m[0].length;
    const [x, y, w, back] = m.slice(1).map(Number);
    expect(back).toBe(w);
    expect(x + w).toBeLessThanOrEqual(size);
    expect(y).toBeLessThan(size);
    for (let i = x; i < x + w; i++) {
      expect(grid[y][i]).toBe(false); // runs do not overlap
      grid[y][i] = true;
    }
  }
  expect(consumed).toBe(path.length);
  return grid;
}

/** Renders the grid black on white, as RGBA, and reads it with jsQR. */
function decode(size: number, grid: boolean[][]) {
  const side = size * PIXELS_PER_MODULE;
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const dark = grid[Math.floor(y / PIXELS_PER_MODULE)][Math.floor(x / PIXELS_PER_MODULE)];
      rgba.fill(dark ? 0 : 255, (y * side + x) * 4, (y * side + x) * 4 + 3);
      rgba[(y * side + x) * 4 + 3] = 255;
    }
  }
  return jsQR(rgba, side, side, { inversionAttempts: 'dontInvert' });
}

function roundTrip(text: string, ecc?: 'L' | 'M' | 'Q' | 'H') {
  const { size, path } = ecc === undefined ? qrSvg(text) : qrSvg(text, ecc);
  const grid = rasterise(size, path);
  // The quiet zone is blank on every side.
  for (let i = 0; i < size; i++) {
    for (let q = 0; q < QUIET_ZONE; q++) {
      expect([grid[q][i], grid[size - 1 - q][i], grid[i][q], grid[i][size - 1 - q]]).toEqual([
        false,
        false,
        false,
        false,
      ]);
    }
  }
  const result = decode(size, grid);
  expect(result).not.toBeNull();
  return { size, result: result! };
}

describe('qrSvg', () => {
  it('encodes a recovery kit payload, compactly, and jsQR reads it back', () => {
    // The QR form of a kit code (crypto/src/kit.rs): prefix and 28 Crockford base32 characters.
    const kit = 'CONSIGNE-KIT:1:7K3M9QXD2HVAB0TE5RWNZ8F4GJ6C';
    const { size, result } = roundTrip(kit);
    expect(result.data).toBe(kit);
    // 43 characters at level M: version 3 in the alphanumeric mode (byte mode would need 4).
    expect(result.version).toBe(3);
    expect(size).toBe(29 + 2 * QUIET_ZONE);
  });

  it('reads back at every correction level', () => {
    for (const ecc of ['L', 'M', 'Q', 'H'] as const) {
      expect(roundTrip('CONSIGNE-KIT:1:7K3M9QXD2HVAB0TE5RWNZ8F4GJ6C', ecc).result.data).toBe(
        'CONSIGNE-KIT:1:7K3M9QXD2HVAB0TE5RWNZ8F4GJ6C',
      );
    }
  });

  it('keeps digits, lower case and accented text intact (UTF-8 in byte mode)', () => {
    expect(roundTrip('0123456789012345').result.data).toBe('0123456789012345');
    const url = 'https://consigne.example/partage#k=AbC-123_xyz';
    expect(roundTrip(url).result.data).toBe(url);
    const accents = 'Reçu n° 42 — été à Orléans';
    const { result } = roundTrip(accents);
    expect(result.data).toBe(accents);
    expect(result.binaryData).toEqual([...new TextEncoder().encode(accents)]);
  });

  it('refuses empty text and text beyond a QR code', () => {
    expect(() => qrSvg('')).toThrow(/nothing to encode/);
    expect(() => qrSvg('x'.repeat(3000), 'H')).toThrow(/too long/);
  });
});
