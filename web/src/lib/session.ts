// Who is signed in (GET /auth/session), logout, and erasing what the browser holds of a person.
import { get, request, setCsrf } from './api';
import { stop } from './crypto';
import { DEVICE_DB, forgetUnremembered } from './devicekey';
import { LANG_KEY } from './i18n';

export interface SessionInfo {
  user: { id: string; role: 'usager' | 'aidant' | 'referent'; given_name: string; family_name: string };
  /** A professional's second factor given on this session (always true for a usager). */
  second_factor: boolean;
  csrf_token: string;
  expires_at: number;
  idle_timeout_seconds: number;
}

/** The session, or null when nobody is signed in. */
export async function currentSession(): Promise<SessionInfo | null> {
  try {
    const s = await get<SessionInfo>('/auth/session');
    setCsrf(s.csrf_token);
    return s;
  } catch {
    return null;
  }
}

/**
 * Erases everything of the person in this browser: the worker and its keys, every IndexedDB
 * database but the device's wrapped key (itself erased unless the person asked this device to be
 * remembered), local and session storage (the language choice is kept, it names nobody), Cache
 * Storage.
 */
export async function eraseLocal(): Promise<void> {
  await stop().catch(() => undefined);
  try {
    const dbs = (await indexedDB.databases?.()) ?? [];
    if (dbs.some((d) => d.name === DEVICE_DB)) await forgetUnremembered();
    await Promise.all(
      dbs
        .filter((d) => d.name && d.name !== DEVICE_DB)
        .map((d) => new Promise<void>((done) => {
          const req = indexedDB.deleteDatabase(d.name as string);
          req.onsuccess = req.onerror = req.onblocked = () => done();
        })),
    );
  } catch {
    // No IndexedDB: nothing to erase there.
  }
  try {
    const lang = localStorage.getItem(LANG_KEY);
    localStorage.clear();
    sessionStorage.clear();
    if (lang) localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Storage refused: nothing was kept there either.
  }
  try {
    for (const name of await caches.keys()) await caches.delete(name);
  } catch {
    // No Cache Storage (plain HTTP on another host than localhost): nothing to erase.
  }
}

/** Ends the session on the server, erases the browser's copy, then ends the provider's session. */
export async function logout(): Promise<void> {
  let next = '/';
  try {
    const res = await request<{ logout_url: string | null }>('POST', '/auth/logout');
    if (res?.logout_url) next = res.logout_url;
  } catch {
    // The session may be over already: still erase and leave.
  }
  await eraseLocal();
  location.assign(next);
}
