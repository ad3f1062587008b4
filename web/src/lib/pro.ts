// A professional's account as the aidant's screens use it: the second factor (TOTP), the account
// key (made, kept and opened in the worker), the organisation this session acts for. The crypto
// is the worker's (worker/pro.ts); this file only calls the API and the worker.
import { ApiError, get, request } from './api';
import { call } from './crypto';
import { currentSession, type SessionInfo } from './session';

/** The first second factor: the authenticator app's secret as a URI (for its QR code) and the
 *  secret alone (to type it in the app). */
export interface Enrolment {
  uri: string;
  secret: string;
}

export async function enrolTotp(): Promise<Enrolment | 'enrolled'> {
  try {
    const r = await request<{ otpauth_uri: string }>('POST', '/auth/totp/enrol');
    const secret = new URL(r.otpauth_uri).searchParams.get('secret') ?? '';
    return { uri: r.otpauth_uri, secret };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'totp_already_enrolled') return 'enrolled';
    throw e;
  }
}

/** Gives the six-digit code; the session goes on under a new token (and CSRF token). */
export async function verifyTotp(code: string): Promise<SessionInfo | null> {
  await request('POST', '/auth/totp/verify', { code });
  return currentSession();
}

export interface AccountKey {
  recipient: string;
  envelope: string;
}

/** The registered account key, or null before the first one. */
export async function accountKey(): Promise<AccountKey | null> {
  try {
    return await get<AccountKey>('/api/v1/account/key');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export interface Prepared {
  code: string;
  qr: string;
}

/** A new account key made in the worker: its kit code to print and check. */
export async function prepareKey(accountId: string): Promise<Prepared> {
  const r = await call<Prepared>('proPrepare', { accountId });
  return { code: r.code, qr: r.qr };
}

export const checkKit = (typed: string) => call<boolean>('proCheckKit', { typed });

/** Registers the key made by `prepareKey` (recipient and sealed identity), then the signing key
 *  derived from it; this device keeps a wrapped copy (after logout only if `remember`). */
export async function registerKey(accountId: string, remember: boolean): Promise<void> {
  const r = await call<{ key: AccountKey; signingKey: unknown }>('proPrepared', { accountId });
  await request('PUT', '/api/v1/account/key', r.key);
  await call('proKeyKept', { accountId, remember });
  await request('PUT', '/api/v1/account/signing-key', r.signingKey);
}

/** Opens the key with this device's copy (no typing); false when the device has none. */
export async function unlockOnDevice(accountId: string, key: AccountKey): Promise<boolean> {
  const opened = await call<boolean>('proUnlockDevice', { accountId, recipient: key.recipient });
  if (opened) await ensureSigningKey(accountId);
  return opened;
}

/** Opens the key with the professional kit's code; this device keeps a copy. */
export async function unlockWithCode(accountId: string, key: AccountKey, code: string, remember: boolean): Promise<boolean> {
  const opened = await call<boolean>('proUnlockKit', { accountId, recipient: key.recipient, code, envelope: key.envelope, remember });
  if (opened) await ensureSigningKey(accountId);
  return opened;
}

/** The signing key derived from the account key, registered if it is not yet (an interrupted
 *  first time); the same key again is accepted. */
async function ensureSigningKey(accountId: string): Promise<void> {
  try {
    await get('/api/v1/account/signing-key');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    await request('PUT', '/api/v1/account/signing-key', await call('proSigningKey', { accountId }));
  }
}

// The organisation's side (memberships, the choice for this session, members): lib/organisation.ts.
