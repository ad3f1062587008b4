import { describe, expect, it } from 'vitest';
import { fr } from './fr';
import { en } from './en';

/** Every leaf of a catalogue: its path and value. */
function leaves(o: object, path = ''): [string, unknown][] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? leaves(v, `${path}${k}.`) : [[`${path}${k}`, v] as [string, unknown]]);
}

describe('catalogue', () => {
  it('has every French key in English, of the same kind, and no empty text', () => {
    const f = new Map(leaves(fr));
    const e = new Map(leaves(en));
    expect([...e.keys()].sort()).toEqual([...f.keys()].sort());
    for (const [key, value] of f) {
      const other = e.get(key);
      expect(typeof other, key).toBe(typeof value);
      if (typeof value === 'string') {
        expect(value.trim(), key).not.toBe('');
        expect((other as string).trim(), key).not.toBe('');
      } else if (typeof value === 'function') {
        expect(String((other as (n: number) => string)(2)), key).not.toBe('');
      }
    }
  });

  it('names every category the server knows', () => {
    const keys = ['identite', 'domicile', 'ressources', 'famille', 'sante', 'logement', 'emploi', 'droits', 'justice', 'etranger', 'autre'];
    expect(Object.keys(fr.category).sort()).toEqual([...keys].sort());
  });
});
