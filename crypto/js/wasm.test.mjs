// Node tests of the WASM bindings (crypto/wasm/pkg-node): round trips, streaming, error
// handling, and interop with the age-encryption package. Run: node --test crypto/js/
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from "age-encryption";

const require = createRequire(import.meta.url);
const w = require("../wasm/pkg-node/consigne_crypto_wasm.js");

const data = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 255);
const concat = (parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

test("identity and recipient", () => {
  const id = w.generateIdentity();
  assert.match(id, /^AGE-SECRET-KEY-1[0-9A-Z]+$/);
  assert.match(w.identityToRecipient(id), /^age1[0-9a-z]+$/);
  assert.throws(() => w.identityToRecipient("nope"));
});

test("documents: slots + payload, added slot, age-encryption decrypts", async () => {
  const a = w.generateIdentity();
  const b = await generateX25519Identity();
  const plain = data(200000);
  const doc = w.encryptDocument([w.identityToRecipient(a), await identityToRecipient(b)], plain);
  assert.equal(doc.slots.length, 2);
  assert.deepEqual(w.decryptDocument(doc.slots[0], doc.payload, a), plain);
  const d = new Decrypter();
  d.addIdentity(b);
  assert.deepEqual(await d.decrypt(concat([doc.slots[1], doc.payload])), plain);
  const c = w.generateIdentity();
  const slot = w.addSlot(doc.fileKey, w.identityToRecipient(c));
  assert.deepEqual(w.decryptDocument(slot, doc.payload, c), plain);
  assert.deepEqual(w.openSlot(slot, c), doc.fileKey);
  assert.throws(() => w.decryptDocument(doc.slots[0], doc.payload, c));
  const bad = doc.payload.slice();
  bad[100] ^= 1;
  assert.throws(() => w.decryptDocument(doc.slots[0], bad, a));
});

test("files from age-encryption decrypt in wasm", async () => {
  const id = w.generateIdentity();
  const e = new Encrypter();
  e.addRecipient(w.identityToRecipient(id));
  const plain = data(70000);
  assert.deepEqual(w.decryptAgeFile(await e.encrypt(plain), id), plain);
});

test("streaming encryptor and decryptor", () => {
  const id = w.generateIdentity();
  const enc = new w.StreamEncryptor([w.identityToRecipient(id)]);
  const plain = data(3 * 65536 + 123);
  const parts = [];
  for (let o = 0; o < plain.length; o += 50000) parts.push(enc.push(plain.subarray(o, o + 50000)));
  parts.push(enc.finish());
  assert.throws(() => enc.push(new Uint8Array(1)));
  const payload = concat(parts);
  const dec = new w.StreamDecryptor(enc.slots[0], id);
  const out = [];
  for (let o = 0; o < payload.length; o += 30000) out.push(dec.push(payload.subarray(o, o + 30000)));
  out.push(dec.finish());
  assert.deepEqual(concat(out), plain);
  const trunc = new w.StreamDecryptor(enc.slots[0], id);
  trunc.push(payload.subarray(0, 16 + 65552));
  assert.throws(() => trunc.finish());
});

test("envelopes and recovery kit", () => {
  const id = w.generateIdentity();
  const r = w.identityToRecipient(id);
  const key = w.generateDeviceKey();
  const sealed = w.sealDeviceEnvelope(key, id, "compte-1");
  assert.equal(w.openDeviceEnvelope(key, sealed, "compte-1", r), id);
  assert.throws(() => w.openDeviceEnvelope(key, sealed, "compte-2", r), /another account/);
  const other = w.identityToRecipient(w.generateIdentity());
  assert.throws(() => w.openDeviceEnvelope(key, sealed, "compte-1", other), /another key/);
  const code = w.generateKitCode();
  assert.match(code, /^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
  const env = w.sealKitEnvelope(code, id, "compte-1");
  const retyped = code.toLowerCase().replaceAll("-", " ").replaceAll("0", "o");
  assert.equal(w.parseKitCode(retyped), code);
  assert.equal(w.openKitEnvelope(retyped, env, "compte-1", r), id);
  assert.equal(w.parseKitCode(w.kitCodeQrPayload(code)), code);
  const typo = (code[0] === "A" ? "B" : "A") + code.slice(1);
  assert.throws(() => w.parseKitCode(typo), /checksum/);
});

test("assisted recovery needs both shares", () => {
  const id = w.generateIdentity();
  const org = w.generateIdentity();
  const r = w.identityToRecipient(id);
  const split = w.sealAssisted(id, w.identityToRecipient(org), "compte-1");
  const orgShare = w.openOrganisationShare(split.organisationShare, org);
  assert.equal(w.openAssisted(split.envelope, orgShare, split.serverShare, "compte-1", r), id);
  assert.throws(() => w.openAssisted(split.envelope, orgShare, orgShare, "compte-1", r));
  assert.throws(() => w.openOrganisationShare(split.organisationShare, w.generateIdentity()));
});

test("metadata, mandate keys, share links", () => {
  const doc = w.encryptDocument([w.identityToRecipient(w.generateIdentity())], data(10));
  const meta = { title: "CAF", file_name: "caf.pdf", mime_type: "application/pdf", notes: "x" };
  const sealed = w.sealMetadata(doc.fileKey, JSON.stringify(meta));
  assert.deepEqual(JSON.parse(w.openMetadata(doc.fileKey, sealed)), meta);
  assert.throws(() => w.sealMetadata(doc.fileKey, "{}"));

  const aidant = w.generateIdentity();
  const mk = w.generateIdentity();
  assert.equal(w.unwrapMandateKey(w.wrapMandateKey(mk, w.identityToRecipient(aidant)), aidant), mk);

  const frag = w.generateShareLinkFragment();
  assert.match(frag, /^v1\.[A-Za-z0-9_-]{43}$/);
  const slot = w.addSlot(doc.fileKey, w.shareLinkRecipient(frag));
  assert.deepEqual(w.decryptDocument(slot, doc.payload, w.shareLinkIdentity("#" + frag)), data(10));
});

test("version signatures: derived key, sign, verify, any change refused", () => {
  const id = w.generateIdentity();
  const key = w.signingPublicKey(id);
  assert.match(key, /^consigne-sig1[0-9a-z]+$/);
  assert.equal(w.signingPublicKey(id), key);
  const rs = [w.identityToRecipient(id)];
  const sha = data(32);
  const meta = data(256);
  const sig = w.signVersion(id, "vault", "doc", 1, sha, meta, rs);
  assert.equal(sig.length, 65);
  w.verifyVersion(key, "vault", "doc", 1, sha, meta, rs, sig);
  assert.throws(() => w.verifyVersion(key, "vault", "doc", 2, sha, meta, rs, sig));
  assert.throws(() => w.verifyVersion(w.signingPublicKey(w.generateIdentity()), "vault", "doc", 1, sha, meta, rs, sig));
  assert.equal(w.signSigningKeyRegistration(id, "account").length, 65);
});

test("kit login: the same key as the native crate, signature and proof in base64url", () => {
  // The fixed vector of crypto/src/kit_login.rs (code bytes 0, 1, ..., 15).
  const code = "000G-40R4-0M30-E209-185G-R38E-1W15";
  const key = "consigne-kit1q8qkupgwjsgxrl0zy849xqnc5g2kryaufdzzestffjmggnn0f8yyu9tt4ca";
  const signed = w.kitLoginSign(code.toLowerCase().replaceAll("-", " "), "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc");
  assert.equal(signed.public_key, key);
  assert.match(signed.signature, /^[A-Za-z0-9_-]{87}$/);
  assert.equal(Buffer.from(signed.signature, "base64url")[0], 1);
  const reg = w.kitLoginRegistration(w.kitCodeQrPayload(code), "account-1");
  assert.equal(reg.public_key, key);
  assert.match(reg.proof, /^[A-Za-z0-9_-]{87}$/);
  assert.notEqual(reg.proof, w.kitLoginRegistration(code, "account-2").proof);
  assert.throws(() => w.kitLoginSign("0000-0000", "AAAA"));
  assert.throws(() => w.kitLoginSign(code, "not base64!"));
});
