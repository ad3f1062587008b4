import { describe, expect, it } from 'vitest';
import { endingSoon, search } from './proMandates';

describe("the aidant's list of usagers", () => {
  const people = [
    { id: '1', usager: { id: 'a', name: 'Angela Claire Louise DUBOIS' } },
    { id: '2', usager: { id: 'b', name: 'Karim BENALI' } },
    { id: '3', usager: { id: 'c', name: 'Hélène Dupré' } },
    { id: '4', usager: null },
  ];

  it('finds a person by any words of their name, case and accents ignored', () => {
    expect(search(people, 'dubois').map((p) => p.id)).toEqual(['1']);
    expect(search(people, 'angela dub').map((p) => p.id)).toEqual(['1']);
    expect(search(people, 'helene').map((p) => p.id)).toEqual(['3']);
    expect(search(people, 'DUPRÉ').map((p) => p.id)).toEqual(['3']);
    expect(search(people, 'karim dubois')).toEqual([]);
    expect(search(people, '  ').length).toBe(4);
  });

  it('marks the mandates ending within two weeks', () => {
    const now = 1_800_000_000;
    expect(endingSoon({ expires_at: now + 13 * 86400 }, now)).toBe(true);
    expect(endingSoon({ expires_at: now + 14 * 86400 }, now)).toBe(true);
    expect(endingSoon({ expires_at: now + 15 * 86400 }, now)).toBe(false);
    expect(endingSoon({ expires_at: null }, now)).toBe(false);
  });
});
