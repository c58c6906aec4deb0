// Auth0-like OpenID provider built on oidc-provider, with the gaps versus Auth0 closed:
// issuer with trailing slash, Auth0 routes, JSON bodies at /oauth/token, offline_access without
// prompt=consent, no consent page for first-party clients, Universal-Login-like login page,
// /v2/logout with allowed logout URLs, no `iss` on the authorization response, sid in ID tokens,
// key rotation at run time (a new Provider instance sharing one adapter).
import crypto from 'node:crypto';
import querystring from 'node:querystring';
import Provider, { interactionPolicy } from 'oidc-provider';
import { htmlEscape, readBody } from './util.js';
import { avatarPng } from './avatar.js';

export const REDIRECT_URIS = ['org.fedsync.app://callback', 'http://127.0.0.1/callback'];
export const LOGOUT_URLS = ['org.fedsync.app://logout', 'http://127.0.0.1/logout'];
const TENANT = 'Fedsync Sandbox';

function makeAdapterClass(store) {
  const buckets = () => store.d.oidcStore;
  const bucket = (name) => { buckets()[name] ||= {}; return buckets()[name]; };
  const alive = (rec) => rec && (!rec.exp || rec.exp > Date.now());
  return class SandboxAdapter {
    constructor(name) { this.name = name; }

    async upsert(id, payload, expiresIn) {
      bucket(this.name)[id] = { payload, exp: expiresIn ? Date.now() + expiresIn * 1000 : null };
      store.changed();
    }

    async find(id) {
      const rec = bucket(this.name)[id];
      if (!alive(rec)) return undefined;
      return rec.payload;
    }

    async findByUserCode(userCode) {
      return Object.values(bucket(this.name)).find((r) => alive(r) && r.payload.userCode === userCode)?.payload;
    }

    async findByUid(uid) {
      return Object.values(bucket(this.name)).find((r) => alive(r) && r.payload.uid === uid)?.payload;
    }

    async consume(id) {
      const rec = bucket(this.name)[id];
      if (rec) { rec.payload.consumed = Math.floor(Date.now() / 1000); store.changed(); }
    }

    async destroy(id) {
      delete bucket(this.name)[id];
      store.changed();
    }

    async revokeByGrantId(grantId) {
      for (const b of Object.values(buckets())) {
        for (const [id, rec] of Object.entries(b)) {
          if (rec.payload && rec.payload.grantId === grantId) delete b[id];
        }
      }
      store.changed();
    }
  };
}

// Removes every grant, token and session of one user (admin "revoke").
export function revokeUser(store, sub) {
  let count = 0;
  for (const b of Object.values(store.d.oidcStore)) {
    for (const [id, rec] of Object.entries(b)) {
      if (rec.payload && rec.payload.accountId === sub) { delete b[id]; count += 1; }
    }
  }
  store.changed();
  return count;
}

