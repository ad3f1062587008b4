import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuid';
import { fromBase64, toBase64, toHex } from './bytes';

describe('uuidv7', () => {
  it('has the version 7 and variant bits and orders by time', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(a.slice(0, 13).replace('-', '')).toBe((1_700_000_000_000).toString(16).padStart(12, '0'));
  });
});

describe('bytes', () => {
  it('round-trips base64 of every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64(toBase64(all))).toEqual(all);
    expect(toBase64(new TextEncoder().encode('consigne'))).toBe('Y29uc2lnbmU=');
    expect(toHex(Uint8Array.of(0, 15, 255))).toBe('000fff');
  });
});
