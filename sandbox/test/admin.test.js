import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { GetIdCommand, GetCredentialsForIdentityCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { ListRecordsCommand, UpdateRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { startSandbox, login, request, form, decodeJwt } from './helpers.js';
import { identityClient, stsClient, syncClient } from './aws-clients.js';

let sb; let ci; let alice;
before(async () => {
  sb = await startSandbox();
  ci = identityClient(sb);
  alice = (await login(sb, { username: 'alice@example.com' })).tokens;
});
after(async () => { await sb?.stop(); });

const logins = (t) => ({ [sb.ready.provider_name]: t });
const getId = (t = alice.id_token) => ci.send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins: logins(t) }));

async function identityAndSync() {
  const { IdentityId } = await getId();
  const c = (await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(alice.id_token) }))).Credentials;
  return { IdentityId, creds: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken } };
}

test('faults: http500, throttle, http503, malformed, reset, delay hit the next N calls only', async () => {
  let r = await sb.admin('POST', '/admin/faults', { service: 'cognito-identity', operation: 'GetId', count: 2, kind: 'http500' });
  assert.equal(r.status, 200);
  for (let i = 0; i < 2; i += 1) {
    await assert.rejects(getId(), (e) => e.name === 'InternalErrorException' && e.$metadata.httpStatusCode === 500);
  }
  assert.match((await getId()).IdentityId, /^us-east-1:/);

  await sb.admin('POST', '/admin/faults', { service: 'cognito-identity', operation: '*', count: 1, kind: 'throttle' });
  await assert.rejects(getId(), (e) => e.name === 'TooManyRequestsException');
  // The SDK's own retry gets through a single throttle.
  await sb.admin('POST', '/admin/faults', { service: 'cognito-identity', operation: 'GetId', count: 1, kind: 'throttle' });
  const retrying = identityClient(sb, undefined, { maxAttempts: 3 });
  const ok = await retrying.send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins: logins(alice.id_token) }));
  assert.equal(ok.$metadata.attempts, 2);

  const { IdentityId, creds } = await identityAndSync();
  const cs = syncClient(sb, creds);
  await sb.admin('POST', '/admin/faults', { service: 'cognito-sync', operation: 'ListRecords', count: 1, kind: 'throttle' });
  await assert.rejects(cs.send(new ListRecordsCommand({ IdentityPoolId: sb.ready.identity_pool_id, IdentityId, DatasetName: 'd' })),
    (e) => e.name === 'TooManyRequestsException' && e.$metadata.httpStatusCode === 429);

  const { Token } = await ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins(alice.id_token) }));
  await sb.admin('POST', '/admin/faults', { service: 'sts', operation: 'AssumeRoleWithWebIdentity', count: 1, kind: 'http503' });
  await assert.rejects(stsClient(sb).send(new AssumeRoleWithWebIdentityCommand({ RoleArn: sb.ready.role_arn, RoleSessionName: 'abc', WebIdentityToken: Token })),
    (e) => e.$metadata.httpStatusCode === 503);

  await sb.admin('POST', '/admin/faults', { service: 'cognito-identity', operation: 'GetId', count: 1, kind: 'malformed' });
  await assert.rejects(getId(), (e) => e.$metadata?.httpStatusCode === 200 || /Deserializ|JSON|Unexpected/i.test(`${e.name} ${e.message}`));

  await sb.admin('POST', '/admin/faults', { service: 'cognito-identity', operation: 'GetId', count: 1, kind: 'reset' });
  await assert.rejects(getId(), (e) => /ECONNRESET|socket hang up|ECONNREFUSED|EPIPE/.test(`${e.code} ${e.message}`));

  await sb.admin('POST', '/admin/faults', { service: 'oidc', operation: 'jwks', count: 1, kind: 'delay', delay_ms: 400 });
  const t0 = Date.now();
  const jw = await request(`${sb.ready.issuer}.well-known/jwks.json`, { ca: sb.ca });
  assert.equal(jw.status, 200);
  assert.ok(Date.now() - t0 >= 380);

  await sb.admin('POST', '/admin/faults', { service: 'oidc', operation: 'token', count: 5, kind: 'http503' });
  const del = await sb.admin('DELETE', '/admin/faults');
  assert.equal(del.status, 200);
  assert.equal((await sb.admin('GET', '/admin/faults')).body.faults.length, 0);
  assert.equal((await sb.admin('POST', '/admin/faults', { service: 'nope', kind: 'http500' })).status, 400);
});

