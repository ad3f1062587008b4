import { describe, expect, it } from 'vitest';
import { parse, pathOf, REFERENT_SCREENS, ROUTES, rowOf, same } from './routes';

describe('routes', () => {
  it('gives each screen its own path and reads it back', () => {
    const paths = new Set<string>();
    for (const row of ROUTES) {
      const route = row.id ? { screen: row.screen, id: '0192f0c4-7b1d-7e1a-9c3b-1a2b3c4d5e6f' } : { screen: row.screen };
      const path = pathOf(route);
      expect(paths.has(path)).toBe(false);
      paths.add(path);
      expect(parse(path)).toEqual(route);
    }
  });

  it('writes the paths of the brief', () => {
    expect(pathOf({ screen: 'papers' })).toBe('/app/papiers');
    expect(pathOf({ screen: 'papers', id: 'identite' })).toBe('/app/papiers/identite');
    expect(pathOf({ screen: 'add' })).toBe('/app/ajouter');
    expect(pathOf({ screen: 'view', id: 'abc' })).toBe('/app/document/abc');
    expect(pathOf({ screen: 'bin' })).toBe('/app/corbeille');
    expect(pathOf({ screen: 'share', id: 'abc' })).toBe('/app/partager/abc');
    expect(pathOf({ screen: 'home' })).toBe('/');
  });

  it('gives the public information pages their addresses, open to anybody', () => {
    const pages = { about: '/app/consigne', legal: '/app/mentions-legales', privacy: '/app/donnees-personnelles', accessibility: '/app/accessibilite' } as const;
    for (const [screen, path] of Object.entries(pages)) {
      expect(pathOf({ screen: screen as keyof typeof pages })).toBe(path);
      expect(parse(path)).toEqual({ screen });
      expect(ROUTES.find((r) => r.screen === screen)?.need).toBe('none');
    }
  });

  it('tells kit/verification from the kit and the cancel link from the recovery', () => {
    expect(parse('/app/kit/verification')).toEqual({ screen: 'check' });
    expect(parse('/app/kit')).toEqual({ screen: 'kit' });
    expect(parse('/app/recuperation/annuler')).toEqual({ screen: 'recoveryCancel' });
    expect(parse('/app/recuperation')).toEqual({ screen: 'recovery' });
    expect(parse('/app/papiers/')).toEqual({ screen: 'papers' });
  });

  it('refuses addresses of no screen', () => {
    expect(parse('/app/document')).toBeNull();
    expect(parse('/app/inconnu')).toBeNull();
    expect(parse('/app/document/a/b')).toBeNull();
    expect(parse('/app/ajouter/x')).toBeNull();
    expect(parse('/ailleurs')).toBeNull();
    expect(parse('/app/document/%3Cscript%3E')).toBeNull();
    expect(parse('/')).toEqual({ screen: 'home' });
  });

  it('never writes what is not an id into a path', () => {
    expect(pathOf({ screen: 'view', id: 'Mon passeport' })).toBe('/app/document');
    expect(same({ screen: 'view', id: 'a' }, { screen: 'view', id: 'a' })).toBe(true);
    expect(same({ screen: 'view', id: 'a' }, { screen: 'share', id: 'a' })).toBe(false);
  });

  it("keeps the aidant's space under /app/aidant/, with a mandate's or a document's id only", () => {
    expect(pathOf({ screen: 'proPeople' })).toBe('/app/aidant/usagers');
    expect(parse('/app/aidant/mandat/abc')).toEqual({ screen: 'proPapers', id: 'abc' });
    expect(parse('/app/aidant/document/abc')).toEqual({ screen: 'proView', id: 'abc' });
    expect(parse('/app/document/abc')).toEqual({ screen: 'view', id: 'abc' });
    expect(parse('/app/aidant/mandat')).toBeNull();
    for (const row of ROUTES.filter((r) => r.path.startsWith('aidant/'))) expect(row.need).toBe('pro');
  });

  it("puts the référent's space under /app/structure, for a professional's session", () => {
    expect(pathOf({ screen: 'team' })).toBe('/app/structure/aidants');
    expect(parse('/app/structure/journal')).toEqual({ screen: 'orgJournal' });
    expect(parse('/app/structure/indicateurs')).toEqual({ screen: 'indicators' });
    expect(parse('/app/structure/mandats')).toEqual({ screen: 'ending' });
    expect(parse('/app/structure')).toBeNull();
    expect(ROUTES.filter((r) => r.path.startsWith('structure/')).every((r) => r.need === 'referent')).toBe(true);
  });

  it("gives issue 15's screens of the aidant and the référent their addresses, with a mandate's id at most", () => {
    expect(pathOf({ screen: 'proEnrol' })).toBe('/app/aidant/inscription');
    expect(parse('/app/aidant/inscription')).toEqual({ screen: 'proEnrol' });
    expect(parse('/app/aidant/refaire-acces/abc')).toEqual({ screen: 'proReproof', id: 'abc' });
    expect(parse('/app/aidant/refaire-acces')).toBeNull();
    expect(parse('/app/aidant/cles-d-acces')).toEqual({ screen: 'proPasskeys' });
    expect(parse('/app/structure/inscriptions')).toEqual({ screen: 'enrolments' });
    expect(REFERENT_SCREENS).toContain('enrolments');
    for (const s of ['proEnrol', 'proReproof', 'proPasskeys'] as const) expect(rowOf(s).need).toBe('pro');
  });
});
