import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { fr } from '../i18n/fr';
import { en } from '../i18n/en';
import { REFUSALS, WaysError, refusalOf, refusalOfError } from './waysRefusals';

describe('refusals of the ways in', () => {
  it('keeps each code the server may answer', () => {
    for (const code of ['kit_challenge_unknown', 'kit_login_refused', 'passkey_refused', 'enrolment_link_unknown', 'last_way_in', 'kit_key_taken', 'identity_already_linked', 'reauth_required']) {
      expect(refusalOf(code)).toBe(code);
    }
  });

  it('says any other code in general words', () => {
    expect(refusalOf('internal')).toBe('unknown');
    expect(refusalOf(undefined)).toBe('unknown');
    expect(refusalOf('__proto__')).toBe('unknown');
  });

  it('reads the server, the browser and our own refusals', () => {
    expect(refusalOfError(new ApiError(409, 'last_way_in', 'x'))).toBe('last_way_in');
    expect(refusalOfError(new ApiError(401, 'kit_login_refused', 'x'))).toBe('kit_login_refused');
    expect(refusalOfError(new ApiError(429, 'too_many', 'x'))).toBe('rate_limited');
    expect(refusalOfError(new ApiError(0, 'network', 'x'))).toBe('network');
    expect(refusalOfError(new WaysError('invalid_code'))).toBe('invalid_code');
    expect(refusalOfError({ name: 'NotAllowedError' })).toBe('cancelled');
    expect(refusalOfError({ name: 'NotSupportedError' })).toBe('unsupported');
    expect(refusalOfError(new Error('boom'))).toBe('unknown');
  });

  it('has a sentence for every refusal, in each language', () => {
    for (const r of REFUSALS) {
      expect(fr.ways.refusal[r].length).toBeGreaterThan(10);
      expect(en.ways.refusal[r].length).toBeGreaterThan(10);
    }
  });
});
