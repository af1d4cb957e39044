// Calls the triage HTTP API on the same origin. Locally (`earshot serve`) there is no sign-in on loopback, or a
// bearer token the viewer pastes once when the server asks for one. On AWS, `config.json` (written by the CDK Inbox
// construct) names the Cognito user pool: the viewer signs in with the hosted UI (authorization code + PKCE), and
// the ID token goes to the API's JWT authorizer.

const TOKEN_KEY = 'earshot.token';
const VERIFIER_KEY = 'earshot.pkce';
let siteConfig = null;
/** Settled once config.json is read and any sign-in in progress is finished. */
let authReady = Promise.resolve();

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  if (siteConfig?.cognito) {
    const { domain, clientId } = siteConfig.cognito;
    const back = location.origin + location.pathname;
    location.assign(
      `${domain}/logout?client_id=${encodeURIComponent(clientId)}&logout_uri=${encodeURIComponent(back)}`,
    );
  } else {
    location.reload();
  }
}

export function usesCognito() {
  return Boolean(siteConfig?.cognito);
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

async function signIn() {
  const { domain, clientId } = siteConfig.cognito;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, state, hash: location.hash }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: location.origin + location.pathname,
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  });
  location.assign(`${domain}/oauth2/authorize?${params}`);
}

async function finishSignIn(code, state) {
  const saved = JSON.parse(sessionStorage.getItem(VERIFIER_KEY) ?? '{}');
  sessionStorage.removeItem(VERIFIER_KEY);
  if (!saved.verifier || saved.state !== state) throw new ApiError(401, 'sign-in state does not match; try again');
  const { domain, clientId } = siteConfig.cognito;
  const response = await fetch(`${domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      redirect_uri: location.origin + location.pathname,
      code_verifier: saved.verifier,
    }),
  });
  if (!response.ok) throw new ApiError(response.status, 'sign-in failed');
  const tokens = await response.json();
  setToken(tokens.id_token);
  history.replaceState(null, '', location.pathname + (saved.hash || ''));
}

/** Reads config.json (present on AWS only) and completes or starts a Cognito sign-in when it names one. */
export function initAuth() {
  authReady = settleAuth();
  return authReady;
}

async function settleAuth() {
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    siteConfig = response.ok ? await response.json() : {};
  } catch {
    siteConfig = {};
  }
  if (!siteConfig.cognito) return;
  const params = new URLSearchParams(location.search);
  if (params.get('code')) await finishSignIn(params.get('code'), params.get('state'));
  if (!token()) await signIn();
}

export async function api(path, { method = 'GET', body } = {}) {
  // Returning from the sign-in, the token is only there once the code is exchanged; otherwise a call does not
  // wait for config.json (the local inbox needs none, and a signed-in viewer already holds the token).
  if (new URLSearchParams(location.search).has('code')) await authReady.catch(() => undefined);
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    await authReady.catch(() => undefined);
    if (siteConfig?.cognito) {
      sessionStorage.removeItem(TOKEN_KEY);
      await signIn();
    }
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data?.error ?? data?.message ?? `HTTP ${response.status}`);
  return data;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