test('rotate-key: new kid signs, old tokens keep working until drop_old', async () => {
  const before1 = decodeJwt(alice.id_token).header.kid;
  const r = await sb.admin('POST', '/admin/rotate-key', {});
  assert.equal(r.status, 200);
  const jwks = (await request(`${sb.ready.issuer}.well-known/jwks.json`, { ca: sb.ca })).json();
  assert.deepEqual(jwks.keys.map((k) => k.kid).slice(0, 2), [r.body.kid, before1]);
  const fresh = (await login(sb, { username: 'alice@example.com' })).tokens;
  assert.equal(decodeJwt(fresh.id_token).header.kid, r.body.kid);
  await getId(alice.id_token);
  await getId(fresh.id_token);
  const r2 = await sb.admin('POST', '/admin/rotate-key', { drop_old: true });
  const jwks2 = (await request(`${sb.ready.issuer}.well-known/jwks.json`, { ca: sb.ca })).json();
  assert.deepEqual(jwks2.keys.map((k) => k.kid), [r2.body.kid]);
  await assert.rejects(getId(fresh.id_token), (e) => e.message === "Invalid login token. Couldn't verify signed token.");
  alice = (await login(sb, { username: 'alice@example.com' })).tokens;
  await getId(alice.id_token);
});

test('lifetimes: ID token lifetime and credential lifetime are configurable', async () => {
  await sb.admin('POST', '/admin/lifetimes', { id_token: 120, credentials: 900 });
  try {
    const t = (await login(sb, { username: 'carol@example.com' })).tokens;
    const p = decodeJwt(t.id_token).payload;
    assert.equal(p.exp - p.iat, 120);
    const { IdentityId } = await getId(t.id_token);
    const c = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(t.id_token) }));
    assert.ok(Math.abs(c.Credentials.Expiration.getTime() - Date.now() - 900e3) < 5000);
  } finally {
    await sb.admin('POST', '/admin/lifetimes', { id_token: 36000, credentials: 3600 });
  }
  assert.equal((await sb.admin('POST', '/admin/lifetimes', { id_token: -1 })).status, 400);
});

test('revoke: refresh tokens of that user stop working', async () => {
  const r = await login(sb, { username: 'bob@example.com' });
  const refresh = () => request(`${sb.ready.issuer}oauth/token`, {
    method: 'POST', ca: sb.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ grant_type: 'refresh_token', client_id: sb.ready.client_id, refresh_token: r.tokens.refresh_token }),
  });
  assert.equal((await refresh()).status, 200);
  const sub = sb.ready.users.find((u) => u.username === 'bob@example.com').sub;
  const rv = await sb.admin('POST', '/admin/revoke', { sub });
  assert.equal(rv.status, 200);
  const after1 = await refresh();
  assert.equal(after1.status, 400);
  assert.equal(after1.json().error, 'invalid_grant');
  // The SSO session is gone too: the login page shows again.
  const again = await login(sb, { jar: r.jar });
  assert.ok(again.loginPage);
});

