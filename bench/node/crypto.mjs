// Scenario 6 of the benchmark, WASM half: Consigne's WASM build (web/pkg, the very files the
// browser loads) against the age-encryption package, in one Node process, to one X25519
// recipient. The WASM side is used as the browser's worker uses it: StreamEncryptor and
// StreamDecryptor fed 1 MiB at a time. Turns alternate; each figure is the median of its turns,
// in seconds. Before timing, each side's output is opened by the other; any mismatch exits
// non-zero. Usage: node crypto.mjs <web/pkg dir> <bytes>:<turns> ...; prints one JSON object.
import { randomFillSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Decrypter, Encrypter } from "age-encryption";

const CHUNK = 1024 * 1024;
const [pkg, ...specs] = process.argv.slice(2);
if (!pkg || specs.length === 0) {
  console.error("usage: node crypto.mjs <web/pkg dir> <bytes>:<turns> ...");
  process.exit(2);
}

const w = await import(pathToFileURL(join(pkg, "consigne_crypto_wasm.js")).href);
w.initSync({ module: readFileSync(join(pkg, "consigne_crypto_wasm_bg.wasm")) });

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function wasmEncrypt(recipient, plain) {
  const enc = new w.StreamEncryptor([recipient]);
  try {
    const slot = enc.slots[0];
    const parts = [];
    for (let at = 0; at < plain.length; at += CHUNK) parts.push(enc.push(plain.subarray(at, at + CHUNK)));
    parts.push(enc.finish());
    return { slot, payload: concat(parts) };
  } finally {
    enc.free();
  }
}

function wasmDecrypt(identity, doc) {
  const dec = new w.StreamDecryptor(doc.slot, identity);
  try {
    const parts = [];
    for (let at = 0; at < doc.payload.length; at += CHUNK) {
      parts.push(dec.push(doc.payload.subarray(at, at + CHUNK)));
    }
    parts.push(dec.finish());
    return concat(parts);
  } finally {
    dec.free();
  }
}

function same(a, b) {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length),
    Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

function fail(message) {
  console.error(`crypto.mjs: ${message}`);
  process.exit(1);
}

const identity = w.generateIdentity();
const recipient = w.identityToRecipient(identity);
const encrypter = new Encrypter();
encrypter.addRecipient(recipient);
const decrypter = new Decrypter();
decrypter.addIdentity(identity);

async function crossCheck(plain) {
  const doc = wasmEncrypt(recipient, plain);
  if (!same(wasmDecrypt(identity, doc), plain)) fail("the WASM round trip differs");
  let opened;
  try {
    opened = await decrypter.decrypt(concat([doc.slot, doc.payload]));
  } catch (e) {
    fail(`age-encryption cannot open the WASM build's document: ${e}`);
  }
  if (!same(opened, plain)) fail("age-encryption opened the WASM build's document to different bytes");
  const file = await encrypter.encrypt(plain);
  try {
    opened = w.decryptAgeFile(file, identity);
  } catch (e) {
    fail(`the WASM build cannot open age-encryption's file: ${e}`);
  }
  if (!same(opened, plain)) fail("the WASM build opened age-encryption's file to different bytes");
}

async function seconds(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const results = [];
for (const spec of specs) {
  const [bytes, turns] = spec.split(":").map(Number);
  const plain = new Uint8Array(bytes);
  for (let o = 0; o < bytes; o += 65536) randomFillSync(plain.subarray(o, Math.min(bytes, o + 65536)));
  await crossCheck(plain);
  const doc = wasmEncrypt(recipient, plain);
  const file = await encrypter.encrypt(plain);
  const t = { wasmEnc: [], wasmDec: [], jsEnc: [], jsDec: [] };
  for (let i = 0; i < turns; i++) {
    t.wasmEnc.push(await seconds(() => wasmEncrypt(recipient, plain)));
    t.jsEnc.push(await seconds(() => encrypter.encrypt(plain)));
    t.wasmDec.push(await seconds(() => wasmDecrypt(identity, doc)));
    t.jsDec.push(await seconds(() => decrypter.decrypt(file)));
  }
  results.push({
    bytes,
    turns,
    wasmEnc: median(t.wasmEnc),
    wasmDec: median(t.wasmDec),
    jsEnc: median(t.jsEnc),
    jsDec: median(t.jsDec),
  });
}
console.log(JSON.stringify({ node: process.version, crossChecked: true, results }));
