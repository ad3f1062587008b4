// The worker's side of a professional (aidant, référent): their account key (an age identity
// made here), its professional kit (the identity sealed under a printed code, the envelope the
// server keeps), its copy on this device (wrapped under a non-extractable key, see
// lib/devicekey.ts), the mandate keys unwrapped from their grants, and what an aidant does with
// them: titles and documents opened, documents added for the usager. The account identity and the
// mandate keys never leave this worker; they are dropped on lock and logout.
import * as wasm from '../../pkg/consigne_crypto_wasm.js';
import { fromBase64, toBase64 } from '../lib/bytes';
import { loadAccountIdentity, saveAccountIdentity } from '../lib/devicekey';
import type { DocumentMeta, SealedUpload, VersionDto } from '../lib/protocol';
import { openVersion, sealVersion } from './versions';


/** The professional's account identity, once opened. */
let account: string | null = null;
/** A key being made: the identity and its kit code, until the server has the envelope. */
let pending: { identity: string; code: string } | null = null;
/** Mandate keys, by mandate id, unwrapped from the grants this session received. */
const mandateKeys = new Map<string, string>();

function need(): string {
  if (!account) throw new Error('locked');
  return account;
}

function mandateKey(mandateId: string): string {
  const key = mandateKeys.get(mandateId);
  if (!key) throw new Error('no grant');
  return key;
}

/** The body of `PUT /api/v1/account/signing-key` for `identity`. */
const signingKey = (identity: string, accountId: string) => ({
  public_key: wasm.signingPublicKey(identity),
  proof: toBase64(wasm.signSigningKeyRegistration(identity, accountId)),
});

export const proOps: Record<string, (args: any, progress: (p: number) => void) => Promise<unknown>> = {
  /** A new account key and its kit code: the code and QR to print. */
  async proPrepare() {
    const identity = wasm.generateIdentity();
    const code = wasm.generateKitCode();
    pending = { identity, code };
    return { code, qr: wasm.kitCodeQrPayload(code) };
  },

  /** What the server keeps of the pending key: its recipient, the identity sealed under the kit
   *  code (the professional kit's envelope), and the signing key derived from it. */
  async proPrepared({ accountId }: { accountId: string }) {
    if (!pending) throw new Error('nothing pending');
    const { identity, code } = pending;
    return {
      key: {
        recipient: wasm.identityToRecipient(identity),
        envelope: toBase64(wasm.sealKitEnvelope(code, identity, accountId)),
      },
      signingKey: signingKey(identity, accountId),
    };
  },

  /** Whether `typed` is the pending kit's code (`invalid` when it is not a code at all). */
  async proCheckKit({ typed }: { typed: string }) {
    if (!pending) throw new Error('nothing pending');
    let parsed: string;
    try {
      parsed = wasm.parseKitCode(typed);
    } catch {
      throw new Error('invalid');
    }
    return parsed === pending.code;
  },

  /** The server has the key: this device keeps its wrapped copy, the worker holds it. */
  async proKeyKept({ accountId, remember }: { accountId: string; remember: boolean }) {
    if (!pending) throw new Error('nothing pending');
    await saveAccountIdentity(accountId, pending.identity, remember);
    account = pending.identity;
    pending = null;
    return true;
  },

  /** Opens the key from this device's copy, if it has one for `recipient`. */
  async proUnlockDevice({ accountId, recipient }: { accountId: string; recipient: string }) {
    const identity = await loadAccountIdentity(accountId);
    if (!identity || wasm.identityToRecipient(identity) !== recipient) return false;
    account = identity;
    return true;
  },

  /** Opens the key from the kit code typed (or scanned); this device keeps a copy. */
  async proUnlockKit(
    { accountId, recipient, code, envelope, remember }:
      { accountId: string; recipient: string; code: string; envelope: string; remember: boolean },
  ) {
    let opened: string;
    try {
      opened = wasm.openKitEnvelope(code, fromBase64(envelope), accountId, recipient);
    } catch {
      return false;
    }
    account = opened;
    await saveAccountIdentity(accountId, opened, remember);
    return true;
  },

  /** The signing key's registration (the same key again is accepted by the server). */
  async proSigningKey({ accountId }: { accountId: string }) {
    return signingKey(need(), accountId);
  },

  /** A mandate's grant unwrapped with the account key; kept until lock. */
  async proGrant({ mandateId, wrapped, recipient }: { mandateId: string; wrapped: string; recipient: string }) {
    const key = wasm.unwrapMandateKey(fromBase64(wrapped), need());
    if (wasm.identityToRecipient(key) !== recipient) throw new Error('untrusted');
    mandateKeys.set(mandateId, key);
    return true;
  },

  /** Titles of listed versions, opened with the mandate key's slot. */
  async proMetadata({ mandateId, versions }: { mandateId: string; versions: VersionDto[] }) {
    const key = mandateKey(mandateId);
    return versions.map((v): DocumentMeta | null => {
      try {
        if (!v.slot) return null;
        const fileKey = wasm.openSlot(fromBase64(v.slot), key);
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

  /** Checks the author's signature (the usager's, or an aidant's, over the usager's recipient),
   *  then decrypts with the mandate key: the original bytes and the metadata. */
  async proOpen(
    { mandateId, version, payload, vaultId, accountId, usagerRecipient }:
      { mandateId: string; version: VersionDto; payload: ArrayBuffer; vaultId: string; accountId: string; usagerRecipient: string },
    progress,
  ) {
    const mine = version.signer?.id === accountId;
    const signingKey = mine ? wasm.signingPublicKey(need()) : version.signer?.signing_key;
    const opened = await openVersion(mandateKey(mandateId), signingKey, usagerRecipient, { version, payload, vaultId }, progress);
    return { ...opened, author: mine ? 'you' : version.signer?.name ?? '' };
  },

  /** A new document for the usager: encrypted to the usager's recipient (first) and to every
   *  mandate key in force over the category (`mandates`, from the grant), signed by the aidant. */
  async proSeal(
    { file, vaultId, documentId, category, meta, usagerRecipient, mandates }:
      { file: Blob; vaultId: string; documentId: string; category: string; meta: DocumentMeta; usagerRecipient: string; mandates: string[] },
    progress,
  ): Promise<SealedUpload> {
    return sealVersion(need(), [usagerRecipient, ...mandates], { file, vaultId, documentId, category, meta, version: 1 }, progress);
  },

  /** Drops the account identity, the key being made and every mandate key. */
  async proLock() {
    account = null;
    pending = null;
    mandateKeys.clear();
    return true;
  },
};
