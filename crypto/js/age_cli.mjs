// Small command-line wrapper around the age-encryption package, driven by the Rust interop
// tests (crypto/tests/interop.rs).
//   node age_cli.mjs keygen                          -> prints identity\nrecipient
//   node age_cli.mjs encrypt <recipient> <in> <out>
//   node age_cli.mjs decrypt <identity-file> <in> <out>
import { readFileSync, writeFileSync } from "node:fs";
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from "age-encryption";

const [cmd, ...args] = process.argv.slice(2);

if (cmd === "keygen") {
  const id = await generateX25519Identity();
  process.stdout.write(`${id}\n${await identityToRecipient(id)}\n`);
} else if (cmd === "encrypt") {
  const [recipient, input, output] = args;
  const e = new Encrypter();
  e.addRecipient(recipient);
  writeFileSync(output, await e.encrypt(readFileSync(input)));
} else if (cmd === "decrypt") {
  const [identityFile, input, output] = args;
  const d = new Decrypter();
  for (const line of readFileSync(identityFile, "utf8").split("\n")) {
    if (line.startsWith("AGE-SECRET-KEY-")) d.addIdentity(line.trim());
  }
  writeFileSync(output, await d.decrypt(readFileSync(input)));
} else {
  console.error(`unknown command ${cmd}`);
  process.exit(2);
}
