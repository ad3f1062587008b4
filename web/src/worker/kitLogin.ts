// The worker's side of the kit login (issue 15): the kit code signs the server's challenge, and
// proves the login key when a kit is made, through the crypto crate's WASM (`kitLoginSign`,
// `kitLoginRegistration`: a signing key derived from the code under its own label, distinct from
// the envelope key's). Only the public key, a signature and a proof leave the worker; the code
// itself goes no further than this worker and the WASM.
import * as wasm from '../../pkg/consigne_crypto_wasm.js';

/** The two functions of the WASM module used here, as the contract of issue 15 gives them. */
interface KitLoginWasm {
  kitLoginSign(code: string, challengeB64: string): { public_key: string; signature: string };
  kitLoginRegistration(code: string, accountId: string): { public_key: string; proof: string };
}
const kit = wasm as unknown as KitLoginWasm;

export interface KitLoginProof {
  public_key: string;
  proof: string;
}

/** The login key of `code` and its proof for `accountId` (`PUT /api/v1/account/kit-login`). */
export function kitLoginRegistration(code: string, accountId: string): KitLoginProof {
  const r = kit.kitLoginRegistration(code, accountId);
  return { public_key: String(r.public_key), proof: String(r.proof) };
}

export const kitLoginOps: Record<string, (args: any) => Promise<unknown>> = {
  /** The challenge signed with the login key of `code` (typed, or the text of the kit's QR
   *  code); `invalid` when `code` is no kit code at all. */
  async kitLoginSign({ code, challenge }: { code: string; challenge: string }) {
    let parsed: string;
    try {
      parsed = wasm.parseKitCode(code);
    } catch {
      throw new Error('invalid');
    }
    const r = kit.kitLoginSign(parsed, challenge);
    return { public_key: String(r.public_key), signature: String(r.signature) };
  },

  /** A new kit for logging in only (after a re-proofing: the vault's own kit envelope is still
   *  under the old code, which only the person or assisted recovery can open). */
  async loginKit({ accountId }: { accountId: string }) {
    const code = wasm.generateKitCode();
    return { code, qr: wasm.kitCodeQrPayload(code), registration: kitLoginRegistration(code, accountId) };
  },
};
