// The share-link page: fetches the slot, the sealed metadata and the payload of a shared document,
// and decrypts them here with the identity carried in the link's fragment (never sent to the server).
import init, { shareLinkIdentity, openSlot, openMetadata, decryptDocument } from '/assets/pkg/consigne_crypto_wasm.js';

const status = document.getElementById('status');
const save = document.getElementById('save');
const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function main() {
  const token = location.pathname.split('/').pop();
  const fragment = location.hash.slice(1);
  // The secret leaves the address bar and this history entry at once: the next person at the
  // computer finds neither in the history nor behind the "back" button. (Reloading the page then
  // asks for the link again.)
  history.replaceState(null, '', location.pathname + location.search);
  if (!fragment) throw new Error('Ce lien est incomplet : la fin du lien (après #) manque. Rouvrez le lien reçu.');
  await init();
  const identity = shareLinkIdentity(fragment);
  const info = await fetch(`/api/v1/public/shares/${token}`);
  if (!info.ok) throw new Error((await info.json()).error.message);
  const share = await info.json();
  const slot = fromBase64(share.slot);
  const fileKey = openSlot(slot, identity);
  const meta = JSON.parse(openMetadata(fileKey, fromBase64(share.metadata)));
  status.textContent = `${meta.title} — téléchargement…`;
  const res = await fetch(`/api/v1/public/shares/${token}/payload`);
  if (!res.ok) throw new Error((await res.json()).error.message);
  const payload = new Uint8Array(await res.arrayBuffer());
  const plain = decryptDocument(slot, payload, identity);
  // Download only: the Blob is always `application/octet-stream`, whatever type the sharer chose,
  // so the decrypted content is never rendered as a document of Consigne's origin (a `text/html`
  // "document" would otherwise run its script here).
  const url = URL.createObjectURL(new Blob([plain], { type: 'application/octet-stream' }));
  save.href = url;
  save.download = meta.file_name || 'document';
  save.hidden = false;
  status.textContent = meta.title;
}

main().catch((e) => {
  status.textContent = e.message || String(e);
  status.className = 'error';
});
