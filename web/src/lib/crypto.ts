// The page's side of the crypto worker: one worker, started when a signed-in usager needs it,
// ended on logout. Each call is a message with an id; progress comes back as it goes.
import type { Request } from './protocol';

type Pending = { resolve: (v: any) => void; reject: (e: Error) => void; progress?: (p: number) => void };

let worker: Worker | null = null;
let next = 1;
const pending = new Map<number, Pending>();

function start(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('../worker/crypto.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (ev) => {
    const { id, ok, result, error, progress } = ev.data;
    const p = pending.get(id);
    if (!p) return;
    if (progress !== undefined) {
      p.progress?.(progress);
      return;
    }
    pending.delete(id);
    if (ok) p.resolve(result);
    else p.reject(new Error(error));
  };
  w.onerror = (ev) => {
    for (const p of pending.values()) p.reject(new Error(ev.message || 'worker'));
    pending.clear();
  };
  worker = w;
  return w;
}

/** Runs `op` in the worker; `transfer` moves large buffers there instead of copying them. */
export function call<T>(op: string, args: unknown = {}, progress?: (p: number) => void, transfer: Transferable[] = []): Promise<T> {
  const w = start();
  const id = next++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve, reject, progress });
    const msg: Request = { id, op, args };
    w.postMessage(msg, transfer);
  });
}

/** Drops every key the worker holds, then the worker itself. */
export async function stop(): Promise<void> {
  if (!worker) return;
  try {
    await call('lock');
  } finally {
    worker.terminate();
    worker = null;
    pending.clear();
  }
}
