// Builds a PDF from photographed pages, in the browser, without re-encoding the photos: each JPEG
// is embedded as-is as a DCTDecode image, one page per photo. The file holds no metadata (no
// producer, no dates, no title): it is encrypted and stored as a document of the usager.

/** One photographed page: a JPEG and its pixel dimensions (as `reducePhoto` returns them). */
export interface JpegPage {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

interface JpegInfo {
  width: number;
  height: number;
  components: number;
  precision: number;
  /** The SOF marker's second byte: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, ... */
  frame: number;
}

// A4 in PostScript points (210 mm × 297 mm).
const A4_SHORT = (210 / 25.4) * 72;
const A4_LONG = (297 / 25.4) * 72;

// Start-of-frame markers; 0xC4 (DHT), 0xC8 (JPG) and 0xCC (DAC) share the range but are not frames.
const SOF_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);
// Huffman-coded, 8-bit DCT frames: what PDF's DCTDecode filter is required to read.
const PDF_FRAMES = new Set([0xc0, 0xc1, 0xc2]);

function readJpegInfo(jpeg: Uint8Array): JpegInfo {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    throw new Error('not a JPEG: the file does not start with the SOI marker (FF D8)');
  }
  let pos = 2;
  while (pos < jpeg.length) {
    if (jpeg[pos] !== 0xff) {
      throw new Error(`malformed JPEG: expected a marker at byte ${pos}`);
    }
    // Any number of 0xFF fill bytes may precede a marker.
    while (pos < jpeg.length && jpeg[pos] === 0xff) pos++;
    if (pos >= jpeg.length) break;
    const marker = jpeg[pos];
    pos++;
    // Markers without a length field: TEM and RST0..RST7.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9 || marker === 0xda) {
      throw new Error('malformed JPEG: no frame header (SOF) before the image data');
    }
    if (pos + 2 > jpeg.length) break;
    const length = (jpeg[pos] << 8) | jpeg[pos + 1];
    if (length < 2 || pos + length > jpeg.length) {
      throw new Error(`malformed JPEG: segment at byte ${pos - 2} overruns the file`);
    }
    if (SOF_MARKERS.has(marker)) {
      if (length < 8) throw new Error('malformed JPEG: frame header too short');
      const height = (jpeg[pos + 3] << 8) | jpeg[pos + 4];
      const width = (jpeg[pos + 5] << 8) | jpeg[pos + 6];
      if (width === 0 || height === 0) {
        throw new Error('unsupported JPEG: the frame header gives no width or height');
      }
      return { width, height, components: jpeg[pos + 7], precision: jpeg[pos + 2], frame: marker };
    }
    pos += length;
  }
  throw new Error('malformed JPEG: the file ends before a frame header (SOF)');
}

/** The pixel size of a JPEG, read from its frame header; throws if the bytes are not a JPEG. */
export function jpegSize(jpeg: Uint8Array): { width: number; height: number } {
  const { width, height } = readJpegInfo(jpeg);
  return { width, height };
}

function colourSpace(info: JpegInfo): string {
  if (!PDF_FRAMES.has(info.frame) || info.precision !== 8) {
    throw new Error(
      'unsupported JPEG: only 8-bit Huffman-coded JPEGs (baseline or progressive) go into a PDF',
    );
  }
  if (info.components === 1) return '/DeviceGray';
  if (info.components === 3) return '/DeviceRGB';
  throw new Error(`unsupported JPEG: ${info.components} colour components (1 or 3 expected)`);
}

/** A number as PDF writes it: at most two decimals, no exponent, no trailing zeros. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** The page size: the photo's aspect ratio, as large as fits in A4 of the same orientation. */
function pageSize(width: number, height: number): [number, number] {
  const [boxW, boxH] = width > height ? [A4_LONG, A4_SHORT] : [A4_SHORT, A4_LONG];
  const scale = Math.min(boxW / width, boxH / height);
  return [width * scale, height * scale];
}

class PdfBuilder {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;
  private readonly offsets: number[] = [];
  private readonly encoder = new TextEncoder();

  text(s: string): void {
    this.bytes(this.encoder.encode(s));
  }

  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  /** Starts object `id` (objects must be written in order 1, 2, 3, ...). */
  object(id: number, body: string): void {
    this.offsets[id] = this.length;
    this.text(`${id} 0 obj\n${body}\n`);
  }

  finish(root: number): Uint8Array<ArrayBuffer> {
    const xref = this.length;
    const count = this.offsets.length;
    let table = `xref\n0 ${count}\n0000000000 65535 f \n`;
    for (let id = 1; id < count; id++) {
      const offset = this.offsets[id];
      if (offset === undefined) throw new Error(`internal error: PDF object ${id} missing`);
      // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, space, LF.
      table += `${String(offset).padStart(10, '0')} 00000 n \n`;
    }
    if (xref > 9_999_999_999) throw new Error('PDF too large for a classic xref table');
    this.text(`${table}trailer\n<< /Size ${count} /Root ${root} 0 R >>\n`);
    this.text(`startxref\n${xref}\n%%EOF\n`);
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/**
 * A PDF 1.4 with one page per photo, in order. Each JPEG is embedded unchanged; each page has the
 * photo's aspect ratio and fits A4 (portrait for a tall photo, landscape for a wide one). PDF
 * readers ignore a JPEG's EXIF orientation: give photos that went through `reducePhoto`, which
 * draws them upright.
 */
export function jpegsToPdf(pages: JpegPage[]): Uint8Array<ArrayBuffer> {
  if (pages.length === 0) throw new Error('a PDF needs at least one page');
  const infos = pages.map((page, index) => {
    const info = readJpegInfo(page.jpeg);
    if (info.width !== page.width || info.height !== page.height) {
      throw new Error(
        `page ${index + 1}: the JPEG is ${info.width}×${info.height}, ` +
          `not the ${page.width}×${page.height} given`,
      );
    }
    return { info, space: colourSpace(info) };
  });

  // Objects: 1 catalog, 2 page tree, then for page i: 3+3i page, 4+3i content, 5+3i image.
  const pdf = new PdfBuilder();
  // The comment of bytes above 127 tells transfer tools the file is binary.
  pdf.text('%PDF-1.4\n');
  pdf.bytes(new Uint8Array([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  pdf.object(1, '<< /Type /Catalog /Pages 2 0 R >>\nendobj');
  const kids = pages.map((_, i) => `${3 + 3 * i} 0 R`).join(' ');
  pdf.object(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>\nendobj`);
  pages.forEach((page, i) => {
    const { info, space } = infos[i];
    const [w, h] = pageSize(info.width, info.height);
    const [pageId, contentId, imageId] = [3 + 3 * i, 4 + 3 * i, 5 + 3 * i];
    pdf.object(
      pageId,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(w)} ${num(h)}] ` +
        `/Resources << /XObject << /Im0 ${imageId} 0 R >> >> /Contents ${contentId} 0 R >>\nendobj`,
    );
    const content = `q ${num(w)} 0 0 ${num(h)} 0 0 cm /Im0 Do Q`;
    pdf.object(contentId, `<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj`);
    pdf.object(
      imageId,
      `<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} ` +
        `/ColorSpace ${space} /BitsPerComponent 8 /Filter /DCTDecode ` +
        `/Length ${page.jpeg.length} >>\nstream`,
    );
    pdf.bytes(page.jpeg);
    pdf.text('\nendstream\nendobj\n');
  });
  return pdf.finish(1);
}
