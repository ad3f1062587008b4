// Prints the outputs of the WASM build for fixed inputs, one line per value. The Rust test
// crypto/tests/wasm_node.rs computes the same lines natively and requires identical output.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const w = require("../wasm/pkg-node/consigne_crypto_wasm.js");

const hex = (b) => Buffer.from(b).toString("hex");
const sha = (b) => createHash("sha256").update(b).digest("hex");
const fill = (n, v) => new Uint8Array(n).fill(v);
const data = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);

const ID_A = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
const ID_B = w.identityFromSecretBytes(fill(32, 0x42));
const recipients = [w.identityToRecipient(ID_A), w.identityToRecipient(ID_B)];
const fileKey = Uint8Array.from({ length: 16 }, (_, i) => i);
const ephemerals = new Uint8Array([...fill(32, 0x11), ...fill(32, 0x22)]);
const nonce = fill(16, 0x33);

const lines = [];
lines.push(`identity_b ${ID_B}`);
lines.push(`recipients ${recipients.join(" ")}`);
for (const size of [0, 1, 65535, 65536, 65537, 300000]) {
  const doc = w.encryptDocumentFixed(recipients, data(size), fileKey, ephemerals, nonce);
  const [s0, s1] = doc.slots;
  lines.push(`doc ${size} ${hex(s0)} ${hex(s1)} ${sha(doc.payload)}`);
  const streamed = w.streamPayloadFixed(recipients, data(size), 10007, fileKey, ephemerals, nonce);
  lines.push(`stream ${size} ${sha(streamed)}`);
}
const meta = '{"title":"Titre","file_name":"a.pdf","mime_type":"application/pdf","notes":"é"}';
lines.push(`meta ${hex(w.sealMetadataFixed(fileKey, meta, fill(12, 0x44)))}`);
const code = w.kitCodeFromBytes(Uint8Array.from({ length: 16 }, (_, i) => 200 + i));
lines.push(`kit ${code} ${w.kitCodeQrPayload(code)}`);
lines.push(`kitenv ${hex(w.sealKitEnvelopeFixed(code, ID_A, "compte-1", fill(16, 0x77), fill(12, 0x55)))}`);
lines.push(`share ${w.shareLinkFragmentFromSecretBytes(fill(32, 0x66))}`);
process.stdout.write(lines.join("\n") + "\n");