const LOGO = `<svg id="tenant-logo" width="52" height="52" viewBox="0 0 52 52" aria-label="${TENANT}"><rect width="52" height="52" rx="12" fill="#635dff"/><path d="M15 35 L26 13 L37 35 Z" fill="none" stroke="#fff" stroke-width="4" stroke-linejoin="round"/><circle cx="26" cy="29" r="3.5" fill="#fff"/></svg>`;

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f3f5;font-family:"ulp-font",-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1e212a}
main.card{width:400px;max-width:calc(100vw - 32px);background:#fff;border-radius:5px;box-shadow:0 12px 40px rgba(0,0,0,.12);padding:40px 40px 32px}
header{text-align:center;margin-bottom:24px}
header h1{font-size:24px;font-weight:400;margin:24px 0 16px}
header p{font-size:14px;margin:0;color:#1e212a}
label{display:block;font-size:14px;color:#65676e;margin:16px 0 6px}
input[type=text],input[type=email],input[type=password]{width:100%;height:52px;padding:0 16px;border:1px solid #c9cace;border-radius:3px;font-size:16px;outline:none}
input:focus{border-color:#635dff;box-shadow:0 0 0 1px #635dff}
button{width:100%;height:52px;margin-top:24px;border:0;border-radius:3px;background:#635dff;color:#fff;font-size:16px;cursor:pointer}
button:hover{background:#4d47e6}
#error{display:flex;gap:8px;align-items:center;margin:0 0 8px;padding:10px 12px;border-left:3px solid #d03c38;background:#fdecea;color:#d03c38;font-size:14px}
.ulp-links{text-align:center;font-size:14px;margin-top:16px;color:#65676e}
footer{text-align:center;font-size:12px;color:#65676e;margin-top:24px}
`;

function page(title, inner) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(title)}</title><style>${STYLE}</style></head><body><main class="card">${inner}</main></body></html>`;
}

function loginPage({ username = '', error = '', clientName = 'Fedsync' }) {
  return page(`Log in | ${TENANT}`, `
<header>${LOGO}<h1>Welcome</h1><p>Log in to ${htmlEscape(TENANT)} to continue to ${htmlEscape(clientName)}.</p></header>
<form id="login-form" method="post" novalidate>
${error ? `<div id="error" role="alert"><span>${htmlEscape(error)}</span></div>` : ''}
<label for="username">Email address</label>
<input id="username" name="username" type="text" inputmode="email" autocomplete="username" autocapitalize="none" spellcheck="false" value="${htmlEscape(username)}" required${username ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${username ? ' autofocus' : ''}>
<button id="submit" type="submit" name="action" value="default">Continue</button>
</form>
<footer>Sandbox tenant &middot; no sign-up</footer>`);
}

function messagePage(title, message, status = 400) {
  return {
    status,
    html: page(title, `<header>${LOGO}<h1>${htmlEscape(title)}</h1><p id="message">${htmlEscape(message)}</p></header>`),
  };
}

function isLoopbackHttp(u) {
  return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === '[::1]' || u.hostname === 'localhost');
}

// Auth0 matches allowed logout URLs exactly; loopback ones match on any port (RFC 8252 7.3).
export function logoutUrlAllowed(url, allowed) {
  let u;
  try { u = new URL(url); } catch { return false; }
  return allowed.some((a) => {
    const w = new URL(a);
    if (isLoopbackHttp(u) && isLoopbackHttp(w)) {
      return u.hostname === w.hostname && u.pathname === w.pathname;
    }
    return url === a || u.href === w.href;
  });
}

export function createOidc({ store, issuer }) {
  const d = store.d;
  const Adapter = makeAdapterClass(store);
  const clients = () => [
    {
      client_id: d.clientId,
      client_name: 'Fedsync',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: REDIRECT_URIS,
      post_logout_redirect_uris: LOGOUT_URLS,
      id_token_signed_response_alg: 'RS256',
      require_auth_time: true,
    },
    {
      // Misconfigured twin: "JsonWebToken Signature Algorithm" set to HS256 in the Auth0 dashboard.
      // The client secret is never used to authenticate (public client): only as the HMAC key.
      client_id: d.hs256ClientId,
      client_secret: d.hs256ClientSecret,
      client_name: 'Fedsync (HS256 misconfigured)',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: REDIRECT_URIS,
      post_logout_redirect_uris: LOGOUT_URLS,
      id_token_signed_response_alg: 'HS256',
      require_auth_time: true,
    },
  ];
  const clientIds = () => [d.clientId, d.hs256ClientId];

  const policy = interactionPolicy.base();
  // First-party native clients: no consent screen (Auth0 skips consent for first-party apps).
  policy.get('consent').checks.remove('native_client_prompt');

  async function findAccount(ctx, sub) {
    const user = store.userBySub(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          name: user.name,
          nickname: user.nickname,
          picture: `${issuer}avatars/${user.nickname}.png`,
          email: user.email,
          email_verified: true,
          updated_at: d.created,
        };
      },
    };
  }

  async function loadExistingGrant(ctx) {
    const { oidc } = ctx;
    const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
    let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
    if (!clientIds().includes(oidc.client.clientId) || !oidc.session.accountId) return grant;
    if (!grant || grant.accountId !== oidc.session.accountId) {
      grant = new oidc.provider.Grant({ accountId: oidc.session.accountId, clientId: oidc.client.clientId });
    }
    grant.addOIDCScope(['openid', 'profile', 'email', 'offline_access'].filter((s) => (oidc.params.scope || '').split(' ').includes(s)).join(' ') || 'openid');
    await grant.save();
    return grant;
  }

  function renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = messagePage('Oops!, something went wrong', `${out.error}: ${out.error_description || ''}`).html;
  }

  let provider;
  let callback;

  function build() {
    const p = new Provider(issuer, {
      adapter: Adapter,
      clients: clients(),
      jwks: { keys: d.oidcKeys },
      cookies: { keys: d.cookieKeys, long: { signed: true, sameSite: 'lax' }, short: { signed: true, sameSite: 'lax' } },
      findAccount,
      claims: {
        openid: ['sub'],
        profile: ['name', 'nickname', 'picture', 'updated_at'],
        email: ['email', 'email_verified'],
      },
      scopes: ['openid', 'offline_access', 'profile', 'email'],
      conformIdTokenClaims: false,
      responseTypes: ['code'],
      pkce: { required: () => true },
      features: {
        devInteractions: { enabled: false },
        revocation: { enabled: true },
        userinfo: { enabled: true },
        rpInitiatedLogout: { enabled: true },
      },
      enabledJWA: {
        idTokenSigningAlgValues: ['RS256', 'HS256'],
      },
      routes: {
        authorization: '/authorize',
        token: '/oauth/token',
        jwks: '/.well-known/jwks.json',
        userinfo: '/userinfo',
        revocation: '/oauth/revoke',
        end_session: '/oidc/logout',
      },
      ttl: {
        IdToken: () => d.lifetimes.id_token,
        AccessToken: () => d.lifetimes.access_token,
        RefreshToken: () => d.lifetimes.refresh_token,
        AuthorizationCode: 600,
        Interaction: 3600,
        Session: 14 * 86400,
        Grant: 365 * 86400,
      },
      rotateRefreshToken: () => !!d.refreshRotation,
      loadExistingGrant,
      interactions: {
        policy,
        url: (ctx, interaction) => `/u/login?state=${interaction.uid}`,
      },
      clientBasedCORS: () => true,
      renderError,
    });
    p.proxy = false;
    // Auth0 puts `sid` in every ID token.
    p.Client.prototype.includeSid = () => true;
    p.on('server_error', (ctx, err) => console.error('[oidc] server_error', err));
    p.use(auth0Shim);
    return p;
  }

  // Koa middleware in front of oidc-provider's routes.
  async function auth0Shim(ctx, next) {
    if (ctx.path === '/authorize' && ctx.method === 'GET') {
      // oidc-provider drops offline_access unless prompt includes consent; Auth0 does not. Adding
      // consent is invisible here: the consent interaction is answered automatically.
      const q = { ...ctx.query };
      const scopes = String(q.scope || '').split(' ');
      const prompts = String(q.prompt || '').split(' ').filter(Boolean);
      if (scopes.includes('offline_access') && !prompts.includes('consent') && !prompts.includes('none')) {
        q.prompt = [...prompts, 'consent'].join(' ');
        ctx.query = q;
      }
    }
    if (ctx.path === '/oauth/token' && ctx.method === 'POST' && ctx.is('application/json')) {
      // Auth0 accepts JSON bodies at the token endpoint; oidc-provider only forms.
      let obj;
      try {
        const raw = await readBody(ctx.req, 64 * 1024);
        obj = raw.length ? JSON.parse(raw.toString('utf8')) : {};
        if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('not an object');
      } catch {
        ctx.status = 400;
        ctx.body = { error: 'invalid_request', error_description: 'Invalid JSON body' };
        return;
      }
      const form = {};
      for (const [k, v] of Object.entries(obj)) form[k] = typeof v === 'string' ? v : JSON.stringify(v);
      const encoded = querystring.stringify(form);
      ctx.req.headers['content-type'] = 'application/x-www-form-urlencoded';
      ctx.req.headers['content-length'] = String(Buffer.byteLength(encoded));
      ctx.req.body = encoded;
    }
    if (ctx.path === '/v2/logout' && ctx.method === 'GET') {
      await auth0Logout(ctx);
      return;
    }
    await next();
    // Without rotation Auth0 returns no refresh_token on a refresh; oidc-provider echoes the old one.
    if (ctx.path === '/oauth/token' && ctx.body && typeof ctx.body === 'object' && ctx.oidc?.params?.grant_type === 'refresh_token'
      && ctx.body.refresh_token && ctx.body.refresh_token === ctx.oidc.params.refresh_token) {
      delete ctx.body.refresh_token;
    }
    // Auth0's wording for the usual token endpoint failures.
    if (ctx.path === '/oauth/token' && ctx.status === 400 && ctx.body && ctx.body.error === 'invalid_grant') {
      const gt = ctx.oidc?.params?.grant_type;
      if (gt === 'refresh_token') ctx.body.error_description = 'Unknown or invalid refresh token.';
      else if (gt === 'authorization_code') ctx.body.error_description = 'Invalid authorization code';
    }
    // Auth0 does not add `iss` to the authorization response.
    const loc = ctx.response.get('location');
    if (loc && ctx.status >= 300 && ctx.status < 400) {
      try {
        const u = new URL(loc);
        if (u.searchParams.has('iss') && (u.searchParams.has('code') || u.searchParams.has('error'))) {
          u.searchParams.delete('iss');
          ctx.set('location', u.toString());
        } else if (u.hash.includes('iss=')) {
          const h = new URLSearchParams(u.hash.slice(1));
          h.delete('iss');
          u.hash = h.toString();
          ctx.set('location', u.toString());
        }
      } catch { /* relative */ }
    }
  }

  async function auth0Logout(ctx) {
    const { client_id: clientId, returnTo } = ctx.query;
    const session = await provider.Session.get(ctx);
    if (session && session.accountId) {
      await session.destroy();
    }
    const opts = { path: '/', secure: true, sameSite: 'lax', signed: true };
    ctx.cookies.set(provider.cookieName('session'), null, opts);
    let target;
    if (returnTo) {
      if (!clientId || !clientIds().includes(clientId) || !logoutUrlAllowed(returnTo, LOGOUT_URLS)) {
        const p = messagePage('Oops!, something went wrong',
          `The "returnTo" querystring parameter "${returnTo}" is not defined as a valid URL in "Allowed Logout URLs". To add a new URL, please do it here: Applications > Settings`);
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = p.html;
        return;
      }
      target = returnTo;
    } else if (clientId && clientIds().includes(clientId)) {
      [target] = LOGOUT_URLS;
    }
    if (target) {
      ctx.status = 302;
      ctx.redirect(target);
      ctx.body = `Found. Redirecting to ${target}`;
    } else {
      ctx.status = 200;
      ctx.type = 'text/plain';
      ctx.body = 'OK';
    }
  }

  function rebuild() {
    provider = build();
    callback = provider.callback();
  }
  rebuild();

  async function interactionPage(req, res, url) {
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      const p = messagePage('Oops!, something went wrong', 'Your login session has expired or is invalid. Please go back to the application and try again.');
      res.writeHead(p.status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(p.html);
      return;
    }
    const { prompt, params, uid } = details;
    if (url.searchParams.get('state') !== uid) {
      const p = messagePage('Oops!, something went wrong', 'Invalid state.');
      res.writeHead(p.status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(p.html);
      return;
    }
    const client = clients().find((c) => c.client_id === params.client_id);
    const clientName = client ? client.client_name : 'application';
    const consentResult = async (accountId) => {
      let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
      if (!grant) grant = new provider.Grant({ accountId, clientId: params.client_id });
      grant.addOIDCScope(String(params.scope || 'openid'));
      return { grantId: await grant.save() };
    };

    if (prompt.name === 'consent' && details.session?.accountId) {
      req.sandbox.setOperation('consent');
      await provider.interactionFinished(req, res, { consent: await consentResult(details.session.accountId) },
        { mergeWithLastSubmission: true });
      return;
    }
    if (req.method === 'GET') {
      req.sandbox.setOperation('login_page');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(loginPage({ clientName, username: params.login_hint || '' }));
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' });
      res.end();
      return;
    }
    req.sandbox.setOperation('login');
    const form = querystring.parse((await readBody(req, 64 * 1024)).toString('utf8'));
    const user = store.userByName(form.username);
    const ok = user && typeof form.password === 'string'
      && crypto.timingSafeEqual(crypto.createHash('sha256').update(form.password).digest(),
        crypto.createHash('sha256').update(user.password).digest());
    if (!ok) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(loginPage({ clientName, username: String(form.username || ''), error: 'Wrong email or password.' }));
      return;
    }
    if (user.blocked) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'user is blocked' },
        { mergeWithLastSubmission: false });
      return;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: user.sub, amr: ['pwd'] },
      consent: await consentResult(user.sub),
    }, { mergeWithLastSubmission: false });
  }

  async function handle(req, res) {
    const url = new URL(req.url, issuer);
    const p = url.pathname;
    const op = p === '/authorize' || p.startsWith('/authorize/') ? 'authorize'
      : p === '/u/login' ? (req.method === 'POST' ? 'login' : 'login_page')
        : p === '/oauth/token' ? 'token'
          : p === '/.well-known/jwks.json' ? 'jwks'
            : p === '/.well-known/openid-configuration' ? 'discovery'
              : p === '/userinfo' ? 'userinfo'
                : p === '/v2/logout' ? 'logout'
                  : p.replace(/^\//, '') || 'root';
    const faulted = await req.sandbox.fault(op, (kind) => {
      const status = kind === 'throttle' ? 429 : kind === 'http503' ? 503 : 500;
      const error = kind === 'throttle' ? 'too_many_requests' : kind === 'http503' ? 'temporarily_unavailable' : 'server_error';
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error, error_description: `injected fault (${kind})` }));
    });
    if (faulted) return;
    if (p === '/u/login') {
      await interactionPage(req, res, url);
      return;
    }
    const avatar = /^\/avatars\/([a-z]+)\.png$/.exec(p);
    if (avatar) {
      const user = store.users.find((u) => u.nickname === avatar[1]);
      if (user) {
        res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' });
        res.end(avatarPng((user.nickname || '?')[0].toUpperCase(), user.color));
        return;
      }
    }
    if (p === '/') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${TENANT} (OpenID provider). Discovery: ${issuer}.well-known/openid-configuration\n`);
      return;
    }
    callback(req, res);
  }

  return {
    handle,
    get provider() { return provider; },
    rebuild,
    revokeUser: (sub) => revokeUser(store, sub),
    publicJwks: () => d.oidcKeys.map(({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use })),
    clientIds,
  };
}
