// The usager's mandates, journal and vault closure as the screens use them: the API calls, with
// every key operation (the mandate key, its grants and slots, re-encryption) done in the worker.
import { bytes, get, request, upload } from './api';
import { call } from './crypto';
import type { DocumentDto, SealedUpload } from './protocol';
import { keysOver, type Vault } from './vault';

function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface AidantView {
  id: string;
  name: string;
  recipient: string | null;
  granted: boolean;
}

export interface MandateView {
  id: string;
  /** proposed, active, expired, revoked, refused, withdrawn or superseded. */
  status: string;
  in_force: boolean;
  organisation: { id: string; name: string; kind: string };
  proposed_by: { id: string; name: string };
  categories: string[];
  purposes: string[];
  duration_days: number;
  aidants: AidantView[];
  recipient: string | null;
  proposed_at: number;
  answer_before: number;
  consented_at: number | null;
  expires_at: number | null;
  ended_at: number | null;
}

export async function mandates(): Promise<MandateView[]> {
  return (await get<{ mandates: MandateView[] }>('/api/v1/vault/mandates')).mandates;
}

/** Opens a proposal's link (its token) in the usager's session: the proposal becomes theirs. */
export async function claim(token: string): Promise<MandateView> {
  return (await request<{ mandate: MandateView }>('POST', '/api/v1/mandates/claim', { token })).mandate;
}

/** Every document of `category`, live and in the bin (consent needs a slot on each). */
async function inCategory(category: string): Promise<DocumentDto[]> {
  const out: DocumentDto[] = [];
  for (const bin of [false, true]) {
    let after = '';
    for (;;) {
      const q = new URLSearchParams({ category, bin: String(bin), limit: '200' });
      if (after) q.set('after', after);
      const page = await get<{ documents: DocumentDto[]; next?: string | null }>(`/api/v1/documents?${q}`);
      out.push(...page.documents);
      if (!page.next) break;
      after = page.next;
    }
  }
  return out;
}

/** Consent: the worker makes a mandate key, wraps it to each named aidant and adds a slot for it
 *  on every in-scope document; the server gets only the wrapped key and the slots. */
export async function accept(m: MandateView): Promise<void> {
  const docs: DocumentDto[] = [];
  for (const c of m.categories) docs.push(...(await inCategory(c)));
  const body = await call<unknown>('consent', {
    aidants: m.aidants.map((a) => ({ id: a.id, recipient: a.recipient })),
    versions: plain(docs.map((d) => d.version)),
  });
  await request('POST', `/api/v1/mandates/${m.id}/consent`, body);
}

export const refuse = (id: string) => request('POST', `/api/v1/mandates/${id}/refusal`);
export const revoke = (id: string) => request('POST', `/api/v1/mandates/${id}/revocation`);

export interface OpenedDocument {
  document_id: string;
  category: string | null;
  times: number;
}

export async function opened(id: string): Promise<OpenedDocument[]> {
  return (await get<{ documents: OpenedDocument[] }>(`/api/v1/mandates/${id}/opened`)).documents;
}

export interface AttestationSummary {
  id: string;
  kind: string;
  created_at: number;
}

export async function attestations(id: string): Promise<AttestationSummary[]> {
  return (await get<{ attestations: AttestationSummary[] }>(`/api/v1/attestations?mandate=${id}`)).attestations;
}

export const printUrl = (a: AttestationSummary) => `/attestations/${a.id}/print`;

/** The documents the aidants of `m` (ended) opened and that were not re-encrypted since its
 *  end: those still live whose current version is not newer than the end. */
export async function toReencrypt(m: MandateView): Promise<DocumentDto[]> {
  const reached = new Set((await opened(m.id)).map((o) => o.document_id));
  if (reached.size === 0 || !m.ended_at) return [];
  const ended = m.ended_at;
  const live = (await get<{ documents: DocumentDto[] }>('/api/v1/documents?limit=200')).documents;
  return live.filter((d) => reached.has(d.id) && d.version.created_at <= ended);
}

/** Re-encrypts each document the revoked mandate's aidants opened: a new file key, so that a
 *  copy of the old one opens nothing stored from now on. Those in the bin are left (a binned
 *  document takes no new version); a failure is counted and the others go on. */
export async function reencryptOpened(
  vault: Vault,
  accountId: string,
  mandate: MandateView,
  progress: (done: number, total: number) => void,
): Promise<{ done: number; skipped: number }> {
  const docs = await toReencrypt(mandate);
  const all = await mandates();
  let done = 0;
  let skipped = 0;
  for (const doc of docs) {
    progress(done + skipped, docs.length);
    const extra = keysOver(all, doc.category);
    try {
      const payload = await bytes(`/api/v1/documents/${doc.id}/payload`);
      const sealed = await call<SealedUpload>('reencrypt', {
        version: plain(doc.version), payload, vaultId: vault.id, accountId, category: doc.category, extra,
      });
      await upload(`/api/v1/documents/${doc.id}/reencryption`, sealed.descriptor, sealed.payload, () => {});
      done++;
    } catch {
      skipped++;
    }
  }
  progress(docs.length, docs.length);
  return { done, skipped };
}

export interface JournalEntry {
  seq: number;
  at: number;
  action: string;
  outcome: string;
  text: string;
  actor: { id: string; role: string | null; name: string | null } | null;
}

export async function journal(q: { before?: number | null; actor?: string; from?: string; to?: string }): Promise<{ entries: JournalEntry[]; next: number | null }> {
  const p = new URLSearchParams({ limit: '20' });
  if (q.before) p.set('before', String(q.before));
  if (q.actor) p.set('actor', q.actor);
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  return get(`/api/v1/journal?${p}`);
}

export interface VaultState {
  closure_requested_at: number | null;
  erase_after: number | null;
}

export const vaultState = () => get<VaultState>('/api/v1/vault');
export const requestClosure = () => request<VaultState>('POST', '/api/v1/vault/closure');
export const cancelClosure = () => request<VaultState>('DELETE', '/api/v1/vault/closure');
