// Sealing and opening one document version, the same for the usager (their own identity) and
// for an aidant (signing with their account key, decrypting with a mandate's key): encrypted in
// 1 MiB chunks, metadata sealed under the file key, the version signed over what the server stores.
import * as wasm from '../../pkg/consigne_crypto_wasm.js';
import { fromBase64, sha256, toBase64, toHex } from '../lib/bytes';
import type { DocumentMeta, SealedUpload, VersionDto } from '../lib/protocol';

const CHUNK = 1024 * 1024;

/** `file` encrypted to `recipients` (the usager's first, then each mandate key in force over the
 *  category) and signed by `signer` (an identity): what an upload sends. */
export async function sealVersion(
  signer: string,
  recipients: string[],
  { file, vaultId, documentId, category, meta, version }:
    { file: Blob; vaultId: string; documentId: string; category: string; meta: DocumentMeta; version: number },
  progress: (p: number) => void,
): Promise<SealedUpload> {
  const enc = new wasm.StreamEncryptor(recipients);
  try {
    const slots = enc.slots as Uint8Array[];
    const fileKey = enc.fileKey;
    const metadata = wasm.sealMetadata(fileKey, JSON.stringify(meta));
    fileKey.fill(0);
    const parts: Uint8Array[] = [];
    for (let at = 0; at < file.size; at += CHUNK) {
      const chunk = new Uint8Array(await file.slice(at, at + CHUNK).arrayBuffer());
      parts.push(enc.push(chunk));
      chunk.fill(0);
      progress(Math.round((100 * Math.min(file.size, at + CHUNK)) / Math.max(file.size, 1)));
    }
    parts.push(enc.finish());
    const payload = new Blob(parts as BlobPart[]);
    const digest = await sha256(await payload.arrayBuffer());
    const signature = wasm.signVersion(signer, vaultId, documentId, version, digest, metadata, recipients);
    return {
      descriptor: {
        document_id: documentId,
        category,
        payload_size: payload.size,
        payload_sha256: toHex(digest),
        metadata: toBase64(metadata),
        slots: slots.map((h, i) => ({ kind: i === 0 ? 'usager' : 'mandate', recipient: recipients[i], header: toBase64(h) })),
        version,
        signing_key: wasm.signingPublicKey(signer),
        signature: toBase64(signature),
      },
      payload,
    };
  } finally {
    enc.free();
  }
}

/** Checks that `version` was signed by `signingKey` over these bytes and that its recipients
 *  include `usagerRecipient` (else `untrusted`), then decrypts `payload` with `key` (the identity
 *  its slot was made for): the metadata and the original bytes. */
export async function openVersion(
  key: string,
  signingKey: string | undefined,
  usagerRecipient: string,
  { version, payload, vaultId }: { version: VersionDto; payload: ArrayBuffer; vaultId: string },
  progress: (p: number) => void,
): Promise<{ meta: DocumentMeta; bytes: ArrayBuffer }> {
  const bytes = new Uint8Array(payload);
  if (!signingKey || !version.signature || !version.slot || !version.signed_recipients.includes(usagerRecipient)) {
    throw new Error('untrusted');
  }
  try {
    wasm.verifyVersion(signingKey, vaultId, version.document_id, version.number, await sha256(bytes),
      fromBase64(version.metadata), version.signed_recipients, fromBase64(version.signature));
  } catch {
    throw new Error('untrusted');
  }
  const dec = new wasm.StreamDecryptor(fromBase64(version.slot), key);
  const parts: Uint8Array[] = [];
  try {
    for (let at = 0; at < bytes.length; at += CHUNK) {
      parts.push(dec.push(bytes.subarray(at, at + CHUNK)));
      progress(Math.round((100 * Math.min(bytes.length, at + CHUNK)) / Math.max(bytes.length, 1)));
    }
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
  const fileKey = wasm.openSlot(fromBase64(version.slot), key);
  const meta = JSON.parse(wasm.openMetadata(fileKey, fromBase64(version.metadata))) as DocumentMeta;
  fileKey.fill(0);
  return { meta, bytes: plain.buffer };
}
