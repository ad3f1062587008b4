// The worker's side of mandates: consent (a new mandate key, wrapped to each named aidant, and a
// slot for it on every in-scope document) and re-encryption after a revocation (a document
// decrypted and encrypted again under a new file key, without the plaintext leaving the worker).
// Called by crypto.worker.ts with the usager's identity, which never leaves the worker.
import * as wasm from '../../pkg/consigne_crypto_wasm.js';
import { fromBase64, sha256, toBase64, toHex } from '../lib/bytes';
import type { SealedUpload, VersionDto } from '../lib/protocol';

const CHUNK = 1024 * 1024;

/** The body of `POST /api/v1/mandates/{id}/consent`. The mandate key's secret is dropped here:
 *  the usager's own slot still opens their documents; only the aidants need the mandate key. */
export function consentBody(
  identity: string,
  { aidants, versions }: { aidants: { id: string; recipient: string | null }[]; versions: VersionDto[] },
) {
  const key = wasm.generateIdentity();
  const recipient = wasm.identityToRecipient(key);
  const grants = aidants.map((a) => {
    if (!a.recipient) throw new Error('aidant without key');
    return { aidant_id: a.id, wrapped_key: toBase64(wasm.wrapMandateKey(key, a.recipient)) };
  });
  const slots = versions.map((v) => {
    if (!v.slot) throw new Error('no slot');
    const fileKey = wasm.openSlot(fromBase64(v.slot), identity);
    try {
      return { document_id: v.document_id, header: toBase64(wasm.addSlot(fileKey, recipient)) };
    } finally {
      fileKey.fill(0);
    }
  });
  return { recipient, grants, slots };
}

/** The version's author signature checked (the usager's own key, or the signer's), then its
 *  payload decrypted: what `open` does, kept here for re-encryption. */
function verifiedPlaintext(identity: string, version: VersionDto, bytes: Uint8Array, digest: Uint8Array, vaultId: string, accountId: string): Uint8Array {
  const mine = version.signer?.id === accountId;
  const key = mine ? wasm.signingPublicKey(identity) : version.signer?.signing_key;
  const own = wasm.identityToRecipient(identity);
  if (!key || !version.signature || !version.slot || !version.signed_recipients.includes(own)) {
    throw new Error('untrusted');
  }
  try {
    wasm.verifyVersion(key, vaultId, version.document_id, version.number, digest,
      fromBase64(version.metadata), version.signed_recipients, fromBase64(version.signature));
  } catch {
    throw new Error('untrusted');
  }
  const dec = new wasm.StreamDecryptor(fromBase64(version.slot), identity);
  const parts: Uint8Array[] = [];
  try {
    for (let at = 0; at < bytes.length; at += CHUNK) parts.push(dec.push(bytes.subarray(at, at + CHUNK)));
    parts.push(dec.finish());
  } finally {
    dec.free();
  }
  const plain = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    plain.set(p, at);
    at += p.length;
    p.fill(0);
  }
  return plain;
}

/** The next version of a document under a new file key, for the usager and `extra` mandate keys
 *  (those in force over its category), signed by the usager: the re-encryption upload. */
export async function reencrypt(
  identity: string,
  { version, payload, vaultId, accountId, category, extra }:
    { version: VersionDto; payload: ArrayBuffer; vaultId: string; accountId: string; category: string; extra: string[] },
): Promise<SealedUpload> {
  const bytes = new Uint8Array(payload);
  const plain = verifiedPlaintext(identity, version, bytes, await sha256(bytes), vaultId, accountId);
  const oldKey = wasm.openSlot(fromBase64(version.slot as string), identity);
  const meta = wasm.openMetadata(oldKey, fromBase64(version.metadata));
  oldKey.fill(0);
  const recipients = [wasm.identityToRecipient(identity), ...extra];
  const enc = new wasm.StreamEncryptor(recipients);
  try {
    const slots = enc.slots as Uint8Array[];
    const fileKey = enc.fileKey;
    const metadata = wasm.sealMetadata(fileKey, meta);
    fileKey.fill(0);
    const parts: Uint8Array[] = [];
    for (let at = 0; at < plain.length; at += CHUNK) parts.push(enc.push(plain.subarray(at, at + CHUNK)));
    parts.push(enc.finish());
    plain.fill(0);
    const out = new Blob(parts as BlobPart[]);
    const digest = await sha256(await out.arrayBuffer());
    const number = version.number + 1;
    const signature = wasm.signVersion(identity, vaultId, version.document_id, number, digest, metadata, recipients);
    return {
      descriptor: {
        document_id: version.document_id,
        category,
        payload_size: out.size,
        payload_sha256: toHex(digest),
        metadata: toBase64(metadata),
        slots: slots.map((h, i) => ({ kind: i === 0 ? 'usager' : 'mandate', recipient: recipients[i], header: toBase64(h) })),
        version: number,
        signing_key: wasm.signingPublicKey(identity),
        signature: toBase64(signature),
      },
      payload: out,
    };
  } finally {
    enc.free();
  }
}
