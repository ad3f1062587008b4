// The device key, kept on this device only wrapped: AES-GCM under a non-extractable WebCrypto key
// that lives beside it in IndexedDB. A copy of the browser's files alone does not give the device
// key (the wrapping key's material cannot be read out through the browser), so it does not open
// the vault. Used by the crypto worker only. Records are keyed by account id: no name, no title.

const DB = 'consigne-device';
const STORE = 'keys';

interface Wrapped {
  wrapping: CryptoKey;
  iv: Uint8Array<ArrayBuffer>;
  wrapped: ArrayBuffer;
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

/** Keeps `deviceKey` for `accountId`, wrapped under a fresh non-extractable key. */
export async function saveDeviceKey(accountId: string, deviceKey: Uint8Array): Promise<void> {
  const wrapping = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrapping, deviceKey as Uint8Array<ArrayBuffer>);
  const record: Wrapped = { wrapping, iv, wrapped };
  await tx('readwrite', (s) => s.put(record, accountId));
}

/** The device key of `accountId` on this device, or null. */
export async function loadDeviceKey(accountId: string): Promise<Uint8Array | null> {
  const record = (await tx('readonly', (s) => s.get(accountId))) as Wrapped | undefined;
  if (!record) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, record.wrapping, record.wrapped);
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

export const DEVICE_DB = DB;
