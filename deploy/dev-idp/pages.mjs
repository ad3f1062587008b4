// HTML pages of the development identity provider (French, plain forms, no script).
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title, body) => `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(title)}</title></head>
<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;

export function loginPage(uid, clientId, identities) {
  const items = identities.map((i) => `<li><form method="post" action="/interaction/${esc(uid)}/login">
<input type="hidden" name="identity" value="${esc(i.id)}">
<button type="submit">${esc(i.label)}</button></form></li>`).join('\n');
  return page('Fournisseur d’identité de développement', `<p>Application : ${esc(clientId)}.
Choisissez une identité de test (aucun mot de passe).</p><ul>${items}</ul>`);
}

export async function logoutSource(ctx, form) {
  ctx.body = page('Déconnexion', `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Me déconnecter</button>`);
}

export async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Vous êtes déconnecté', '<p>Vous pouvez fermer cette page.</p>');
}
