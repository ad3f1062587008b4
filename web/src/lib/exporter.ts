// "Récupérer tous mes papiers": reads the server's export (GET /api/v1/vault/export, a tar stream
// of sealed documents and the usager's journal, see server/src/vault/export.rs) as it arrives,
// has the worker check and decrypt each current document one at a time (a document is at most
// 25 MiB: only one is in memory at once), and writes a ZIP of the original files, the journal
// extract and a short text saying what is inside. Plaintext never leaves the browser.
import { ApiError } from './api';
import { call } from './crypto';
import type { DocumentMeta, VersionDto } from './protocol';
import type { Vault } from './vault';
import { ZipWriter } from './zip';

const BLOCK = 512;

/** Reads exact byte counts from a stream of chunks. */
class ByteReader {
  private rest: Uint8Array = new Uint8Array(0);
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** The next `n` bytes, or null when the stream ends before any of them. */
  async read(n: number): Promise<Uint8Array | null> {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.rest.length === 0) {
        const { done, value } = await this.reader.read();
        if (done) {
          if (filled === 0) return null;
          throw new Error('export: the archive ends in the middle of a member');
        }
        this.rest = value;
        continue;
      }
      const take = Math.min(n - filled, this.rest.length);
      out.set(this.rest.subarray(0, take), filled);
      this.rest = this.rest.subarray(take);
      filled += take;
    }
    return out;
  }

  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.rest.length === 0) {
        const { done, value } = await this.reader.read();
        if (done) throw new Error('export: the archive ends in the middle of a member');
        this.rest = value;
      }
      const take = Math.min(left, this.rest.length);
      this.rest = this.rest.subarray(take);
      left -= take;
    }
  }
}

export interface TarMember {
  name: string;
  size: number;
  /** The member's content; call it, or `skip`, before asking for the next member. */
  bytes: () => Promise<Uint8Array>;
  skip: () => Promise<void>;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b.subarray(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0)));

/** The members of a ustar stream, in order; the content of a member not read is skipped. */
export async function* tarMembers(stream: ReadableStream<Uint8Array>): AsyncGenerator<TarMember> {
  const input = new ByteReader(stream.getReader());
  for (;;) {
    const header = await input.read(BLOCK);
    if (!header || header.every((b) => b === 0)) return;
    const size = parseInt(text(header.subarray(124, 136)).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error('export: a member has no valid size');
    const name = text(header.subarray(0, 100));
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    let consumed = false;
    const member: TarMember = {
      name,
      size,
      bytes: async () => {
        consumed = true;
        const data = await input.read(size);
        await input.skip(padded - size);
        return data ?? new Uint8Array(0);
      },
      skip: async () => {
        consumed = true;
        await input.skip(padded);
      },
    };
    yield member;
    if (!consumed) await input.skip(padded);
  }
}

/** A document of the export, as `documents/<id>.json` describes it. */
interface Described {
  id: string;
  category: string;
  binned_at: number | null;
  versions: (Omit<VersionDto, 'document_id' | 'signed_recipients'> & {
    current: boolean;
    payload: string;
    signed_recipients: string[] | null;
  })[];
}

export interface Exported {
  file: string;
  title: string;
  category: string;
}

export interface ExportResult {
  zip: Blob;
  documents: Exported[];
  /** Titles (or ids) of documents whose signature or decryption failed: not in the ZIP. */
  failed: string[];
}

export interface ExportTexts {
  readmeName: string;
  readme: (r: { documents: Exported[]; journal: string[]; failed: string[] }) => string;
}

/** Everything current in the vault as a ZIP; `progress` gets the number of documents done. */
export async function exportAll(
  vault: Vault,
  accountId: string,
  texts: ExportTexts,
  progress: (done: number) => void,
): Promise<ExportResult> {
  const res = await fetch('/api/v1/vault/export', { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok || !res.body) throw new ApiError(res.status, 'export', res.statusText);
  const zip = new ZipWriter();
  const documents: Exported[] = [];
  const failed: string[] = [];
  const journal: string[] = [];
  // Current versions of documents not in the bin, by their payload's member name.
  const wanted = new Map<string, { doc: Described; version: VersionDto }>();
  for await (const m of tarMembers(res.body)) {
    if (/^documents\/[^/]+\.json$/.test(m.name)) {
      const doc = JSON.parse(new TextDecoder().decode(await m.bytes())) as Described;
      const current = doc.versions.find((v) => v.current);
      if (doc.binned_at === null && current) {
        const { current: _c, payload, signed_recipients, ...rest } = current;
        wanted.set(payload, { doc, version: { ...rest, document_id: doc.id, signed_recipients: signed_recipients ?? [] } });
      }
    } else if (m.name.startsWith('payloads/')) {
      const item = wanted.get(m.name);
      if (!item) continue;
      wanted.delete(m.name);
      const payload = await m.bytes();
      try {
        const opened = await call<{ meta: DocumentMeta; bytes: ArrayBuffer }>(
          'open',
          { version: item.version, payload: payload.buffer, vaultId: vault.id, accountId },
          undefined,
          [payload.buffer],
        );
        const data = new Uint8Array(opened.bytes);
        const name = opened.meta.file_name || opened.meta.title;
        // The writer copies the bytes; the plaintext array is wiped right after.
        const file = zip.add(name, data, new Date(item.version.created_at * 1000));
        data.fill(0);
        documents.push({ file, title: opened.meta.title, category: item.doc.category });
      } catch {
        failed.push(item.doc.id);
      }
      progress(documents.length + failed.length);
    } else if (m.name.startsWith('journal/')) {
      journal.push(zip.add(m.name.replace('/', '-'), await m.bytes()));
    }
  }
  // A document described but whose payload never came: say so rather than leave it out silently.
  for (const { doc } of wanted.values()) failed.push(doc.id);
  zip.add(texts.readmeName, new TextEncoder().encode(texts.readme({ documents, journal, failed })));
  return { zip: zip.finish(), documents, failed };
}
