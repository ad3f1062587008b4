// Passkeys (WebAuthn) as the screens use them: registered for the account (an aidant's as the
// second factor, in place of the authenticator app), used for the second factor, listed and
// removed. The server's options are WebAuthn's JSON form, read by the browser itself
// (`parseCreationOptionsFromJSON`, `parseRequestOptionsFromJSON`); the credential goes back as
// `toJSON()`. Nothing of the passkey's secret ever reaches the page: it stays in the authenticator.
import { ApiError, get, request } from './api';

export type Purpose = 'login' | 'second_factor';

export interface Passkey {
  id: string;
  label: string;
  purpose: Purpose | string;
  created_at: number;
  last_used_at: number | null;
}

interface Ceremony<O> {
  ceremony_id: string;
  options: { publicKey: O };
}

/** Whether this browser can make and use passkeys from the server's JSON options. */
export function supported(): boolean {
  const pkc = (globalThis as { PublicKeyCredential?: typeof PublicKeyCredential }).PublicKeyCredential;
  return !!pkc && typeof pkc.parseCreationOptionsFromJSON === 'function'
    && typeof pkc.parseRequestOptionsFromJSON === 'function' && !!globalThis.navigator?.credentials;
}

/** What went wrong, for a sentence of the catalogue (`proPasskey.problem`). */
export type Problem = 'cancelled' | 'exists' | 'unsupported' | 'none' | 'refused' | 'tooMany' | 'secondFactorFirst' | 'lastWayIn' | 'error';

export function problemOf(e: unknown): Problem {
  if (e instanceof ApiError) {
    if (e.status === 429 || e.code === 'rate_limited') return 'tooMany';
    if (e.code === 'second_factor_required') return 'secondFactorFirst';
    if (e.code === 'last_way_in') return 'lastWayIn';
    if (e.code === 'passkey_refused' || e.code === 'passkey_challenge_unknown') return 'refused';
    if (e.code === 'passkey_none') return 'none';
    if (e.code === 'passkey_already_registered') return 'exists';
    return 'error';
  }
  const name = (e as { name?: string } | null)?.name;
  // The person closed the browser's window, or let it wait too long (the browser does not say which).
  if (name === 'NotAllowedError' || name === 'AbortError') return 'cancelled';
  if (name === 'InvalidStateError') return 'exists';
  if (name === 'NotSupportedError' || name === 'SecurityError') return 'unsupported';
  return 'error';
}

/** Registers a passkey of this device for `purpose`, named `label`. */
export async function register(purpose: Purpose, label: string): Promise<Passkey> {
  const c = await request<Ceremony<PublicKeyCredentialCreationOptionsJSON>>('POST', '/api/v1/account/passkeys/registration', { purpose });
  const credential = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(c.options.publicKey),
  });
  if (!(credential instanceof PublicKeyCredential)) throw new DOMException('no credential', 'NotAllowedError');
  return request<Passkey>('POST', '/api/v1/account/passkeys', { ceremony_id: c.ceremony_id, label, credential: credential.toJSON() });
}

/** The aidant's second factor given with a passkey: the session is past it on the server's answer. */
export async function secondFactor(): Promise<void> {
  const c = await request<Ceremony<PublicKeyCredentialRequestOptionsJSON>>('POST', '/auth/passkey/second-factor/challenge');
  const credential = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(c.options.publicKey),
  });
  if (!(credential instanceof PublicKeyCredential)) throw new DOMException('no credential', 'NotAllowedError');
  await request('POST', '/auth/passkey/second-factor', { ceremony_id: c.ceremony_id, credential: credential.toJSON() });
}

export const list = () => get<Passkey[]>('/api/v1/account/passkeys');

export const remove = (id: string) => request<void>('DELETE', `/api/v1/account/passkeys/${encodeURIComponent(id)}`);

/** The passkeys of `purpose`, the most recently used first (never used: the newest first). */
export const ofPurpose = (keys: Passkey[], purpose: Purpose): Passkey[] =>
  keys.filter((k) => k.purpose === purpose)
    .sort((a, b) => (b.last_used_at ?? b.created_at) - (a.last_used_at ?? a.created_at));
