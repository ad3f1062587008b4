// The refusals of the ways in (kit login, passkeys, enrolment links, linking FranceConnect) said in
// plain words: the server's stable code, or what the browser answered, picks a sentence of the
// catalogue's `ways.refusal` section. Nothing here touches the network (unit-tested).

/** The sentences of `ways.refusal` in the catalogue. */
export const REFUSALS = [
  'kit_challenge_unknown', 'kit_login_refused', 'kit_key_taken',
  'passkey_challenge_unknown', 'passkey_refused',
  'enrolment_link_unknown', 'identity_already_linked', 'last_way_in', 'reauth_required',
  'rate_limited', 'invalid_code', 'cancelled', 'unsupported', 'network', 'unknown',
] as const;
export type Refusal = (typeof REFUSALS)[number];

/** A refusal that did not come from the server: the code typed was no kit code, the phone's
 *  screen lock was cancelled, the browser has no passkeys. */
export class WaysError extends Error {
  constructor(public refusal: Refusal) {
    super(refusal);
  }
}

/** The sentence for `code` (a server's refusal code, or one of ours); `unknown` for any other. */
export function refusalOf(code: string | undefined | null): Refusal {
  return (REFUSALS as readonly string[]).includes(code ?? '') ? (code as Refusal) : 'unknown';
}

/** The refusal carried by `e`: a `WaysError`, the server's code of an `ApiError` (anything with
 *  a string `code` and a numeric `status`), or a WebAuthn exception (`NotAllowedError`: the person
 *  cancelled or the time ran out; `InvalidStateError`: this phone is registered already). */
export function refusalOfError(e: unknown): Refusal {
  if (e instanceof WaysError) return e.refusal;
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; status?: unknown; name?: unknown };
    if (typeof o.code === 'string' && typeof o.status === 'number') {
      if (o.status === 0) return 'network';
      if (o.status === 429) return 'rate_limited';
      return refusalOf(o.code);
    }
    if (o.name === 'NotAllowedError' || o.name === 'AbortError' || o.name === 'InvalidStateError') return 'cancelled';
    if (o.name === 'NotSupportedError' || o.name === 'SecurityError') return 'unsupported';
  }
  return 'unknown';
}
