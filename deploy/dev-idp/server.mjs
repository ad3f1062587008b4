// Development identity provider for Consigne, configured like FranceConnect v2 (integration):
// authorization code flow, ES256 id tokens, userinfo as a signed JWT, acr eidas1, pairwise sub,
// FranceConnect claim formats, RP-initiated logout. Not for production.
//
// Configuration: see config.mjs (DEV_IDP_CONFIG JSON file or DEV_IDP_* variables).
// With test controls enabled (DEV_IDP_TEST_CONTROLS=1), POST /__test/misbehave?mode=M makes the
// provider misbehave on purpose, so that tests can check that Consigne refuses each fault:
//   id token: bad_signature, alg_none, wrong_iss, wrong_aud, expired, wrong_nonce, unknown_kid,
//             new_kid (a genuine key rotation: signed with a key the JWKS now also publishes),
//             iat_future, iat_old (issued two days ago, not yet expired), wrong_azp
//   userinfo: userinfo_unsigned, userinfo_tampered, userinfo_expired (signed, `exp` passed)
//   keys:     key_use_enc (the JWKS marks the signing keys `use: enc`), key_alg_mismatch (the
//             JWKS gives each key another `alg` than the tokens' header), jwks_down (503)
//   mode=ok restores normal behaviour. POST /__test/identity?id=ID with a JSON body of claims
//   changes a test identity's claims; POST /__test/identities?id=ID with a JSON body of claims
//   adds an identity (for tests that need more people than identities.mjs lists). GET
//   /__test/stats counts the requests to the JWKS and to the discovery document.
import { createHash, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';
import * as jose from 'jose';
import { loadConfig } from './config.mjs';
import { IDENTITIES, findIdentity } from './identities.mjs';
import { loginPage, logoutSource, postLogoutSuccessSource } from './pages.mjs';

const config = loadConfig();

async function signingKey(alg, kid) {
  const { privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid, alg, use: 'sig' };
}

const esKey = await signingKey('ES256', `es256-${randomBytes(4).toString('hex')}`);
const rsKey = await signingKey('RS256', `rs256-${randomBytes(4).toString('hex')}`);
const keys = { ES256: esKey, RS256: rsKey };
// A key the provider "rotates to" in the new_kid mode: published in the JWKS only then.
const rotatedKey = await signingKey('ES256', `es256-rotated-${randomBytes(4).toString('hex')}`);

const claimScopes = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry',
  'email', 'preferred_username'];

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: { keys: [esKey, rsKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', ...claimScopes],
  claims: Object.fromEntries([['openid', ['sub']], ...claimScopes.map((c) => [c, [c]])]),
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  subjectTypes: ['public', 'pairwise'],
  async pairwiseIdentifier(ctx, accountId, client) {
    return createHash('sha256')
      .update(`${client.sectorIdentifier}\n${accountId}\n${config.pairwiseSalt}`)
      .digest('hex') + 'v1';
  },
  async findAccount(ctx, id) {
    const identity = findIdentity(id);
    if (!identity) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...identity.claims }; } };
  },
  // Consent-free, as FranceConnect: the requested scopes are granted after login.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
  },
  ttl: { AccessToken: 60, AuthorizationCode: 30, IdToken: 60, Interaction: 600, Session: 3600, Grant: 3600 },
});

let misbehaviour = 'ok';
let jwksRequests = 0;
let discoveryRequests = 0;

const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
const decode = (jwt) => {
  const [h, p] = jwt.split('.');
  return [JSON.parse(Buffer.from(h, 'base64url')), JSON.parse(Buffer.from(p, 'base64url'))];
};

async function sign(payload, header, jwk) {
  const key = await jose.importJWK(jwk, header.alg);
  return new jose.SignJWT(payload).setProtectedHeader(header).sign(key);
}

// Rewrites a genuine id token according to the current misbehaviour.
async function breakIdToken(token) {
  const [header, payload] = decode(token);
  const key = keys[header.alg];
  const now = Math.floor(Date.now() / 1000);
  switch (misbehaviour) {
    case 'bad_signature': {
      const other = await signingKey(header.alg, header.kid);
      return sign(payload, header, other);
    }
    case 'unknown_kid': {
      const other = await signingKey(header.alg, `unknown-${randomBytes(4).toString('hex')}`);
      return sign(payload, { ...header, kid: other.kid }, other);
    }
    case 'new_kid': return sign(payload, { ...header, alg: 'ES256', kid: rotatedKey.kid }, rotatedKey);
    case 'alg_none': return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    case 'wrong_iss': return sign({ ...payload, iss: 'https://ailleurs.example.fr' }, header, key);
    case 'wrong_aud': return sign({ ...payload, aud: 'un-autre-client' }, header, key);
    case 'expired': return sign({ ...payload, iat: now - 7200, exp: now - 3600 }, header, key);
    case 'wrong_nonce': return sign({ ...payload, nonce: randomBytes(16).toString('base64url') }, header, key);
    case 'iat_future': return sign({ ...payload, iat: now + 3600, exp: now + 3660 }, header, key);
    case 'iat_old': return sign({ ...payload, iat: now - 2 * 86400, exp: now + 60 }, header, key);
    case 'wrong_azp': return sign({ ...payload, azp: 'un-autre-client' }, header, key);
    default: return token;
  }
}

