// The device key, kept on this device only wrapped: AES-GCM under a non-extractable WebCrypto key
// that lives beside it in IndexedDB. A copy of the browser's files alone does not give the device
// key (the wrapping key's material cannot be read out through the browser), so it does not open
// the vault. Used by the crypto worker only (but `forgetUnremembered`, called by logout). Records
// are keyed by account id: no name, no title. A record says whether the person asked this device
// to be remembered: if not, logout erases it (a shared computer keeps nothing that opens the
// vault). The ephemeral identity of an assisted recovery waits here the same way, under
// `recovery:<account id>`, until the recovery is completed or cancelled. A professional's account
// identity (aidant, référent) is kept the same way under `account:<account id>`.

const DB = 'consigne-device';
const STORE = 'keys';

interface Wrapped {
  wrapping: CryptoKey;
  iv: Uint8Array<ArrayBuffer>;
  wrapped: ArrayBuffer;
  /** Kept after logout (absent in records written before the choice existed: kept). */
  remember?: boolean;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = run(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

/** Keeps `secret` under `name`, wrapped under a fresh non-extractable key. */
async function save(name: string, secret: Uint8Array, remember: boolean): Promise<void> {
  const wrapping = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrapping, secret as Uint8Array<ArrayBuffer>);
  const record: Wrapped = { wrapping, iv, wrapped, remember };
  await tx('readwrite', (s) => s.put(record, name));
}

/** Keeps `deviceKey` for `accountId`; after logout only if `remember`. */
export const saveDeviceKey = (accountId: string, deviceKey: Uint8Array, remember: boolean) =>
  save(accountId, deviceKey, remember);

/** The device key of `accountId` on this device, or null. */
export const loadDeviceKey = (accountId: string) => load(accountId);

const recoveryName = (accountId: string) => `recovery:${accountId}`;

/** Keeps the ephemeral identity of a recovery request until it is completed or cancelled. */
export const saveRecoveryIdentity = (accountId: string, identity: string) =>
  save(recoveryName(accountId), new TextEncoder().encode(identity), true);

export async function loadRecoveryIdentity(accountId: string): Promise<string | null> {
  const bytes = await load(recoveryName(accountId));
  if (!bytes) return null;
  const text = new TextDecoder().decode(bytes);
  bytes.fill(0);
  return text;
}

const accountName = (accountId: string) => `account:${accountId}`;

/** Keeps a professional's account identity on this device (after logout only if `remember`). */
export const saveAccountIdentity = (accountId: string, identity: string, remember: boolean) =>
  save(accountName(accountId), new TextEncoder().encode(identity), remember);

export async function loadAccountIdentity(accountId: string): Promise<string | null> {
  const bytes = await load(accountName(accountId));
  if (!bytes) return null;
  const text = new TextDecoder().decode(bytes);
  bytes.fill(0);
  return text;
}

export const forgetRecoveryIdentity = (accountId: string) => tx('readwrite', (s) => s.delete(recoveryName(accountId)));

/** Erases every record the person did not ask this device to remember (at logout). */
export async function forgetUnremembered(): Promise<void> {
  const db = await open();
  try {
    await new Promise<void>((resolve, reject) => {
      const t = db.transaction(STORE, 'readwrite');
      const req = t.objectStore(STORE).openCursor();
      req.onsuccess = () => {
        const cursor = req.result;
        if (!cursor) return;
        if ((cursor.value as Wrapped).remember === false) cursor.delete();
        cursor.continue();
      };
      t.oncomplete = () => resolve();
      t.onerror = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

async function load(name: string): Promise<Uint8Array | null> {
  const record = (await tx('readonly', (s) => s.get(name))) as Wrapped | undefined;
  if (!record) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, record.wrapping, record.wrapped);
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

export const DEVICE_DB = DB;
