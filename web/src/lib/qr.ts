// A QR code as one SVG path, for the recovery kit and the sharing screens. The caller draws it as
// `<svg viewBox="0 0 {size} {size}"><path d={path}/></svg>`, coloured by the stylesheet: no inline
// style, which the Content-Security-Policy forbids.
import qrcode from 'qrcode-generator';

export type QrEcc = 'L' | 'M' | 'Q' | 'H';

/** Blank modules around the symbol, as the QR standard requires for readers to find it. */
export const QUIET_ZONE = 4;

const NUMERIC = /^[0-9]+$/;
// The 45 characters of the alphanumeric mode (upper case only).
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;

/** The most compact mode for `text`, and the string to give the library for it. */
function encode(text: string): { mode: 'Numeric' | 'Alphanumeric' | 'Byte'; data: string } {
  if (NUMERIC.test(text)) return { mode: 'Numeric', data: text };
  if (ALPHANUMERIC.test(text)) return { mode: 'Alphanumeric', data: text };
  // Byte mode: the library's default conversion keeps the low byte of each UTF-16 unit, so
  // handing it one unit per UTF-8 byte stores the text as UTF-8, which readers expect.
  let data = '';
  for (const byte of new TextEncoder().encode(text)) data += String.fromCharCode(byte);
  return { mode: 'Byte', data };
}

/**
 * The QR code of `text`: `size` is the side in modules, quiet zone included; `path` draws every
 * dark module, one rectangle per horizontal run, in the `0 0 size size` coordinate system.
 */
export function qrSvg(text: string, ecc: QrEcc = 'M'): { size: number; path: string } {
  if (text === '') throw new Error('qrSvg: nothing to encode');
  const { mode, data } = encode(text);
  const qr = qrcode(0, ecc);
  qr.addData(data, mode);
  try {
    qr.make();
  } catch (cause) {
    // The library throws a string when the text exceeds version 40's capacity.
    throw new Error(`qrSvg: text too long for a QR code at level ${ecc}`, { cause });
  }
  const count = qr.getModuleCount();
  const parts: string[] = [];
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!qr.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && qr.isDark(row, col)) col++;
      const run = col - start;
      parts.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`);
    }
  }
  return { size: count + 2 * QUIET_ZONE, path: parts.join('') };
}
