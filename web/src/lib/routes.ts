// The table of the application's addresses: one path under /app/ per screen, so that the
// browser's back button goes back a screen and a reload stays on it. A path names a screen and
// at most one id (a document's, a category's): never a title, a name or anything personal.
// Adding a screen is adding one row here (and its branch in App.svelte).

export type Screen =
  | 'home' | 'kit' | 'check' | 'unlock' | 'recovery' | 'recoveryCancel'
  | 'papers' | 'add' | 'view' | 'edit' | 'share' | 'bin'
  | 'export' | 'mandates' | 'journal' | 'closure'
  | 'about' | 'legal' | 'privacy' | 'accessibility'
  // The aidant's space (screens/aidant/, loaded only for a professional's session).
  | 'proCode' | 'proKey' | 'proOrganisation' | 'proPeople' | 'proPropose' | 'proPapers' | 'proView' | 'proAdd'
  // The aidant's space, issue 15: in-person enrolment, re-proofing, the aidant's passkeys.
  | 'proEnrol' | 'proReproof' | 'proPasskeys'
  // The référent's space (screens/referent/).
  | 'team' | 'orgJournal' | 'indicators' | 'ending'
  // The référent's space, issue 15: the organisation's enrolments.
  | 'enrolments'
  // The usager's ways in without FranceConnect (issue 15): kit login, "Mes façons de me
  // connecter", an in-person enrolment's link.
  | 'kitLogin' | 'ways' | 'enrolment';

/** What a screen needs before it shows. */
export type Need =
  | 'none'     // anybody, signed in or not
  | 'session'  // a signed-in usager (the vault need not be open)
  | 'open'     // the vault open in the worker (else the unlock screen first, then this one)
  | 'pro'      // a signed-in professional (the aidant's space asks for what is missing first:
               // the second factor, the account key, the organisation)
  | 'referent'; // a professional's session (the server answers only a référent of the chosen organisation)

export interface Row {
  screen: Screen;
  /** The path under /app/ ('' for the entry page, which lives at /). */
  path: string;
  /** Whether the path ends with an id: 'required', 'optional' or absent. */
  id?: 'required' | 'optional';
  need: Need;
}

export const ROUTES: readonly Row[] = [
  { screen: 'home', path: '', need: 'none' },
  { screen: 'recoveryCancel', path: 'recuperation/annuler', need: 'none' },
  { screen: 'about', path: 'consigne', need: 'none' },
  { screen: 'legal', path: 'mentions-legales', need: 'none' },
  { screen: 'privacy', path: 'donnees-personnelles', need: 'none' },
  { screen: 'accessibility', path: 'accessibilite', need: 'none' },
  // Ways in without FranceConnect (usager): the kit login and an enrolment's link (its token
  // after '#', never sent to the server in the address), then the list of ways in.
  { screen: 'kitLogin', path: 'connexion/kit', need: 'none' },
  { screen: 'enrolment', path: 'inscription', need: 'none' },
  { screen: 'ways', path: 'connexion', need: 'session' },
  { screen: 'kit', path: 'kit', need: 'session' },
  { screen: 'check', path: 'kit/verification', need: 'session' },
  { screen: 'unlock', path: 'ouvrir', need: 'session' },
  { screen: 'recovery', path: 'recuperation', need: 'session' },
  { screen: 'papers', path: 'papiers', id: 'optional', need: 'open' },
  { screen: 'add', path: 'ajouter', need: 'open' },
  { screen: 'view', path: 'document', id: 'required', need: 'open' },
  { screen: 'edit', path: 'modifier', id: 'required', need: 'open' },
  { screen: 'share', path: 'partager', id: 'required', need: 'open' },
  { screen: 'bin', path: 'corbeille', need: 'open' },
  { screen: 'export', path: 'recuperer-mes-papiers', need: 'open' },
  { screen: 'mandates', path: 'mandats', need: 'open' },
  { screen: 'journal', path: 'qui-a-vu', need: 'open' },
  { screen: 'closure', path: 'fermer-mon-coffre', need: 'open' },
  { screen: 'proCode', path: 'aidant/code', need: 'pro' },
  { screen: 'proKey', path: 'aidant/cle', need: 'pro' },
  { screen: 'proOrganisation', path: 'aidant/structure', need: 'pro' },
  { screen: 'proPeople', path: 'aidant/usagers', need: 'pro' },
  { screen: 'proPropose', path: 'aidant/proposer', need: 'pro' },
  // The id of these three is a mandate's: the usager's name is never in an address.
  { screen: 'proPapers', path: 'aidant/mandat', id: 'required', need: 'pro' },
  { screen: 'proAdd', path: 'aidant/ajouter', id: 'required', need: 'pro' },
  // A document's id; its mandate is the one of the papers screen it was opened from.
  { screen: 'proView', path: 'aidant/document', id: 'required', need: 'pro' },
  // Issue 15, the aidant's side: enrolling a person present, re-proofing (the id is a mandate's,
  // never the usager's name), the aidant's passkeys.
  { screen: 'proEnrol', path: 'aidant/inscription', need: 'pro' },
  { screen: 'proReproof', path: 'aidant/refaire-acces', id: 'required', need: 'pro' },
  { screen: 'proPasskeys', path: 'aidant/cles-d-acces', need: 'pro' },
  // The référent's space (screens/referent/, fetched when opened).
  { screen: 'team', path: 'structure/aidants', need: 'referent' },
  { screen: 'orgJournal', path: 'structure/journal', need: 'referent' },
  { screen: 'indicators', path: 'structure/indicateurs', need: 'referent' },
  { screen: 'ending', path: 'structure/mandats', need: 'referent' },
  // Issue 15: the organisation's enrolments, confirmed by a référent.
  { screen: 'enrolments', path: 'structure/inscriptions', need: 'referent' },
];

/** The screens of the référent's space, in the order of its menu. */
export const REFERENT_SCREENS: readonly Screen[] = ROUTES.filter((r) => r.need === 'referent').map((r) => r.screen);
export const isReferentScreen = (s: string): s is Screen => REFERENT_SCREENS.includes(s as Screen);

export interface Route {
  screen: Screen;
  id?: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function rowOf(screen: Screen): Row {
  const row = ROUTES.find((r) => r.screen === screen);
  if (!row) throw new Error(`no route for ${screen}`);
  return row;
}

/** The address of `route`. */
export function pathOf(route: Route): string {
  const row = rowOf(route.screen);
  if (row.path === '') return '/';
  const base = `/app/${row.path}`;
  if (route.id !== undefined && row.id && ID.test(route.id)) return `${base}/${route.id}`;
  return base;
}

/** The route an address shows, or null for an address of no screen. */
export function parse(pathname: string): Route | null {
  if (pathname === '/' || pathname === '' || pathname === '/app' || pathname === '/app/') return { screen: 'home' };
  if (!pathname.startsWith('/app/')) return null;
  const rest = pathname.slice('/app/'.length).replace(/\/+$/, '');
  // The longest path first, so that kit/verification is not taken for kit followed by an id.
  const rows = [...ROUTES].filter((r) => r.path !== '').sort((a, b) => b.path.length - a.path.length);
  for (const row of rows) {
    if (rest === row.path) return row.id === 'required' ? null : { screen: row.screen };
    if (row.id && rest.startsWith(`${row.path}/`)) {
      const id = decodeURIComponent(rest.slice(row.path.length + 1));
      return ID.test(id) ? { screen: row.screen, id } : null;
    }
  }
  return null;
}

/** Whether two routes show the same thing. */
export const same = (a: Route, b: Route) => a.screen === b.screen && (a.id ?? '') === (b.id ?? '');
