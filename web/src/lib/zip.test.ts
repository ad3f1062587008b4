// The archive is opened by Python's zipfile and by Info-ZIP's unzip: readers independent of this
// module.
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipWriter, crc32, sanitiseName } from './zip';

const python = spawnSync('python3', ['--version'], { stdio: 'ignore' }).error === undefined;
const unzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).error === undefined;
if (!python) console.log('SKIPPED: python3 absent, archive not opened by zipfile');
if (!unzip) console.log('SKIPPED: unzip absent, archive not tested by Info-ZIP');

const dir = mkdtempSync(join(tmpdir(), 'consigne-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const READ_WITH_ZIPFILE = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    entries = [{
        "name": i.filename,
        "sha256": hashlib.sha256(z.read(i)).hexdigest(),
        "size": i.file_size,
        "method": i.compress_type,
        "utf8": bool(i.flag_bits & 0x800),
        "date_time": list(i.date_time),
    } for i in z.infolist()]
print(json.dumps({"bad": bad, "entries": entries}))
`;

interface PyEntry {
  name: string;
  sha256: string;
  size: number;
  method: number;
  utf8: boolean;
  date_time: number[];
}

async function save(zip: ZipWriter, name: string): Promise<string> {
  const blob = zip.finish();
  expect(blob.type).toBe('application/zip');
  const file = join(dir, name);
  writeFileSync(file, new Uint8Array(await blob.arrayBuffer()));
  return file;
}

function readWithPython(file: string): { bad: string | null; entries: PyEntry[] } {
  const run = spawnSync('python3', ['-c', READ_WITH_ZIPFILE, file], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as { bad: string | null; entries: PyEntry[] };
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('crc32', () => {
  it('gives the check value of the standard', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });
});

describe('sanitiseName', () => {
  it('keeps one harmless path component', () => {
    expect(sanitiseName('../../etc/passwd')).toBe('_._etc_passwd');
    expect(sanitiseName('a\\b/c.pdf')).toBe('a_b_c.pdf');
    expect(sanitiseName('relevé..pdf')).toBe('relevé.pdf');
    expect(sanitiseName('\u0000bul\u0007letin\n.pdf')).toBe('bulletin.pdf');
    expect(sanitiseName('.bashrc')).toBe('bashrc');
    expect(sanitiseName('notes. ')).toBe('notes');
    expect(sanitiseName('CON.txt')).toBe('_CON.txt');
    expect(sanitiseName('quoi?: "x"')).toBe('quoi__ _x_');
    expect(sanitiseName('')).toBe('document');
    expect(sanitiseName('..')).toBe('document');
    expect(sanitiseName('\u0001/')).toBe('_');
  });

  it('joins decomposed accents and cuts long names on a character, keeping the extension', () => {
    expect(sanitiseName('e\u0301te\u0301.pdf')).toBe('été.pdf');
    const long = sanitiseName(`${'é'.repeat(300)}.pdf`);
    expect(long.endsWith('é.pdf')).toBe(true);
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(240);
  });
});

describe('ZipWriter', () => {
  const when = new Date(2024, 2, 15, 10, 30, 44); // local time, as ZIP stores it
  const docs: [string, Uint8Array][] = [
    ['relevé de compte – mars.pdf', randomBytes(70_000)],
    ['x.pdf', randomBytes(10)],
    ['x.pdf', randomBytes(11)],
    ['X.PDF', randomBytes(12)],
    ['x (2).pdf', randomBytes(13)],
    ['../../etc/passwd', new TextEncoder().encode('root:x:0:0\n')],
    ['', new Uint8Array()],
    ['vide', new Uint8Array()],
  ];
  const expectedNames = [
    'relevé de compte – mars.pdf',
    'x.pdf',
    'x (2).pdf',
    'X (3).PDF',
    'x (2) (2).pdf',
    '_._etc_passwd',
    'document',
    'vide',
  ];
  const build = () => {
    const zip = new ZipWriter();
    for (const [name, data] of docs) zip.add(name, data, when);
    return zip;
  };

  it.skipIf(!python)('is read by zipfile: names, bytes, UTF-8 flag, stored, date', async () => {
    const { bad, entries } = readWithPython(await save(build(), 'docs.zip'));
    expect(bad).toBeNull();
    expect(entries.map((e) => e.name)).toEqual(expectedNames);
    entries.forEach((entry, i) => {
      expect(entry.sha256).toBe(sha256(docs[i][1]));
      expect(entry.size).toBe(docs[i][1].length);
      expect(entry.method).toBe(0);
      expect(entry.date_time).toEqual([2024, 3, 15, 10, 30, 44]);
    });
    expect(entries[0].utf8).toBe(true);
  });

  it.skipIf(!unzip)('passes unzip -t', async () => {
    const run = spawnSync('unzip', ['-t', await save(build(), 'unzip.zip')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/No errors detected/);
    expect(run.stdout).toMatch(/testing: x \(2\) \(2\)\.pdf\s+OK/);
  });

  it.skipIf(!python)('gives an empty archive zipfile opens', async () => {
    const { bad, entries } = readWithPython(await save(new ZipWriter(), 'empty.zip'));
    expect(bad).toBeNull();
    expect(entries).toEqual([]);
  });

  it.skipIf(!python)('refuses past 4 GiB and keeps what it had', async () => {
    const zip = new ZipWriter();
    zip.add('a.pdf', new Uint8Array([1, 2, 3]), when);
    // Only the length is read before the refusal; 4 GiB of memory is not needed to reach it.
    const huge = { length: 0xffffffff - 40 } as Uint8Array;
    expect(() => zip.add('b.pdf', huge, when)).toThrow(/exceed 4 GiB/);
    zip.add('c.pdf', new Uint8Array([4]), when);
    const { bad, entries } = readWithPython(await save(zip, 'limit.zip'));
    expect(bad).toBeNull();
    expect(entries.map((e) => e.name)).toEqual(['a.pdf', 'c.pdf']);
  });

  it('refuses the entry that would need ZIP64', async () => {
    const zip = new ZipWriter();
    const empty = new Uint8Array();
    for (let i = 0; i < 0xfffe; i++) zip.add(String(i), empty, when);
    expect(() => zip.add('p', empty, when)).toThrow(/at most 65534 documents/);
    if (!python) return;
    const file = await save(zip, 'many.zip');
    const count = spawnSync(
      'python3',
      ['-c', 'import sys, zipfile; print(len(zipfile.ZipFile(sys.argv[1]).infolist()))', file],
      { encoding: 'utf8' },
    );
    expect(count.stdout.trim()).toBe('65534');
  }, 60_000);

  it('accepts nothing after finish and clamps dates to what DOS can say', async () => {
    const zip = new ZipWriter();
    zip.add('ancien', new Uint8Array([1]), new Date(1970, 0, 1));
    expect(() => zip.add('x', new Uint8Array(), new Date(Number.NaN))).toThrow(/invalid/);
    const file = await save(zip, 'dates.zip');
    expect(() => zip.add('y', new Uint8Array())).toThrow(/after finish/);
    expect(() => zip.finish()).toThrow(/twice/);
    if (python) expect(readWithPython(file).entries[0].date_time).toEqual([1980, 1, 1, 0, 0, 0]);
  });
});
