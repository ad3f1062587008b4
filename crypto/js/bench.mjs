// Throughput of the WASM build and of age-encryption, for crypto/benches/throughput.rs.
// Usage: node bench.mjs <bytes> <iterations>; prints one JSON object (MiB/s, best run).
import { randomFillSync } from "node:crypto";
import { createRequire } from "node:module";
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from "age-encryption";

const require = createRequire(import.meta.url);
const w = require("../wasm/pkg-node/consigne_crypto_wasm.js");

const size = Number(process.argv[2]);
const iters = Number(process.argv[3] ?? 3);
const plain = new Uint8Array(size);
for (let o = 0; o < size; o += 65536) randomFillSync(plain.subarray(o, Math.min(size, o + 65536)));

async function best(fn) {
  let t = Infinity;
  for (let i = 0; i < iters; i++) {
    const start = process.hrtime.bigint();
    await fn();
    t = Math.min(t, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return size / (1024 * 1024) / t;
}

const id = w.generateIdentity();
const recipient = w.identityToRecipient(id);
let doc;
const wasmEnc = await best(() => { doc = w.encryptDocument([recipient], plain); });
const wasmDec = await best(() => w.decryptDocument(doc.slots[0], doc.payload, id));

const jsId = await generateX25519Identity();
const e = new Encrypter();
e.addRecipient(await identityToRecipient(jsId));
const d = new Decrypter();
d.addIdentity(jsId);
let file;
const jsEnc = await best(async () => { file = await e.encrypt(plain); });
const jsDec = await best(() => d.decrypt(file));

console.log(JSON.stringify({ wasmEnc, wasmDec, jsEnc, jsDec }));
