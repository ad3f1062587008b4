import { describe, expect, it } from 'vitest';
import { parse, pathOf, rowOf } from './routes';

describe('the addresses of the ways in', () => {
  it('gives the kit login, the enrolment link and the ways in their paths', () => {
    expect(pathOf({ screen: 'kitLogin' })).toBe('/app/connexion/kit');
    expect(pathOf({ screen: 'ways' })).toBe('/app/connexion');
    expect(pathOf({ screen: 'enrolment' })).toBe('/app/inscription');
    expect(parse('/app/connexion/kit')).toEqual({ screen: 'kitLogin' });
    expect(parse('/app/connexion')).toEqual({ screen: 'ways' });
    expect(parse('/app/inscription')).toEqual({ screen: 'enrolment' });
  });

  it('opens the logins and the enrolment link to anybody, the list only to a session', () => {
    expect(rowOf('kitLogin').need).toBe('none');
    expect(rowOf('enrolment').need).toBe('none');
    expect(rowOf('ways').need).toBe('session');
  });

  it('takes no id after them (an enrolment token is never in the path)', () => {
    expect(parse('/app/inscription/abcdefghijklmnopqrstuvwxyz')).toBeNull();
    expect(parse('/app/connexion/kit/abc')).toBeNull();
  });
});