test('request log: GET /admin/requests and DIR/requests.log', async () => {
  const { next } = (await sb.admin('GET', '/admin/requests?since=0')).body;
  await getId();
  await assert.rejects(ci.send(new GetIdCommand({ IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000', Logins: logins(alice.id_token) })));
  const { body } = await sb.admin('GET', `/admin/requests?since=${next}`);
  assert.ok(body.next >= next + 2);
  const ids = body.requests.filter((e) => e.service === 'cognito-identity' && e.operation === 'GetId');
  assert.equal(ids.length, 2);
  assert.deepEqual(ids.map((e) => e.status), [200, 400]);
  for (const e of ids) {
    assert.ok(Number.isInteger(e.seq));
    assert.ok(typeof e.duration_ms === 'number');
  }
  const lines = fs.readFileSync(path.join(sb.dir, 'requests.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.some((l) => l.seq === ids[1].seq && l.status === 400 && l.service === 'cognito-identity'));
  assert.ok(lines.some((l) => l.service === 'oidc' && l.operation === 'token'));
});

test('reset: identities, datasets and grants back to fresh; pool and clients unchanged', async () => {
  const { IdentityId, creds } = await identityAndSync();
  const cs = syncClient(sb, creds);
  const ids = { IdentityPoolId: sb.ready.identity_pool_id, IdentityId, DatasetName: 'keep' };
  const l = await cs.send(new ListRecordsCommand(ids));
  await cs.send(new UpdateRecordsCommand({ ...ids, SyncSessionToken: l.SyncSessionToken, RecordPatches: [{ Op: 'replace', Key: 'a', Value: 'b', SyncCount: 0 }] }));
  const r = await login(sb, { username: 'carol@example.com' });
  assert.equal((await sb.admin('POST', '/admin/reset')).status, 200);
  const after1 = await getId();
  assert.notEqual(after1.IdentityId, IdentityId);
  const refreshed = await request(`${sb.ready.issuer}oauth/token`, {
    method: 'POST', ca: sb.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ grant_type: 'refresh_token', client_id: sb.ready.client_id, refresh_token: r.tokens.refresh_token }),
  });
  assert.equal(refreshed.status, 400);
});

// Issue #11.8: the admin API answers only requests that a page in a browser cannot forge.
test('admin API: a foreign Host header (DNS rebinding) is refused and reveals nothing', async () => {
  const base = new URL(sb.ready.admin_url);
  const evil = await request(new URL('/admin', base).href, { headers: { host: `rebind.attacker.example:${base.port}` } });
  assert.equal(evil.status, 403);
  assert.ok(!evil.body.includes(sb.ready.users[0].password), 'no password in the refusal');
  assert.ok(!evil.body.includes(sb.ready.developer_credentials.secret_access_key), 'no secret key in the refusal');
  for (const host of [`127.0.0.1:${base.port}`, `localhost:${base.port}`, `[::1]:${base.port}`, 'localhost']) {
    assert.equal((await request(new URL('/admin', base).href, { headers: { host } })).status, 200, host);
  }
});

test('admin API: a form post (no JSON content type) cannot revoke or reset', async () => {
  const bob = (await login(sb, { username: 'bob@example.com' })).tokens;
  const base = new URL(sb.ready.admin_url);
  for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', undefined]) {
    const headers = type ? { 'content-type': type } : {};
    const body = type === 'application/x-www-form-urlencoded' ? 'username=bob%40example.com' : '{"username":"bob@example.com"}';
    const r = await request(new URL('/admin/revoke', base).href, { method: 'POST', headers, body });
    assert.equal(r.status, 415, `${type}: ${r.body}`);
    assert.equal((await request(new URL('/admin/reset', base).href, { method: 'POST', headers, body: '' })).status, 415);
  }
  // Bob's refresh token still works: nothing was revoked.
  const refreshed = await request(`${sb.ready.issuer}oauth/token`, {
    method: 'POST', ca: sb.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ grant_type: 'refresh_token', client_id: sb.ready.client_id, refresh_token: bob.refresh_token }),
  });
  assert.equal(refreshed.status, 200);
  // The same call with a JSON content type does revoke.
  const ok = await request(new URL('/admin/revoke', base).href, {
    method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"username":"bob@example.com"}',
  });
  assert.equal(ok.status, 200);
});

test('ready.json, profile.json and state.json are owner-only (0600)', async () => {
  for (const f of ['ready.json', 'profile.json']) {
    assert.equal(fs.statSync(path.join(sb.dir, f)).mode & 0o777, 0o600, f);
  }
  assert.equal(fs.statSync(sb.dir).mode & 0o077, 0, 'data dir not open to others');
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 100 && !fs.existsSync(path.join(sb.dir, 'state.json')); i += 1) {
      await new Promise((r) => { setTimeout(r, 50); });
    }
  });
  assert.equal(fs.statSync(path.join(sb.dir, 'state.json')).mode & 0o777, 0o600, 'state.json');
});
