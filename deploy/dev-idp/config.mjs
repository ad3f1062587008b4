// Configuration of the development identity provider: a JSON file named by DEV_IDP_CONFIG, then
// DEV_IDP_* environment variables (the last one wins). Every value has a development default.
import { readFileSync } from 'node:fs';

const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function loadConfig(env = process.env) {
  const file = env.DEV_IDP_CONFIG ? JSON.parse(readFileSync(env.DEV_IDP_CONFIG, 'utf8')) : {};
  const port = Number(env.DEV_IDP_PORT || file.port || 9000);
  const host = env.DEV_IDP_HOST || file.host || '127.0.0.1';
  const issuer = env.DEV_IDP_ISSUER || file.issuer || `http://localhost:${port}`;
  const consigne = env.DEV_IDP_CONSIGNE_URL || file.consigneUrl || 'http://localhost:8080';
  const client = (kind, alg) => {
    const f = (file.clients && file.clients[kind]) || {};
    const up = kind.toUpperCase();
    // A public key set (JSON) switches the client to private_key_jwt authentication.
    const jwks = env[`DEV_IDP_${up}_JWKS`] ? JSON.parse(env[`DEV_IDP_${up}_JWKS`]) : f.jwks;
    const auth = jwks
      ? { token_endpoint_auth_method: 'private_key_jwt', jwks }
      : { token_endpoint_auth_method: 'client_secret_post' };
    return {
      ...auth,
      client_id: env[`DEV_IDP_${up}_CLIENT_ID`] || f.client_id || `consigne-${kind}`,
      client_secret: env[`DEV_IDP_${up}_CLIENT_SECRET`] || f.client_secret || `dev-${kind}-secret-0123456789abcdef`,
      redirect_uris: env[`DEV_IDP_${up}_REDIRECT_URIS`]
        ? list(env[`DEV_IDP_${up}_REDIRECT_URIS`])
        : f.redirect_uris || [`${consigne}/auth/${kind}/callback`],
      post_logout_redirect_uris: env[`DEV_IDP_${up}_POST_LOGOUT_REDIRECT_URIS`]
        ? list(env[`DEV_IDP_${up}_POST_LOGOUT_REDIRECT_URIS`])
        : f.post_logout_redirect_uris || [`${consigne}/auth/logged-out`],
      // FranceConnect v2 signs with ES256; the aidants' provider uses RS256 here so that both
      // algorithms are exercised.
      id_token_signed_response_alg: f.id_token_signed_response_alg || alg,
      userinfo_signed_response_alg: f.userinfo_signed_response_alg || alg,
      subject_type: 'pairwise',
      response_types: ['code'],
      grant_types: ['authorization_code'],
    };
  };
  return {
    port,
    host,
    issuer,
    clients: [client('usager', 'ES256'), client('aidant', 'RS256')],
    // Only for automated tests: lets a test make the provider misbehave (see server.mjs).
    testControls: (env.DEV_IDP_TEST_CONTROLS || String(file.testControls || '')) === '1'
      || file.testControls === true,
    pairwiseSalt: env.DEV_IDP_PAIRWISE_SALT || file.pairwiseSalt || 'consigne-dev-idp',
  };
}
