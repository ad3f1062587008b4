import { describe, expect, it } from 'vitest';
import { expiryState, formatDay, parseDay, today } from './expiry';

describe('expiry', () => {
  const now = new Date(2027, 0, 15, 10, 0); // 15 January 2027, local time

  it('reads only real days', () => {
    expect(parseDay('2027-02-28')).not.toBeNull();
    expect(parseDay('2027-02-30')).toBeNull();
    expect(parseDay('15/01/2027')).toBeNull();
    expect(parseDay('')).toBeNull();
    expect(today(now)).toBe('2027-01-15');
  });

  it('says expired from the day after, soon within 60 days, else valid', () => {
    expect(expiryState('2027-01-14', now)).toBe('expired');
    expect(expiryState('2027-01-15', now)).toBe('soon');
    expect(expiryState('2027-03-16', now)).toBe('soon');
    expect(expiryState('2027-03-17', now)).toBe('valid');
    expect(expiryState(undefined, now)).toBeNull();
    expect(expiryState('bientôt', now)).toBeNull();
  });

  it('writes the day in the person’s language', () => {
    expect(formatDay('2027-01-05', 'fr-FR')).toBe('05/01/2027');
    expect(formatDay('2027-01-05', 'en-GB')).toBe('05/01/2027');
  });
});
