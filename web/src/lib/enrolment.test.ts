import { describe, expect, it } from 'vitest';
import {
  absoluteLink, assuranceOf, emptyForm, enrolmentBody, madeBy, ordered, problems, splitName, stageOf, todayInFrance, validBirthdate,
  type EnrolmentForm,
} from './enrolment';

const TODAY = '2026-12-01';
const filled = (over: Partial<EnrolmentForm> = {}): EnrolmentForm => ({
  given_name: ' Awa ', family_name: 'Diallo', birthdate: '1984-02-29', birthplace: ' Bamako (Mali) ',
  method: 'document', document_kind: 'titre_sejour', ...over,
});

describe('enrolment form', () => {
  it('takes only real days, from 1900 to today', () => {
    expect(validBirthdate('1984-02-29', TODAY)).toBe(true);
    expect(validBirthdate('1985-02-29', TODAY)).toBe(false);
    expect(validBirthdate('2026-12-01', TODAY)).toBe(true);
    expect(validBirthdate('2026-12-02', TODAY)).toBe(false);
    expect(validBirthdate('1899-12-31', TODAY)).toBe(false);
    expect(validBirthdate('1984-13-01', TODAY)).toBe(false);
    expect(validBirthdate('01/02/1984', TODAY)).toBe(false);
    expect(validBirthdate('', TODAY)).toBe(false);
  });

  it('names every field to fill, in the order of the form', () => {
    expect(problems(emptyForm(), TODAY)).toEqual(['given_name', 'family_name', 'birthdate', 'birthplace', 'document_kind']);
    expect(problems(filled(), TODAY)).toEqual([]);
    expect(problems(filled({ given_name: '   ' }), TODAY)).toEqual(['given_name']);
    expect(problems(filled({ document_kind: '' }), TODAY)).toEqual(['document_kind']);
    // A person known to the service: no document asked.
    expect(problems(filled({ method: 'known', document_kind: '' }), TODAY)).toEqual([]);
  });

  it('sends the names trimmed, and no document kind for a person known to the service', () => {
    expect(enrolmentBody(filled(), null)).toEqual({
      given_name: 'Awa', family_name: 'Diallo', birthdate: '1984-02-29', birthplace: 'Bamako (Mali)',
      method: 'document', document_kind: 'titre_sejour', usager_id: null,
    });
    const known = enrolmentBody(filled({ method: 'known' }), 'u-1');
    expect(known.document_kind).toBeNull();
    expect(known.method).toBe('known');
    expect(known.usager_id).toBe('u-1');
  });

  it('says today as in France, also just after midnight there', () => {
    expect(todayInFrance(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-02');
    expect(todayInFrance(new Date('2026-12-01T12:00:00Z'))).toBe('2026-12-01');
  });

  it('splits a mandate name to prefill a re-proofing', () => {
    expect(splitName('Awa Diallo')).toEqual({ given_name: 'Awa', family_name: 'Diallo' });
    expect(splitName('  Jean  de La Fontaine ')).toEqual({ given_name: 'Jean', family_name: 'de La Fontaine' });
    expect(splitName('Diallo')).toEqual({ given_name: '', family_name: 'Diallo' });
    expect(splitName('')).toEqual({ given_name: '', family_name: '' });
  });

  it('makes the link whole for the QR code, the token kept in the fragment', () => {
    expect(absoluteLink('/app/inscription#abc_DEF-1', 'https://consigne.example.fr')).toBe('https://consigne.example.fr/app/inscription#abc_DEF-1');
    expect(absoluteLink('https://other.example/x', 'https://consigne.example.fr')).toBe('https://other.example/x');
  });
});

describe('enrolment lists', () => {
  const e = (id: string, status: string, checked_at: number, claimed_at: number | null = null) => ({ id, status, checked_at, claimed_at });

  it('says where each stands', () => {
    expect(stageOf(e('a', 'awaiting_confirmation', 1))).toBe('awaiting');
    expect(stageOf(e('b', 'ready', 1))).toBe('ready');
    expect(stageOf(e('c', 'ready', 1, 5))).toBe('claimed');
    expect(stageOf(e('d', 'claimed', 1, 5))).toBe('claimed');
    expect(stageOf(e('e', 'expired', 1))).toBe('expired');
  });

  it("keeps an aidant's own enrolments out of a référent's whole list", () => {
    const list = [
      { id: 'a', aidant: { id: 'me', name: 'Moi' } }, { id: 'b', aidant: { id: 'other', name: 'Autre' } },
      { id: 'c', aidant: 'Sophie Leroy' }, { id: 'd', aidant: null },
    ];
    expect(madeBy(list, 'me').map((x) => x.id)).toEqual(['a', 'c', 'd']);
  });

  it('puts those awaiting a référent first, then the most recent', () => {
    const list = [e('old', 'ready', 10), e('wait-old', 'awaiting_confirmation', 5), e('new', 'ready', 30, 40), e('wait-new', 'awaiting_confirmation', 20)];
    expect(ordered(list).map((x) => x.id)).toEqual(['wait-new', 'wait-old', 'new', 'old']);
    expect(list.map((x) => x.id)).toEqual(['old', 'wait-old', 'new', 'wait-new']);
  });

  it('shows the assurance sentence only when the mandate view carries one', () => {
    expect(assuranceOf({ usager_assurance: 'FranceConnect' })).toBe('FranceConnect');
    expect(assuranceOf({ usager: { assurance: 'identité vérifiée en présence par Sophie Leroy' } })).toBe('identité vérifiée en présence par Sophie Leroy');
    expect(assuranceOf({})).toBeNull();
    expect(assuranceOf({ usager_assurance: '  ', usager: null })).toBeNull();
    expect(assuranceOf({ usager_assurance: 3 })).toBeNull();
  });
});
