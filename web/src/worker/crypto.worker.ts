/// <reference lib="webworker" />
// The crypto worker: the only place where the usager's identity (their age secret key), file keys
// and the device key exist. The page sends files and receives ciphertext to upload, or sends
// ciphertext and receives the plaintext to show. The identity lives in this worker's memory only,
// and is dropped on lock and logout (the page then ends the worker too).
import init, * as wasm from '../../pkg/consigne_crypto_wasm.js';
import { fromBase64, toBase64 } from '../lib/bytes';
import {
  forgetRecoveryIdentity, loadDeviceKey, loadRecoveryIdentity, saveDeviceKey, saveRecoveryIdentity,
} from '../lib/devicekey';
import { consentBody, reencrypt } from './mandates';
import { kitLoginOps, kitLoginRegistration } from './kitLogin';
import { proOps } from './pro';
import { openVersion, sealVersion } from './versions';
import type { DocumentMeta, EnvelopeDto, Request, SealedUpload, VersionDto } from '../lib/protocol';

const ready = init();

let identity: string | null = null;
/** A vault being created: its identity, kit code and device key until the server has it. */
let pending: { identity: string; code: string; deviceKey?: Uint8Array } | null = null;
/** A device key made after a kit unlock, until the server has its envelope. */
let pendingDevice: Uint8Array | null = null;

function need(): string {
  if (!identity) throw new Error('locked');
  return identity;
}

