// The aidant's mandates as the screens use them: the organisation's mandates ("Mes usagers"), a
// proposal, and the usager's documents under a mandate (the grant unwrapped, titles and documents
// opened, documents sealed in the worker). Every call is checked by the server on that request: a
// mandate revoked or past its end is refused at once (see `refusalOf`).
import { ApiError, bytes, get, request, upload } from './api';
import { call } from './crypto';
import type { MandateView } from './mandates';
import type { DocumentDto, DocumentMeta, SealedUpload } from './protocol';
import { uuidv7 } from './uuid';

export type ProMandate = MandateView & { usager?: { id: string; name: string } | null };

/** Mandates ending within this many days are highlighted. */
export const ENDING_SOON_DAYS = 14;

/** Every mandate of `status` this aidant sees (those they proposed or are named on). */
export async function mandatesOf(status: 'active' | 'proposed'): Promise<ProMandate[]> {
  const out: ProMandate[] = [];
  let after = '';
  for (let page = 0; page < 20; page++) {
    const q = new URLSearchParams({ status, limit: '200' });
    if (after) q.set('after', after);
    const r = await get<{ mandates: ProMandate[]; next?: string | null }>(`/api/v1/mandates?${q}`);
    out.push(...r.mandates);
    if (!r.next) break;
    after = r.next;
  }
  return out;
}

/** Whether `m` ends within `ENDING_SOON_DAYS` of `now` (Unix seconds). */
export const endingSoon = (m: { expires_at: number | null }, now: number) =>
  m.expires_at !== null && m.expires_at - now <= ENDING_SOON_DAYS * 86400;

/** The mandates whose usager's name holds every word of `query` (case and accents ignored). */
export function search<T extends { usager?: { name: string } | null }>(list: T[], query: string): T[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  return list.filter((m) => words.every((w) => fold(m.usager?.name ?? '').includes(w)));
}

export interface Proposal {
  categories: string[];
  purposes: string[];
  duration_days: number;
  aidant_ids: string[];
}

export interface Proposed {
  mandate: ProMandate;
  claim_url: string;
}

export const propose = (p: Proposal) => request<Proposed>('POST', '/api/v1/mandates', p);

export const mandate = (id: string) => get<ProMandate>(`/api/v1/mandates/${encodeURIComponent(id)}`);

export const withdraw = (id: string) => request('POST', `/api/v1/mandates/${id}/withdrawal`);

/** What acting under a mandate needs, from its grant (the key itself stays in the worker). */
export interface Grant {
  mandate_id: string;
  recipient: string;
  categories: string[];
  expires_at: number;
  usager_recipient: string;
  vault_id: string;
  upload_recipients: Record<string, string[]>;
}

/** The grant of `mandateId`: its wrapped key is unwrapped in the worker with the account key. */
export async function openGrant(mandateId: string): Promise<Grant> {
  const g = await get<Grant & { wrapped_key: string }>(`/api/v1/mandates/${mandateId}/grant`);
  await call('proGrant', { mandateId, wrapped: g.wrapped_key, recipient: g.recipient });
  const { wrapped_key: _dropped, ...grant } = g;
  return grant;
}

export interface ProListed {
  doc: DocumentDto;
  meta: DocumentMeta | null;
}

/** The usager's documents in the mandate's scope, with their titles opened in the worker. */
export async function documents(mandateId: string): Promise<ProListed[]> {
  const page = await get<{ documents: DocumentDto[] }>(`/api/v1/mandates/${mandateId}/documents?limit=200`);
  const metas = await call<(DocumentMeta | null)[]>('proMetadata', {
    mandateId, versions: page.documents.map((d) => d.version),
  });
  return page.documents.map((doc, i) => ({ doc, meta: metas[i] }));
}

export async function documentOf(mandateId: string, id: string): Promise<ProListed> {
  const doc = await get<DocumentDto>(`/api/v1/mandates/${mandateId}/documents/${encodeURIComponent(id)}?versions_limit=1`);
  const [meta] = await call<(DocumentMeta | null)[]>('proMetadata', { mandateId, versions: [doc.version] });
  return { doc, meta };
}

/** Downloads a document under the mandate; the worker checks its signature and decrypts it. */
export async function openDocument(grant: Grant, accountId: string, doc: DocumentDto): Promise<{ meta: DocumentMeta; bytes: ArrayBuffer }> {
  const payload = await bytes(`/api/v1/mandates/${grant.mandate_id}/documents/${doc.id}/payload`);
  return call('proOpen', {
    mandateId: grant.mandate_id, version: JSON.parse(JSON.stringify(doc.version)), payload,
    vaultId: grant.vault_id, accountId, usagerRecipient: grant.usager_recipient,
  });
}

/** Adds a document for the usager: encrypted to the usager and to every mandate key in force over
 *  `category` (the grant says which), signed by the aidant. The grant is asked again first, so
 *  that a mandate started since is included. */
export async function addFor(mandateId: string, file: Blob, category: string, meta: DocumentMeta,
  progress: (phase: 'encrypting' | 'uploading', p: number) => void): Promise<DocumentDto> {
  const grant = await openGrant(mandateId);
  const sealed = await call<SealedUpload>('proSeal', {
    file, vaultId: grant.vault_id, documentId: uuidv7(), category, meta,
    usagerRecipient: grant.usager_recipient, mandates: grant.upload_recipients[category] ?? [],
  }, (p) => progress('encrypting', p));
  progress('uploading', 0);
  return upload<DocumentDto>(`/api/v1/mandates/${mandateId}/documents`, sealed.descriptor, sealed.payload,
    (p) => progress('uploading', p));
}

/** The server's refusal code of `e`, for a plain message (`mandateRefusal` in the catalogue). */
export const refusalOf = (e: unknown): string => (e instanceof ApiError ? e.code : 'unknown');