async function breakUserinfo(jwt) {
  const [header, payload] = decode(jwt);
  if (misbehaviour === 'userinfo_expired') {
    const now = Math.floor(Date.now() / 1000);
    return sign({ ...payload, iat: now - 120, exp: now - 60 }, header, keys[header.alg]);
  }
  if (misbehaviour === 'userinfo_unsigned') return `${b64({ alg: 'none' })}.${b64(payload)}.`;
  if (misbehaviour === 'userinfo_tampered') {
    const signature = jwt.split('.')[2];
    return `${b64(header)}.${b64({ ...payload, family_name: 'USURPATEUR' })}.${signature}`;
  }
  return jwt;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (match && ctx.method === 'GET' && !match[2]) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    ctx.type = 'html';
    ctx.body = loginPage(details.uid, details.params.client_id, IDENTITIES);
    return;
  }
  if (match && ctx.method === 'POST' && match[2]) {
    const form = await readForm(ctx.req);
    const identity = findIdentity(form.get('identity') || '');
    if (!identity) {
      ctx.status = 400;
      ctx.body = 'identité inconnue';
      return;
    }
    const result = { login: { accountId: identity.id, acr: 'eidas1', amr: ['pwd'] } };
    ctx.status = 303;
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
    return;
  }
  if (config.testControls && ctx.path === '/__test/misbehave' && ctx.method === 'POST') {
    misbehaviour = ctx.query.mode || 'ok';
    ctx.body = { misbehaviour };
    return;
  }
  if (config.testControls && ctx.path === '/__test/stats' && ctx.method === 'GET') {
    ctx.body = { jwks_requests: jwksRequests, discovery_requests: discoveryRequests };
    return;
  }
  if (ctx.path === '/jwks') jwksRequests += 1;
  if (ctx.path === '/.well-known/openid-configuration') discoveryRequests += 1;
  if (config.testControls && misbehaviour === 'jwks_down' && ctx.path === '/jwks') {
    ctx.status = 503;
    ctx.body = 'indisponible';
    return;
  }
  if (config.testControls && ctx.path === '/__test/identities' && ctx.method === 'POST') {
    const id = ctx.query.id || '';
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(id)) ctx.throw(400);
    if (findIdentity(id)) ctx.throw(409);
    const identity = { id, label: `${id} (test)`, claims: await readJson(ctx.req) };
    IDENTITIES.push(identity);
    ctx.status = 201;
    ctx.body = identity;
    return;
  }
  if (config.testControls && ctx.path === '/__test/identity' && ctx.method === 'POST') {
    const identity = findIdentity(ctx.query.id || '');
    if (!identity) ctx.throw(404);
    Object.assign(identity.claims, await readJson(ctx.req));
    ctx.body = identity;
    return;
  }
  await next();
  if (misbehaviour === 'ok') return;
  if (ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await breakIdToken(ctx.body.id_token) };
  } else if (ctx.path === '/jwks' && misbehaviour === 'new_kid' && ctx.body && ctx.body.keys) {
    const { d, ...publicPart } = rotatedKey;
    ctx.body = { keys: [...ctx.body.keys, publicPart] };
  } else if (ctx.path === '/jwks' && misbehaviour === 'key_use_enc' && ctx.body && ctx.body.keys) {
    ctx.body = { keys: ctx.body.keys.map((k) => ({ ...k, use: 'enc' })) };
  } else if (ctx.path === '/jwks' && misbehaviour === 'key_alg_mismatch' && ctx.body && ctx.body.keys) {
    ctx.body = { keys: ctx.body.keys.map((k) => ({ ...k, alg: k.kty === 'EC' ? 'ES384' : 'PS256' })) };
  } else if (ctx.path === '/me' && typeof ctx.body === 'string') {
    ctx.body = await breakUserinfo(ctx.body);
  }
});

provider.listen(config.port, config.host, () => {
  console.log(`dev-idp: ${config.issuer}/.well-known/openid-configuration (listening on ${config.host}:${config.port})`);
});
