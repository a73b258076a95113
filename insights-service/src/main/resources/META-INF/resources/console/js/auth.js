// Sign-in: OpenID Connect authorization code with PKCE (RFC 7636) as a public client. The tokens live in
// sessionStorage: they survive a reload of this tab, not the tab itself, and no other site can read them.
const SESSION = 'satsuma.session';
const PENDING = 'satsuma.pending-sign-in';

let discoveryCache;

async function discovery(config) {
  if (!discoveryCache) {
    const res = await fetch(config.issuer + '/.well-known/openid-configuration');
    if (!res.ok) throw new Error(`the identity provider at ${config.issuer} did not answer (${res.status})`);
    discoveryCache = await res.json();
  }
  return discoveryCache;
}

function randomString(bytes) {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url(data);
}

function base64url(bytes) {
  let text = '';
  bytes.forEach(b => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function s256(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function redirectUri() {
  return location.origin + location.pathname;
}

/** Sends the browser to the identity provider; it comes back to this page with a code. */
export async function signIn(config) {
  const endpoints = await discovery(config);
  const verifier = randomString(48);
  const state = randomString(16);
  const nonce = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, back: location.hash || '#/segments' }));
  const url = new URL(endpoints.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: 'openid',
    state, nonce, code_challenge: await s256(verifier), code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** On the way back from the identity provider: redeems the code. Returns false when this is no such return. */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', redirectUri() + (pending ? pending.back : '#/segments'));
  if (params.has('error')) throw new Error(`sign-in refused: ${params.get('error_description') || params.get('error')}`);
  if (!pending || pending.state !== params.get('state')) throw new Error('sign-in answer does not match this tab\'s request; sign in again');
  const endpoints = await discovery(config);
  const res = await fetch(endpoints.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), client_id: config.clientId,
      redirect_uri: redirectUri(), code_verifier: pending.verifier,
    }),
  });
  const tokens = await res.json();
  if (!res.ok) throw new Error(`sign-in failed: ${tokens.error_description || tokens.error || res.status}`);
  const idClaims = tokens.id_token ? claimsOf(tokens.id_token) : {};
  if (tokens.id_token && idClaims.nonce !== pending.nonce) throw new Error('sign-in answer carries another nonce');
  sessionStorage.setItem(SESSION, JSON.stringify({
    accessToken: tokens.access_token, idToken: tokens.id_token,
    expiresAt: Date.now() + 1000 * (tokens.expires_in || 300),
  }));
  return true;
}

function claimsOf(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), c => c.charCodeAt(0))));
}

function valueAt(claims, path) {
  return path.split('/').reduce((node, key) => (node == null ? undefined : node[key]), claims);
}

/**
 * The signed-in person, or null. Roles and workspace are read from the token only to decide what to show:
 * every API checks the token itself.
 */
export function session(config) {
  const stored = JSON.parse(sessionStorage.getItem(SESSION) || 'null');
  if (!stored || stored.expiresAt < Date.now() + 10_000) return null;
  const claims = claimsOf(stored.accessToken);
  const roles = valueAt(claims, config.roleClaim) || [];
  return {
    token: stored.accessToken,
    user: claims.preferred_username || claims.sub,
    workspace: claims.workspace,
    roles,
    can: {
      read: roles.some(r => ['admin', 'analyst', 'segment-editor'].includes(r)),
      analyse: roles.some(r => ['admin', 'analyst'].includes(r)),
      edit: roles.some(r => ['admin', 'segment-editor'].includes(r)),
      administer: roles.includes('admin'),
    },
  };
}

export async function signOut(config) {
  const stored = JSON.parse(sessionStorage.getItem(SESSION) || 'null');
  sessionStorage.removeItem(SESSION);
  const endpoints = await discovery(config);
  if (endpoints.end_session_endpoint) {
    const url = new URL(endpoints.end_session_endpoint);
    url.search = new URLSearchParams({
      post_logout_redirect_uri: redirectUri(), client_id: config.clientId,
      ...(stored && stored.idToken ? { id_token_hint: stored.idToken } : {}),
    }).toString();
    location.assign(url.toString());
  } else {
    location.assign(redirectUri());
  }
}
