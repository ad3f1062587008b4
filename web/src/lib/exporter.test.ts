// The export's tar reader against archives written by GNU tar (an independent writer), fed in
// small uneven chunks so that headers, contents and padding straddle chunk boundaries.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tarMembers } from './exporter';

const dir = mkdtempSync(join(tmpdir(), 'consigne-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

describe('tarMembers', () => {
  const files: Record<string, Uint8Array> = {
    'manifest.json': new TextEncoder().encode('{"format":"x"}'),
    'documents/a.json': new TextEncoder().encode('{"id":"a"}'),
    'payloads/a/1.age': randomBytes(70_000),
    'journal/empty.txt': new Uint8Array(0),
    'journal/00001.csv': randomBytes(512),
  };
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  const made = spawnSync('tar', ['--format=ustar', '-cf', join(dir, 'out.tar'), '-C', dir, ...Object.keys(files)]);
  const archive = new Uint8Array(readFileSync(join(dir, 'out.tar')));

  for (const size of [1, 333, 512, 4096, 1 << 20]) {
    it(`reads every member in chunks of ${size} bytes`, async () => {
      expect(made.status).toBe(0);
      const seen: Record<string, Uint8Array> = {};
      for await (const m of tarMembers(chunked(archive, size))) seen[m.name] = await m.bytes();
      expect(Object.keys(seen)).toEqual(Object.keys(files));
      for (const [name, data] of Object.entries(files)) expect(Buffer.from(seen[name]).equals(Buffer.from(data))).toBe(true);
    });
  }

  it('skips the members not read', async () => {
    const names: string[] = [];
    let last: Uint8Array = new Uint8Array(0);
    for await (const m of tarMembers(chunked(archive, 777))) {
      names.push(m.name);
      if (m.name === 'journal/00001.csv') last = await m.bytes();
      else if (m.name === 'documents/a.json') await m.skip();
    }
    expect(names).toEqual(Object.keys(files));
    expect(Buffer.from(last).equals(Buffer.from(files['journal/00001.csv']))).toBe(true);
  });

  it('refuses an archive cut in the middle of a member', async () => {
    const cut = archive.slice(0, 512 * 4 + 100);
    await expect(async () => {
      for await (const m of tarMembers(chunked(cut, 512))) await m.bytes();
    }).rejects.toThrow(/ends in the middle/);
  });
});
