// In-person enrolment as the aidant's and the référent's screens use it (issue 15): a person
// present is enrolled (names, birth date and place, how their identity was checked: the kind of
// document seen — Consigne keeps no copy — or "known to the service", which a référent confirms),
// or a usager's access is made again (re-proofing: the login comes back, never the papers). The
// server answers with a one-time link the usager opens on their phone or on this computer
// (components/aidant/EnrolmentLink.svelte). The form's rules and the words' choices are pure
// functions here (unit-tested); the calls are thin.
import { request, get } from './api';

export const DOCUMENT_KINDS = ['cni', 'passeport', 'titre_sejour', 'permis', 'autre'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export type Method = 'document' | 'known';

/** The form as typed (every field a string, the date as an `<input type=date>` gives it). */
export interface EnrolmentForm {
  given_name: string;
  family_name: string;
  birthdate: string;
  birthplace: string;
  method: Method;
  document_kind: DocumentKind | '';
}

export type Field = 'given_name' | 'family_name' | 'birthdate' | 'birthplace' | 'document_kind';

export const emptyForm = (): EnrolmentForm => ({
  given_name: '', family_name: '', birthdate: '', birthplace: '', method: 'document', document_kind: '',
});

/** Whether `text` is a real day of the calendar, YYYY-MM-DD, not after `today` nor before 1900. */
export function validBirthdate(text: string, today: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  return real && y >= 1900 && text <= today;
}

/** The fields to fill or correct, in the order of the form (empty when it can be sent). */
export function problems(form: EnrolmentForm, today: string): Field[] {
  const out: Field[] = [];
  if (!form.given_name.trim()) out.push('given_name');
  if (!form.family_name.trim()) out.push('family_name');
  if (!validBirthdate(form.birthdate, today)) out.push('birthdate');
  if (!form.birthplace.trim()) out.push('birthplace');
  if (form.method === 'document' && !DOCUMENT_KINDS.includes(form.document_kind as DocumentKind)) out.push('document_kind');
  return out;
}

/** The body of `POST /api/v1/enrolments`: names trimmed, no document kind for a known person. */
export function enrolmentBody(form: EnrolmentForm, usagerId: string | null) {
  return {
    given_name: form.given_name.trim(),
    family_name: form.family_name.trim(),
    birthdate: form.birthdate,
    birthplace: form.birthplace.trim(),
    method: form.method,
    document_kind: form.method === 'document' ? (form.document_kind || null) : null,
    usager_id: usagerId,
  };
}

/** Today in France, YYYY-MM-DD (the greatest birth date the form takes). */
export const todayInFrance = (now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/** A usager's name as the mandates give it ("Prénom Nom") split to prefill the form: the first
 *  word is taken for the given name, the rest for the family name (the aidant corrects it from
 *  the document in any case). */
export function splitName(name: string): { given_name: string; family_name: string } {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return { given_name: '', family_name: words[0] ?? '' };
  return { given_name: words[0], family_name: words.slice(1).join(' ') };
}

/** The one-time link as the usager's phone opens it: the server gives a path, the QR code and
 *  the text need the whole address. */
export const absoluteLink = (link: string, origin: string) => new URL(link, origin).href;

export interface Enrolled {
  id: string;
  usager_id: string | null;
  status: 'ready' | 'awaiting_confirmation';
  link: string | null;
  expires_at: number | null;
}

export interface Link {
  link: string;
  expires_at: number;
}

/** Somebody as the server names them in a list (a name, or an object with one). */
export type Named = string | { id?: string; name?: string | null } | null | undefined;
export const nameOf = (n: Named): string => (typeof n === 'string' ? n : n?.name ?? '');

export interface Enrolment {
  id: string;
  usager_id: string | null;
  given_name: string;
  family_name: string;
  purpose: 'enrolment' | 'reproofing' | string;
  method: Method | string;
  document_kind: DocumentKind | string | null;
  status: string;
  aidant: Named;
  checked_at: number;
  confirmed_by: Named;
  confirmed_at: number | null;
  claimed_at: number | null;
}

/** Where an enrolment stands, in the words of the screens: the usager made their access
 *  (`claimed`), a référent must confirm first (`awaiting`), a link works (`ready`), or its link
 *  ran out and a new one may be asked (`expired`). */
export type Stage = 'claimed' | 'awaiting' | 'ready' | 'expired';
export function stageOf(e: Pick<Enrolment, 'status' | 'claimed_at'>): Stage {
  if (e.claimed_at || e.status === 'claimed') return 'claimed';
  if (e.status === 'awaiting_confirmation') return 'awaiting';
  if (e.status === 'expired') return 'expired';
  return 'ready';
}

/** Of a list, the enrolments made by `userId` (a référent's list holds the whole organisation's;
 *  an entry whose aidant is named without an id is kept). */
export const madeBy = <E extends Pick<Enrolment, 'aidant'>>(list: E[], userId: string): E[] =>
  list.filter((e) => typeof e.aidant !== 'object' || !e.aidant?.id || e.aidant.id === userId);

/** Those awaiting a référent first, then the most recent. */
export const ordered = <E extends Pick<Enrolment, 'status' | 'claimed_at' | 'checked_at'>>(list: E[]): E[] =>
  [...list].sort((a, b) => Number(stageOf(b) === 'awaiting') - Number(stageOf(a) === 'awaiting') || b.checked_at - a.checked_at);

export const enrol = (form: EnrolmentForm, usagerId: string | null) =>
  request<Enrolled>('POST', '/api/v1/enrolments', enrolmentBody(form, usagerId));

/** The organisation's enrolments for a référent, the aidant's own for an aidant. */
export const enrolments = () => get<Enrolment[]>('/api/v1/enrolments');

/** A new one-time link (30 minutes; the older one stops working). */
export const newLink = (id: string) => request<Link>('POST', `/api/v1/enrolments/${encodeURIComponent(id)}/link`);

export const confirm = (id: string) => request<void>('POST', `/api/v1/enrolments/${encodeURIComponent(id)}/confirmation`);

/** The assurance of the usager's identity as a mandate view carries it ("identité vérifiée en
 *  présence par Sophie Leroy, CCAS d'Alpha, le 3 mars 2026" or "FranceConnect"), or null when the
 *  view has none (then nothing is shown). */
export function assuranceOf(m: { usager_assurance?: unknown; usager?: object | null }): string | null {
  const s = typeof m.usager_assurance === 'string' ? m.usager_assurance : (m.usager as { assurance?: unknown } | null | undefined)?.assurance;
  return typeof s === 'string' && s.trim() ? s.trim() : null;
}
