import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { ofPurpose, problemOf, supported } from './passkeys';

describe('passkeys', () => {
  it('says what went wrong from the browser or the server', () => {
    expect(problemOf(new DOMException('x', 'NotAllowedError'))).toBe('cancelled');
    expect(problemOf(new DOMException('x', 'AbortError'))).toBe('cancelled');
    expect(problemOf(new DOMException('x', 'InvalidStateError'))).toBe('exists');
    expect(problemOf(new DOMException('x', 'SecurityError'))).toBe('unsupported');
    expect(problemOf(new ApiError(429, 'rate_limited', ''))).toBe('tooMany');
    expect(problemOf(new ApiError(401, 'passkey_refused', ''))).toBe('refused');
    expect(problemOf(new ApiError(400, 'passkey_challenge_unknown', ''))).toBe('refused');
    expect(problemOf(new ApiError(403, 'second_factor_required', ''))).toBe('secondFactorFirst');
    expect(problemOf(new ApiError(409, 'last_way_in', ''))).toBe('lastWayIn');
    expect(problemOf(new ApiError(403, 'passkey_none', ''))).toBe('none');
    expect(problemOf(new ApiError(409, 'passkey_already_registered', ''))).toBe('exists');
    expect(problemOf(new ApiError(400, 'passkey_invalid', ''))).toBe('error');
    expect(problemOf(new ApiError(500, 'internal', ''))).toBe('error');
    expect(problemOf(new Error('boom'))).toBe('error');
    expect(problemOf(null)).toBe('error');
  });

  it('keeps the keys of one purpose, the most recently used first', () => {
    const k = (id: string, purpose: string, created_at: number, last_used_at: number | null) => ({ id, label: id, purpose, created_at, last_used_at });
    const keys = [k('a', 'second_factor', 10, null), k('b', 'login', 50, 60), k('c', 'second_factor', 5, 40), k('d', 'second_factor', 20, null)];
    expect(ofPurpose(keys, 'second_factor').map((x) => x.id)).toEqual(['c', 'd', 'a']);
    expect(ofPurpose(keys, 'login').map((x) => x.id)).toEqual(['b']);
  });

  it('is not offered where the browser cannot read the server options', () => {
    // Node has no PublicKeyCredential: the buttons are not shown.
    expect(supported()).toBe(false);
  });
});