const ops: Record<string, (args: any, progress: (p: number) => void) => Promise<unknown>> = {
  async ping() {
    return { ready: true, unlocked: identity !== null };
  },

  async prepare() {
    const id = wasm.generateIdentity();
    const code = wasm.generateKitCode();
    pending = { identity: id, code };
    return { code, qr: wasm.kitCodeQrPayload(code) };
  },

  /** Whether `typed` is the pending kit's code; throws `invalid` if it is not a code at all. */
  async checkKit({ typed }: { typed: string }) {
    if (!pending) throw new Error('nothing pending');
    let parsed: string;
    try {
      parsed = wasm.parseKitCode(typed);
    } catch {
      throw new Error('invalid');
    }
    return parsed === pending.code;
  },

  async vaultRequest({ accountId }: { accountId: string }) {
    if (!pending) throw new Error('nothing pending');
    const deviceKey = new Uint8Array(wasm.generateDeviceKey());
    pending.deviceKey = deviceKey;
    const id = pending.identity;
    return {
      signingKey: {
        public_key: wasm.signingPublicKey(id),
        proof: toBase64(wasm.signSigningKeyRegistration(id, accountId)),
      },
      vault: {
        recipient: wasm.identityToRecipient(id),
        envelopes: [
          { kind: 'device', label: 'appareil', envelope: toBase64(wasm.sealDeviceEnvelope(deviceKey, id, accountId)) },
          { kind: 'kit', label: 'kit de secours', envelope: toBase64(wasm.sealKitEnvelope(pending.code, id, accountId)) },
        ],
      },
      // The same kit is the login (`PUT /api/v1/account/kit-login`).
      kitLogin: kitLoginRegistration(pending.code, accountId),
    };
  },

  /** The server created the vault: keep the device key (wrapped) and hold the identity. */
  async vaultCreated({ accountId, remember }: { accountId: string; remember: boolean }) {
    if (!pending?.deviceKey) throw new Error('nothing pending');
    await saveDeviceKey(accountId, pending.deviceKey, remember);
    pending.deviceKey.fill(0);
    identity = pending.identity;
    pending = null;
    return true;
  },

  async unlockDevice({ accountId, recipient, envelopes }: { accountId: string; recipient: string; envelopes: EnvelopeDto[] }) {
    const key = await loadDeviceKey(accountId);
    if (!key) return false;
    try {
      for (const e of envelopes.filter((e) => e.kind === 'device')) {
        try {
          identity = wasm.openDeviceEnvelope(key, fromBase64(e.envelope), accountId, recipient);
          return true;
        } catch {
          // Another device's envelope: try the next one.
        }
      }
      return false;
    } finally {
      key.fill(0);
    }
  },

  async unlockKit(
    { accountId, recipient, code, envelopes, remember }:
      { accountId: string; recipient: string; code: string; envelopes: EnvelopeDto[]; remember: boolean },
  ) {
    for (const e of envelopes.filter((e) => e.kind === 'kit')) {
      try {
        identity = wasm.openKitEnvelope(code, fromBase64(e.envelope), accountId, recipient);
      } catch {
        continue;
      }
      if (!remember) return { opened: true };
      pendingDevice = new Uint8Array(wasm.generateDeviceKey());
      const envelope = toBase64(wasm.sealDeviceEnvelope(pendingDevice, identity, accountId));
      return { opened: true, device: { kind: 'device', label: 'appareil', envelope } };
    }
    return { opened: false };
  },

  async deviceRemembered({ accountId, remember = true }: { accountId: string; remember?: boolean }) {
    if (!pendingDevice) return false;
    await saveDeviceKey(accountId, pendingDevice, remember);
    pendingDevice.fill(0);
    pendingDevice = null;
    return true;
  },

  /** A recovery request from this device: an ephemeral identity, kept wrapped on the device until
   *  the shares released to its recipient come back (days later, maybe after a logout). */
  async recoveryRecipient({ accountId }: { accountId: string }) {
    const ephemeral = wasm.generateIdentity();
    await saveRecoveryIdentity(accountId, ephemeral);
    return wasm.identityToRecipient(ephemeral);
  },

  /** The released request: both shares opened with the ephemeral identity, then the assisted
   *  envelope with both; the vault is open and a device envelope for this device is returned. */
  async recoveryOpen(
    { accountId, recipient, envelope, organisationShare, serverShare }:
      { accountId: string; recipient: string; envelope: string; organisationShare: string; serverShare: string },
  ) {
    const ephemeral = await loadRecoveryIdentity(accountId);
    if (!ephemeral) throw new Error('no recovery identity');
    const a = wasm.decryptAgeFile(fromBase64(organisationShare), ephemeral);
    const b = wasm.decryptAgeFile(fromBase64(serverShare), ephemeral);
    try {
      identity = wasm.openAssisted(fromBase64(envelope), a, b, accountId, recipient);
    } finally {
      a.fill(0);
      b.fill(0);
    }
    pendingDevice = new Uint8Array(wasm.generateDeviceKey());
    const device = toBase64(wasm.sealDeviceEnvelope(pendingDevice, identity, accountId));
    return { kind: 'device', label: 'appareil', envelope: device };
  },

  async recoveryForget({ accountId }: { accountId: string }) {
    await forgetRecoveryIdentity(accountId);
    return true;
  },

  async lock() {
    await proOps.proLock({}, () => {});
    identity = null;
    pending = null;
    pendingDevice?.fill(0);
    pendingDevice = null;
    return true;
  },

  /** Titles and file names of listed versions (opened here; the page shows them). */
  async metadata({ versions }: { versions: VersionDto[] }) {
    const id = need();
    return versions.map((v): DocumentMeta | null => {
      try {
        if (!v.slot) return null;
        const fileKey = wasm.openSlot(fromBase64(v.slot), id);
        try {
          return JSON.parse(wasm.openMetadata(fileKey, fromBase64(v.metadata))) as DocumentMeta;
        } finally {
          fileKey.fill(0);
        }
      } catch {
        return null;
      }
    });
  },

  /** Encrypts `file` in chunks, seals its metadata, signs the version: what the upload sends.
   *  `mandates`: the keys of the mandates in force over `category`, each given a slot (the server
   *  refuses a version without one). */
  async seal(
    { file, vaultId, documentId, category, meta, version, mandates = [] }:
      { file: Blob; vaultId: string; documentId: string; category: string; meta: DocumentMeta; version: number; mandates?: string[] },
    progress,
  ): Promise<SealedUpload> {
    const id = need();
    return sealVersion(id, [wasm.identityToRecipient(id), ...mandates], { file, vaultId, documentId, category, meta, version }, progress);
  },

  /** A share link's secret (for the URL's fragment) and a slot of the version for it. */
  async shareSlot({ version }: { version: VersionDto }) {
    const id = need();
    if (!version.slot) throw new Error('no slot');
    const fragment = wasm.generateShareLinkFragment();
    const fileKey = wasm.openSlot(fromBase64(version.slot), id);
    try {
      const recipient = wasm.shareLinkRecipient(fragment);
      return { fragment, recipient, header: toBase64(wasm.addSlot(fileKey, recipient)) };
    } finally {
      fileKey.fill(0);
    }
  },

  /** Consent to a mandate: its key made, wrapped and slotted here (see ./mandates.ts). */
  async consent(args) {
    return consentBody(need(), args);
  },

  /** A document encrypted again under a new file key, for a revocation (see ./mandates.ts). */
  async reencrypt(args) {
    return reencrypt(need(), args);
  },

  /** Checks the author's signature over `payload`, then decrypts it: the original bytes. */
  async open(
    { version, payload, vaultId, accountId }: { version: VersionDto; payload: ArrayBuffer; vaultId: string; accountId: string },
    progress,
  ) {
    const id = need();
    const mine = version.signer?.id === accountId;
    const signingKey = mine ? wasm.signingPublicKey(id) : version.signer?.signing_key;
    const opened = await openVersion(id, signingKey, wasm.identityToRecipient(id), { version, payload, vaultId }, progress);
    return { ...opened, author: mine ? 'you' : version.signer?.name ?? '' };
  },
};

self.onmessage = async (ev: MessageEvent<Request>) => {
  const { id, op, args } = ev.data;
  const progress = (p: number) => self.postMessage({ id, progress: p });
  try {
    await ready;
    const fn = ops[op] ?? proOps[op] ?? kitLoginOps[op];
    if (!fn) throw new Error(`unknown operation ${op}`);
    const result = await fn(args, progress);
    const transfer = result && typeof result === 'object' && 'bytes' in result && result.bytes instanceof ArrayBuffer
      ? [result.bytes]
      : [];
    self.postMessage({ id, ok: true, result }, { transfer });
  } catch (e) {
    self.postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
