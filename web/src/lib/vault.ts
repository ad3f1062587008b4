// The usager's vault as the screens use it: the API calls, with the crypto done in the worker.
import { ApiError, bytes, get, request, upload } from './api';
import { call } from './crypto';
import type { DocumentDto, DocumentMeta, EnvelopeDto, SealedUpload } from './protocol';
import { uuidv7 } from './uuid';

/** A plain copy of what a screen holds in its state (Svelte's state is a proxy, which cannot be
 *  posted to the worker). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export const CATEGORIES = [
  'identite', 'domicile', 'ressources', 'famille', 'sante', 'logement', 'emploi', 'droits', 'justice', 'etranger', 'autre',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Vault {
  id: string;
  recipient: string;
}

/** The usager's vault, or null when they have none yet. */
export async function findVault(): Promise<Vault | null> {
  try {
    return await get<Vault>('/api/v1/vault');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export async function envelopes(): Promise<EnvelopeDto[]> {
  return (await get<{ envelopes: EnvelopeDto[] }>('/api/v1/vault/envelopes')).envelopes;
}

/** Registers the signing key and the kit's login key, then creates the vault with its device and
 *  kit envelopes. The
 *  device key stays in this browser after logout only if the person chose `remember`. */
export async function createVault(accountId: string, remember: boolean): Promise<Vault> {
  const req = await call<{ signingKey: unknown; vault: unknown; kitLogin: unknown }>('vaultRequest', { accountId });
  await request('PUT', '/api/v1/account/signing-key', req.signingKey);
  // The kit's login key before the vault: a refusal here leaves nothing half made (the PUT
  // replaces any older key, so trying again is safe).
  await request('PUT', '/api/v1/account/kit-login', req.kitLogin);
  const vault = await request<Vault>('POST', '/api/v1/vault', req.vault);
  await call('vaultCreated', { accountId, remember });
  return vault;
}

export async function unlockWithDevice(accountId: string, vault: Vault): Promise<boolean> {
  return call<boolean>('unlockDevice', { accountId, recipient: vault.recipient, envelopes: await envelopes() });
}

export async function unlockWithKit(accountId: string, vault: Vault, code: string, remember: boolean): Promise<boolean> {
  const res = await call<{ opened: boolean; device?: EnvelopeDto }>('unlockKit', {
    accountId, recipient: vault.recipient, code, envelopes: await envelopes(), remember,
  });
  if (res.opened && res.device) {
    try {
      await request('POST', '/api/v1/vault/envelopes', res.device);
      await call('deviceRemembered', { accountId });
    } catch {
      // Not remembered (too many envelopes, say): the vault is open all the same.
    }
  }
  return res.opened;
}

export interface Listed {
  doc: DocumentDto;
  meta: DocumentMeta | null;
}

/** Documents (of a category, or in the bin), with their titles opened in the worker. */
export async function list(opts: { category?: string; bin?: boolean }): Promise<Listed[]> {
  const q = new URLSearchParams({ limit: '200' });
  if (opts.category) q.set('category', opts.category);
  if (opts.bin) q.set('bin', 'true');
  const page = await get<{ documents: DocumentDto[] }>(`/api/v1/documents?${q}`);
  const metas = await call<(DocumentMeta | null)[]>('metadata', { versions: page.documents.map((d) => d.version) });
  return page.documents.map((doc, i) => ({ doc, meta: metas[i] }));
}

type MandateKey = { in_force: boolean; recipient: string | null; categories: string[] };

/** The keys, among `mandates`, of those in force over `category`: every version written there
 *  carries a slot for each (the aidants' access, and the server's check). */
export function keysOver(mandates: MandateKey[], category: string): string[] {
  return mandates.filter((m) => m.in_force && m.recipient && m.categories.includes(category)).map((m) => m.recipient as string);
}

/** The keys of the mandates in force over `category`, asked of the server. */
export async function mandateKeys(category: string): Promise<string[]> {
  const { mandates } = await get<{ mandates: MandateKey[] }>('/api/v1/vault/mandates');
  return keysOver(mandates, category);
}

export type Progress = (phase: 'encrypting' | 'uploading', p: number) => void;

/** Encrypts `file` in the worker and uploads it; `progress` gets the phase and percentage. */
export async function add(vault: Vault, file: Blob, category: string, meta: DocumentMeta, progress: Progress): Promise<DocumentDto> {
  const documentId = uuidv7();
  const mandates = await mandateKeys(category);
  const sealed = await call<SealedUpload>('seal', { file, vaultId: vault.id, documentId, category, meta, version: 1, mandates },
    (p) => progress('encrypting', p));
  progress('uploading', 0);
  return upload<DocumentDto>('/api/v1/documents', sealed.descriptor, sealed.payload, (p) => progress('uploading', p));
}

/** A new version of `doc` (a new file, or the same one with new details): the server keeps the
 *  versions before it. */
export async function replace(vault: Vault, doc: DocumentDto, file: Blob, meta: DocumentMeta, progress: Progress): Promise<DocumentDto> {
  const mandates = await mandateKeys(doc.category);
  const sealed = await call<SealedUpload>('seal', {
    file, vaultId: vault.id, documentId: doc.id, category: doc.category, meta: plain(meta), version: doc.version.number + 1, mandates,
  }, (p) => progress('encrypting', p));
  progress('uploading', 0);
  return upload<DocumentDto>(`/api/v1/documents/${doc.id}/versions`, sealed.descriptor, sealed.payload, (p) => progress('uploading', p));
}

/** One document with its title opened in the worker (a screen reloaded on its address). */
export async function documentOf(id: string): Promise<Listed> {
  const doc = await get<DocumentDto>(`/api/v1/documents/${encodeURIComponent(id)}?versions_limit=1`);
  const [meta] = await call<(DocumentMeta | null)[]>('metadata', { versions: [doc.version] });
  return { doc, meta };
}

export interface Opened {
  meta: DocumentMeta;
  bytes: ArrayBuffer;
}

/** Downloads a document's current version; the worker checks its signature and decrypts it. */
export async function open(vault: Vault, accountId: string, doc: DocumentDto): Promise<Opened> {
  const payload = await bytes(`/api/v1/documents/${doc.id}/payload`);
  return call<Opened>('open', { version: plain(doc.version), payload, vaultId: vault.id, accountId });
}

export const toBin = (id: string) => request('POST', `/api/v1/documents/${id}/bin`);
export const restore = (id: string) => request('POST', `/api/v1/documents/${id}/restore`);

export interface ShareDto {
  id: string;
  document_id: string;
  created_at: number;
  expires_at: number;
  max_downloads: number | null;
  downloads: number;
  revoked_at: number | null;
  url?: string;
}

/** A share link of the document's current version: the server's answer and the whole link
 *  (with the secret in its fragment, which the server never receives). */
export async function share(doc: DocumentDto, days: number, maxDownloads: number | null): Promise<{ share: ShareDto; link: string }> {
  const slot = await call<{ fragment: string; recipient: string; header: string }>('shareSlot', { version: plain(doc.version) });
  const body: Record<string, unknown> = { recipient: slot.recipient, header: slot.header, expires_in_days: days };
  if (maxDownloads) body.max_downloads = maxDownloads;
  const created = await request<ShareDto>('POST', `/api/v1/documents/${doc.id}/shares`, body);
  return { share: created, link: `${created.url}#${slot.fragment}` };
}

export async function shares(doc: DocumentDto): Promise<ShareDto[]> {
  return (await get<{ shares: ShareDto[] }>(`/api/v1/documents/${doc.id}/shares`)).shares;
}

export const revokeShare = (id: string) => request('DELETE', `/api/v1/shares/${id}`);

/** An assisted recovery request as the usager sees it (`GET /api/v1/recovery`). */
export interface RecoveryDto {
  id: string;
  state: 'pending' | 'released' | 'completed' | 'cancelled';
  organisation_name: string;
  requested_at: number;
  release_at: number;
  envelope: string | null;
  organisation_share: string | null;
  server_share: string | null;
}

export async function recoveryState(): Promise<RecoveryDto | null> {
  return (await get<{ request: RecoveryDto | null }>('/api/v1/recovery')).request;
}

/** Asks for an assisted recovery: the worker makes this device's ephemeral recipient. */
export async function askRecovery(accountId: string): Promise<RecoveryDto> {
  const recipient = await call<string>('recoveryRecipient', { accountId });
  return request<RecoveryDto>('POST', '/api/v1/recovery', { recipient });
}

export async function cancelRecovery(accountId: string): Promise<void> {
  await request('DELETE', '/api/v1/recovery');
  await call('recoveryForget', { accountId }).catch(() => undefined);
}

/** The released request opened in the worker, a device envelope added for this device, the
 *  request completed (the server deletes the released files). */
export async function completeRecovery(accountId: string, vault: Vault, r: RecoveryDto, remember: boolean): Promise<void> {
  const device = await call<EnvelopeDto>('recoveryOpen', {
    accountId, recipient: vault.recipient, envelope: r.envelope, organisationShare: r.organisation_share, serverShare: r.server_share,
  });
  await request('POST', '/api/v1/vault/envelopes', device);
  await call('deviceRemembered', { accountId, remember });
  await request('POST', '/api/v1/recovery/completion');
  await call('recoveryForget', { accountId });
}
