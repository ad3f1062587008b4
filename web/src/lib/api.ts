// Consigne's API as the page uses it: same origin, the session cookie, the CSRF header on every
// change. Errors carry the server's stable code.

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

let csrf = '';
export function setCsrf(token: string) {
  csrf = token;
}

async function failure(res: Response): Promise<ApiError> {
  try {
    const body = await res.json();
    return new ApiError(res.status, body?.error?.code ?? 'unknown', body?.error?.message ?? res.statusText);
  } catch {
    return new ApiError(res.status, 'unknown', res.statusText);
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string) => request<T>('GET', path);

export async function bytes(path: string): Promise<ArrayBuffer> {
  const res = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  return res.arrayBuffer();
}

/** Uploads a framed body (4-byte length, descriptor JSON, payload), reporting the bytes sent. */
export function upload<T>(path: string, descriptor: unknown, payload: Blob, progress: (p: number) => void): Promise<T> {
  const json = new TextEncoder().encode(JSON.stringify(descriptor));
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, json.length);
  const body = new Blob([len, json, payload]);
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('content-type', 'application/vnd.consigne.document');
    xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress(Math.round((100 * e.loaded) / e.total));
    };
    xhr.onload = () => {
      if (xhr.status === 201) resolve(xhr.response as T);
      else {
        const b = xhr.response;
        reject(new ApiError(xhr.status, b?.error?.code ?? 'unknown', b?.error?.message ?? 'upload'));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network'));
    xhr.send(body);
  });
}
