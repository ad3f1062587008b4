// The usager's ways in without FranceConnect (issue 15) as the screens use them: the kit login
// (the challenge signed in the worker), the passkey login and registration (the phone's own
// screen lock, through the browser's WebAuthn), an in-person enrolment's link, and the list of
// ways in. Refusals carry a code that `waysRefusals.ts` says in plain words.
import { get, request } from './api';
import { call } from './crypto';
import { list, register, remove, supported, type Passkey } from './passkeys';
import { WaysError } from './waysRefusals';

export type { Passkey };

/** The answer of every login: the session cookie is set, `currentSession` reads it. */
export interface SignedIn {
  account_id: string;
  role: 'usager' | 'aidant';
  /** Only for an enrolment's link. */
  purpose?: 'enrolment' | 'reproofing';
}

/** Signs in with the recovery kit: the server's challenge signed in the worker with the login
 *  key of `code` (typed, or the text of its QR code). The code never leaves the worker. */
export async function kitLogin(code: string): Promise<SignedIn> {
  const { challenge_id, challenge } = await request<{ challenge_id: string; challenge: string }>('POST', '/auth/kit/challenge', {});
  let signed: { public_key: string; signature: string };
  try {
    signed = await call('kitLoginSign', { code, challenge });
  } catch (e) {
    throw new WaysError(e instanceof Error && e.message === 'invalid' ? 'invalid_code' : 'unknown');
  }
  return request<SignedIn>('POST', '/auth/kit/login', { challenge_id, ...signed });
}

/** Whether this browser can use a passkey (WebAuthn with the JSON helpers). */
export const passkeysSupported = supported;

type Options<T> = { ceremony_id: string; options: { publicKey: T } };

/** Signs in with a passkey: the phone (or this computer) asks for its own screen lock. */
export async function passkeyLogin(): Promise<SignedIn> {
  if (!passkeysSupported()) throw new WaysError('unsupported');
  const { ceremony_id, options } = await request<Options<PublicKeyCredentialRequestOptionsJSON>>('POST', '/auth/passkey/challenge', {});
  const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey) });
  if (!credential) throw new WaysError('cancelled');
  return request<SignedIn>('POST', '/auth/passkey/login', { ceremony_id, credential: (credential as PublicKeyCredential).toJSON() });
}

/** An in-person enrolment's link: signs in as the enrolled usager. */
export const claimEnrolment = (token: string) => request<SignedIn>('POST', '/auth/enrolment/claim', { token });

export interface WaysIn {
  franceconnect: boolean;
  kit: boolean;
  passkeys: number;
}

export interface Identity {
  source: 'franceconnect' | 'in_person';
  verified_by: string | null;
  organisation: string | null;
  verified_at: number | null;
  franceconnect_linked: boolean;
  sentence: string;
}

export const waysIn = () => get<WaysIn>('/api/v1/account/ways-in');
export const identity = () => get<Identity>('/api/v1/account/identity');
export const passkeys = list;
export const removePasskey = remove;

/** Registers this phone (or computer) as a way in: its screen lock will sign the usager in
 *  (`passkeys.ts` does the ceremony, for the aidant's second factor too). */
export async function addPasskey(label: string): Promise<Passkey> {
  if (!supported()) throw new WaysError('unsupported');
  return register('login', label);
}

/** A new kit for logging in (after a re-proofing), its login key registered at once: the code
 *  and its QR text to print. */
export async function newLoginKit(accountId: string): Promise<{ code: string; qr: string }> {
  const kit = await call<{ code: string; qr: string; registration: unknown }>('loginKit', { accountId });
  await request('PUT', '/api/v1/account/kit-login', kit.registration);
  return { code: kit.code, qr: kit.qr };
}
