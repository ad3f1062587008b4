// Writes a ZIP archive of documents the usager downloads at once. Entries are "stored" (no
// compression: PDFs and photos are compressed already), names are UTF-8, and the archive stays
// within plain ZIP: past its limits it refuses rather than write a file some tools cannot open.

// The all-ones values of the 16- and 32-bit fields announce ZIP64 records, so the largest plain
// values are one less.
const MAX_ENTRIES = 0xfffe;
const MAX_OFFSET = 0xfffffffe;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
/** Longest stored name in UTF-8 bytes: what common file systems accept for one name. */
const MAX_NAME_BYTES = 240;
const FLAG_UTF8 = 0x0800;
const VERSION = 20;
/** Made by Unix (high byte 3), so the external attributes below are a Unix mode. */
const MADE_BY = (3 << 8) | VERSION;
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC, the one ZIP uses). */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** MS-DOS time and date (local time, two-second steps, years 1980–2107). */
function dosDateTime(when: Date): { time: number; date: number } {
  if (Number.isNaN(when.getTime())) throw new Error('invalid modification date');
  const year = when.getFullYear();
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  if (year > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  return {
    time: (when.getHours() << 11) | (when.getMinutes() << 5) | (when.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate(),
  };
}

/** Cuts a name to `max` UTF-8 bytes without splitting a character. */
function truncateUtf8(name: string, max: number, encoder: TextEncoder): string {
  let out = '';
  let bytes = 0;
  for (const char of name) {
    const size = encoder.encode(char).length;
    if (bytes + size > max) break;
    out += char;
    bytes += size;
  }
  return out;
}

/** `name` split before its extension: "a.b.pdf" → ["a.b", ".pdf"]; "a" → ["a", ""]. */
function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
}

/**
 * A name safe to extract anywhere: one path component, no control characters, no "..", no
 * characters Windows refuses, no leading dot (hidden file) and no trailing dot or space.
 */
export function sanitiseName(raw: string, encoder = new TextEncoder()): string {
  let name = raw
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[/\\<>:"|?*]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if (encoder.encode(name).length > MAX_NAME_BYTES) {
    const [stem, ext] = splitExtension(name);
    const keptExt = encoder.encode(ext).length <= 16 ? ext : '';
    const room = MAX_NAME_BYTES - encoder.encode(keptExt).length;
    name = truncateUtf8(stem, room, encoder).replace(/[.\s]+$/, '') + keptExt;
  }
  return name === '' ? 'document' : name;
}

interface Entry {
  name: Uint8Array;
  crc: number;
  size: number;
  offset: number;
  time: number;
  date: number;
}

/**
 * Collects documents, then `finish()` gives the archive. Names are sanitised and made unique
 * ("x.pdf", "x (2).pdf"), ignoring case as Windows and macOS do. Each document's bytes are copied
 * into a Blob when added, so the caller may reuse or wipe its array afterwards.
 */
export class ZipWriter {
  private readonly parts: BlobPart[] = [];
  private readonly entries: Entry[] = [];
  private readonly taken = new Set<string>();
  private readonly encoder = new TextEncoder();
  private offset = 0;
  private centralSize = 0;
  private finished = false;

  /** Adds a document; returns the name it has in the archive (sanitised, made unique). */
  add(name: string, data: Uint8Array, modified: Date = new Date()): string {
    if (this.finished) throw new Error('ZipWriter: add() after finish()');
    if (this.entries.length >= MAX_ENTRIES) {
      throw new Error(`ZIP limit: at most ${MAX_ENTRIES} documents in one archive`);
    }
    const unique = this.uniqueName(sanitiseName(name, this.encoder));
    const nameBytes = this.encoder.encode(unique);
    const localSize = LOCAL_HEADER + nameBytes.length + data.length;
    const centralSize = this.centralSize + CENTRAL_HEADER + nameBytes.length;
    // Checked before anything is kept, so a refused document leaves the archive as it was.
    if (this.offset + localSize + centralSize + END_RECORD > MAX_OFFSET) {
      throw new Error('ZIP limit: the archive would exceed 4 GiB');
    }
    const { time, date } = dosDateTime(modified);
    const entry: Entry = {
      name: nameBytes,
      crc: crc32(data),
      size: data.length,
      offset: this.offset,
      time,
      date,
    };
    const header = new Uint8Array(LOCAL_HEADER + nameBytes.length);
    const view = new DataView(header.buffer);
    view.setUint32(0, 0x04034b50, true);
    view.setUint16(4, VERSION, true);
    view.setUint16(6, FLAG_UTF8, true);
    view.setUint16(8, 0, true); // stored
    view.setUint16(10, time, true);
    view.setUint16(12, date, true);
    view.setUint32(14, entry.crc, true);
    view.setUint32(18, data.length, true); // compressed size
    view.setUint32(22, data.length, true); // uncompressed size
    view.setUint16(26, nameBytes.length, true);
    view.setUint16(28, 0, true); // extra field length
    header.set(nameBytes, LOCAL_HEADER);
    // A Blob copies the bytes now; the cast only widens TypeScript's buffer type for BlobPart.
    this.parts.push(header, new Blob([data as Uint8Array<ArrayBuffer>]));
    this.entries.push(entry);
    this.taken.add(unique.toLowerCase());
    this.offset += localSize;
    this.centralSize = centralSize;
    return unique;
  }

  /** The archive; the writer accepts nothing more afterwards. */
  finish(): Blob {
    if (this.finished) throw new Error('ZipWriter: finish() called twice');
    this.finished = true;
    const central = new Uint8Array(this.centralSize + END_RECORD);
    const view = new DataView(central.buffer);
    let at = 0;
    for (const entry of this.entries) {
      view.setUint32(at, 0x02014b50, true);
      view.setUint16(at + 4, MADE_BY, true);
      view.setUint16(at + 6, VERSION, true);
      view.setUint16(at + 8, FLAG_UTF8, true);
      view.setUint16(at + 10, 0, true); // stored
      view.setUint16(at + 12, entry.time, true);
      view.setUint16(at + 14, entry.date, true);
      view.setUint32(at + 16, entry.crc, true);
      view.setUint32(at + 20, entry.size, true);
      view.setUint32(at + 24, entry.size, true);
      view.setUint16(at + 28, entry.name.length, true);
      // Extra field, comment, disk number and internal attributes stay zero.
      view.setUint32(at + 38, REGULAR_FILE_0644, true);
      view.setUint32(at + 42, entry.offset, true);
      central.set(entry.name, at + CENTRAL_HEADER);
      at += CENTRAL_HEADER + entry.name.length;
    }
    view.setUint32(at, 0x06054b50, true);
    view.setUint16(at + 8, this.entries.length, true); // entries on this disk
    view.setUint16(at + 10, this.entries.length, true); // entries in all
    view.setUint32(at + 12, this.centralSize, true);
    view.setUint32(at + 16, this.offset, true);
    this.parts.push(central);
    return new Blob(this.parts, { type: 'application/zip' });
  }

  private uniqueName(name: string): string {
    if (!this.taken.has(name.toLowerCase())) return name;
    const [stem, ext] = splitExtension(name);
    for (let n = 2; ; n++) {
      const candidate = `${stem} (${n})${ext}`;
      if (!this.taken.has(candidate.toLowerCase())) return candidate;
    }
  }
}
