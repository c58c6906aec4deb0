import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { startSandbox, login, decodeJwt, request, form, CookieJar } from './helpers.js';

let sb;
before(async () => { sb = await startSandbox(); });
after(async () => { await sb?.stop(); });

test('start writes ready.json and profile.json as in the contract, fast', () => {
  const r = sb.ready;
  // First start generates the CA, certificate and keys; the 5 s budget is checked on restart
  // (restart.test.js). Generous here because the test machine may be busy compiling.
  assert.ok(sb.startupMs < 15000, `startup ${sb.startupMs} ms`);
  assert.ok(Number.isInteger(r.startup_ms));
  assert.match(r.issuer, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(r.provider_name, `${r.domain}/`);
  assert.equal(r.issuer, `https://${r.provider_name}`);
  assert.match(r.identity_pool_id, /^us-east-1:[0-9a-f-]{36}$/);
  assert.match(r.role_arn, /^arn:aws:iam::123456789012:role\/.+-auth$/);
  assert.match(r.developer_credentials.access_key_id, /^AKIA[A-Z2-7]{16}$/);
  for (const k of ['oidc', 'cognito_identity', 'sts', 'cognito_sync']) assert.match(r.endpoints[k], /^https:\/\/127\.0\.0\.1:\d+\/$/);
  assert.match(r.admin_url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.deepEqual(r.redirect_uris, ['org.fedsync.app://callback', 'http://127.0.0.1/callback']);
  assert.ok(r.users.length >= 3);
  assert.deepEqual(r.blocked_users.map((u) => u.username), ['dave@example.com']);
  for (const u of ['alice', 'bob', 'carol']) assert.ok(r.users.find((x) => x.username === `${u}@example.com` && /^auth0\|[0-9a-f]{24}$/.test(x.sub)));
  assert.equal(r.pid > 0, true);
  const p = JSON.parse(fs.readFileSync(r.profile_file, 'utf8'));
  assert.equal(p.fedsync_profile, 1);
  assert.equal(p.auth0.domain, r.domain);
  assert.equal(p.auth0.client_id, r.client_id);
  assert.equal(p.cognito.identity_pool_id, r.identity_pool_id);
  assert.equal(p.cognito.provider_name, r.provider_name);
  assert.equal(p.cognito.endpoints.cognito_sync, r.endpoints.cognito_sync);
  assert.equal(p.ca_file, r.ca_file);
});

test('TLS: server certificate is issued by the sandbox CA for 127.0.0.1 and localhost', async () => {
  const cert = new crypto.X509Certificate(fs.readFileSync(path.join(sb.dir, 'tls', 'server.pem')));
  assert.match(cert.subjectAltName, /IP Address:127\.0\.0\.1/);
  assert.match(cert.subjectAltName, /DNS:localhost/);
  const res = await request(`${sb.ready.issuer}.well-known/openid-configuration`, { ca: sb.ca });
  assert.equal(res.status, 200);
  await assert.rejects(request(`${sb.ready.issuer}.well-known/openid-configuration`, {}), /self-signed|unable to verify|certificate/i);
});

test('discovery and JWKS look like Auth0', async () => {
  const d = (await request(`${sb.ready.issuer}.well-known/openid-configuration`, { ca: sb.ca })).json();
  assert.equal(d.issuer, sb.ready.issuer);
  assert.equal(d.authorization_endpoint, `${sb.ready.issuer}authorize`);
  assert.equal(d.token_endpoint, `${sb.ready.issuer}oauth/token`);
  assert.equal(d.jwks_uri, `${sb.ready.issuer}.well-known/jwks.json`);
  assert.equal(d.userinfo_endpoint, `${sb.ready.issuer}userinfo`);
  assert.ok(d.code_challenge_methods_supported.includes('S256'));
  const jwks = (await request(d.jwks_uri, { ca: sb.ca })).json();
  assert.ok(jwks.keys.length >= 1);
  assert.equal(jwks.keys[0].kty, 'RSA');
  assert.equal(jwks.keys[0].d, undefined, 'no private parts');
});

test('scripted authorization code + PKCE login, ID token claims, userinfo', async () => {
  const r = await login(sb, { username: 'alice@example.com' });
  assert.equal(r.loginPage.res.status, 200);
  const html = r.loginPage.res.body;
  for (const sel of ['id="login-form"', 'id="username"', 'id="password"', 'type="password"', 'id="submit"', 'name="action"']) assert.ok(html.includes(sel), sel);
  assert.equal(r.callback.origin + r.callback.pathname, 'http://127.0.0.1:45678/callback');
  assert.equal(r.callback.searchParams.get('state'), r.state);
  assert.equal(r.callback.searchParams.has('iss'), false, 'Auth0 sends no iss on the redirect');
  assert.equal(r.tokenResponse.status, 200, r.tokenResponse.body);
  const t = r.tokens;
  assert.equal(t.token_type, 'Bearer');
  assert.ok(t.refresh_token, 'offline_access gives a refresh token without prompt=consent');
  const { header, payload } = decodeJwt(t.id_token);
  assert.equal(header.alg, 'RS256');
  const user = sb.ready.users[0];
  assert.equal(payload.iss, sb.ready.issuer);
  assert.equal(payload.aud, sb.ready.client_id);
  assert.equal(payload.sub, user.sub);
  assert.equal(payload.email, 'alice@example.com');
  assert.equal(payload.email_verified, true);
  assert.equal(payload.nonce, r.nonce);
  for (const c of ['name', 'nickname', 'picture', 'updated_at', 'sid', 'auth_time', 'iat', 'exp']) assert.ok(payload[c] !== undefined, c);
  assert.equal(payload.exp - payload.iat, 36000);
  // RS256 signature verifies against the JWKS.
  const jwks = (await request(`${sb.ready.issuer}.well-known/jwks.json`, { ca: sb.ca })).json();
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  const [h, p, s] = t.id_token.split('.');
  assert.ok(crypto.verify('RSA-SHA256', Buffer.from(`${h}.${p}`), crypto.createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url')));
  // The picture is a PNG, as Auth0's default avatars are: 120x120 RGBA, its pixels complete.
  assert.equal(payload.picture, `${sb.ready.issuer}avatars/alice.png`);
  const picture = await request(payload.picture, { ca: sb.ca });
  assert.equal(picture.status, 200);
  assert.equal(picture.headers['content-type'], 'image/png');
  assert.deepEqual([...picture.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(picture.bytes.toString('ascii', 12, 16), 'IHDR');
  assert.equal(picture.bytes.readUInt32BE(16), 120);
  assert.equal(picture.bytes.readUInt32BE(20), 120);
  const idat = picture.bytes.indexOf('IDAT');
  const pixels = zlib.inflateSync(picture.bytes.subarray(idat + 4, idat + 4 + picture.bytes.readUInt32BE(idat - 4)));
  assert.equal(pixels.length, 120 * (1 + 120 * 4));
  const ui = await request(`${sb.ready.issuer}userinfo`, { ca: sb.ca, headers: { authorization: `Bearer ${t.access_token}` } });
  assert.equal(ui.status, 200);
  assert.equal(ui.json().sub, user.sub);
  assert.equal(ui.json().email, 'alice@example.com');
});

test('token endpoint accepts JSON bodies like Auth0', async () => {
  const r = await login(sb, { username: 'bob@example.com', json: true });
  assert.equal(r.tokenResponse.status, 200, r.tokenResponse.body);
  assert.equal(decodeJwt(r.tokens.id_token).payload.email, 'bob@example.com');
});

test('custom-scheme redirect URI', async () => {
  const r = await login(sb, { username: 'carol@example.com', redirectUri: 'org.fedsync.app://callback' });
  assert.equal(r.callback.protocol, 'org.fedsync.app:');
  assert.equal(r.tokenResponse.status, 200);
});

test('wrong password re-renders the login page with Auth0 message; blocked user gets access_denied', async () => {
  const r = await login(sb, { password: 'not-the-password' });
  assert.equal(r.failedPage.status, 400);
  assert.match(r.failedPage.body, /<div id="error"[^>]*>.*Wrong email or password\./s);
  const b = await login(sb, { username: 'dave@example.com' });
  assert.equal(b.callback.searchParams.get('error'), 'access_denied');
  assert.equal(b.callback.searchParams.get('error_description'), 'user is blocked');
});

test('PKCE is required and S256 only; unknown redirect_uri rejected', async () => {
  const q = new URLSearchParams({ client_id: sb.ready.client_id, response_type: 'code', redirect_uri: 'http://127.0.0.1:1234/callback', scope: 'openid', state: 's' });
  const res = await request(`${sb.ready.issuer}authorize?${q}`, { ca: sb.ca });
  assert.equal(res.status, 303);
  const loc = new URL(res.headers.location);
  assert.equal(loc.searchParams.get('error'), 'invalid_request');
  q.set('redirect_uri', 'https://evil.example/callback');
  q.set('code_challenge', 'x'.repeat(43));
  q.set('code_challenge_method', 'S256');
  const bad = await request(`${sb.ready.issuer}authorize?${q}`, { ca: sb.ca });
  assert.equal(bad.status, 400);
});

test('refresh token grant, SSO session reuse, and rotation switch', async () => {
  const r = await login(sb, { username: 'alice@example.com' });
  const refresh = () => request(`${sb.ready.issuer}oauth/token`, {
    method: 'POST', ca: sb.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ grant_type: 'refresh_token', client_id: sb.ready.client_id, refresh_token: r.tokens.refresh_token }),
  });
  const a = await refresh();
  assert.equal(a.status, 200, a.body);
  assert.ok(a.json().id_token);
  assert.equal(a.json().refresh_token, undefined, 'no rotation by default (Auth0 default)');
  assert.equal((await refresh()).status, 200, 'same refresh token reusable');
  // SSO: a second /authorize with the session cookie skips the login page.
  const again = await login(sb, { jar: r.jar });
  assert.equal(again.loginPage, null);
  assert.equal(again.tokenResponse.status, 200);
  // Rotation on: a new refresh token each time, the old one is dead.
  await sb.admin('POST', '/admin/refresh-rotation', { enabled: true });
  try {
    const r2 = await login(sb, { username: 'bob@example.com' });
    const body = (rt) => form({ grant_type: 'refresh_token', client_id: sb.ready.client_id, refresh_token: rt });
    const opts = (rt) => ({ method: 'POST', ca: sb.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body(rt) });
    const x = await request(`${sb.ready.issuer}oauth/token`, opts(r2.tokens.refresh_token));
    assert.equal(x.status, 200);
    assert.ok(x.json().refresh_token && x.json().refresh_token !== r2.tokens.refresh_token);
    const y = await request(`${sb.ready.issuer}oauth/token`, opts(r2.tokens.refresh_token));
    assert.equal(y.status, 400);
    assert.equal(y.json().error, 'invalid_grant');
  } finally {
    await sb.admin('POST', '/admin/refresh-rotation', { enabled: false });
  }
});

test('HS256-misconfigured client issues HS256 ID tokens', async () => {
  const r = await login(sb, { clientId: sb.ready.hs256_client_id });
  assert.equal(r.tokenResponse.status, 200, r.tokenResponse.body);
  const { header, payload } = decodeJwt(r.tokens.id_token);
  assert.equal(header.alg, 'HS256');
  assert.equal(payload.aud, sb.ready.hs256_client_id);
});

test('/v2/logout clears the session and only redirects to allowed logout URLs', async () => {
  const jar = new CookieJar();
  await login(sb, { jar });
  const bad = await request(`${sb.ready.issuer}v2/logout?${new URLSearchParams({ client_id: sb.ready.client_id, returnTo: 'https://evil.example/' })}`, { ca: sb.ca, jar });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /Allowed Logout URLs/);
  const ok = await request(`${sb.ready.issuer}v2/logout?${new URLSearchParams({ client_id: sb.ready.client_id, returnTo: 'http://127.0.0.1:5555/logout', federated: '' })}`, { ca: sb.ca, jar });
  assert.equal(ok.status, 302);
  assert.equal(ok.headers.location, 'http://127.0.0.1:5555/logout');
  const scheme = await request(`${sb.ready.issuer}v2/logout?${new URLSearchParams({ client_id: sb.ready.client_id, returnTo: 'org.fedsync.app://logout' })}`, { ca: sb.ca, jar });
  assert.equal(scheme.headers.location, 'org.fedsync.app://logout');
  // The session is gone: /authorize shows the login page again.
  const after2 = await login(sb, { jar, exchange: false, password: 'wrong' });
  assert.ok(after2.loginPage, 'login page shown again after logout');
  // prompt=none without a session -> login_required (Auth0 silent auth error)
  const q = new URLSearchParams({ client_id: sb.ready.client_id, response_type: 'code', redirect_uri: 'http://127.0.0.1:1/callback', scope: 'openid', state: 's', prompt: 'none', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
  const none = await request(`${sb.ready.issuer}authorize?${q}`, { ca: sb.ca, jar: new CookieJar() });
  assert.equal(new URL(none.headers.location).searchParams.get('error'), 'login_required');
});
