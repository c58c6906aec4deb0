import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { GetIdCommand, GetCredentialsForIdentityCommand } from '@aws-sdk/client-cognito-identity';
import { ListRecordsCommand, UpdateRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { startSandbox, login, request, form } from './helpers.js';
import { identityClient, syncClient } from './aws-clients.js';

async function session(sb, username) {
  const tokens = (await login(sb, { username })).tokens;
  const Logins = { [sb.ready.provider_name]: tokens.id_token };
  const ci = identityClient(sb);
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins }));
  const c = (await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }))).Credentials;
  const cs = syncClient(sb, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken });
  return { tokens, IdentityId, cs, ids: { IdentityPoolId: sb.ready.identity_pool_id, IdentityId } };
}

test('SIGTERM stops cleanly; a restart on the same DIR keeps pool, clients, keys, identities and datasets', { timeout: 60000 }, async () => {
  const sb1 = await startSandbox();
  let s;
  try {
    s = await session(sb1, 'alice@example.com');
    const l = await s.cs.send(new ListRecordsCommand({ ...s.ids, DatasetName: 'prefs' }));
    await s.cs.send(new UpdateRecordsCommand({ ...s.ids, DatasetName: 'prefs', SyncSessionToken: l.SyncSessionToken, RecordPatches: [{ Op: 'replace', Key: 'color', Value: 'teal', SyncCount: 0 }] }));
  } finally {
    const exit = await sb1.stop();
    assert.deepEqual(exit, { code: 0, sig: null });
  }
  assert.ok(!fs.existsSync(`${sb1.dir}/ready.json`), 'ready.json removed on stop');
  const jwks1 = JSON.parse(fs.readFileSync(`${sb1.dir}/state.json`, 'utf8')).oidcKeys.map((k) => k.kid);

  const sb2 = await startSandbox({ dataDir: sb1.dir });
  try {
    assert.ok(sb2.ready.startup_ms < 5000, `restart took ${sb2.ready.startup_ms} ms (wall ${sb2.startupMs} ms)`);
    for (const k of ['identity_pool_id', 'client_id', 'hs256_client_id', 'role_arn', 'ca_file']) assert.equal(sb2.ready[k], sb1.ready[k], k);
    assert.deepEqual(sb2.ready.developer_credentials, sb1.ready.developer_credentials);
    const jwks2 = (await request(`${sb2.ready.issuer}.well-known/jwks.json`, { ca: sb2.ca })).json().keys.map((k) => k.kid);
    assert.deepEqual(jwks2, jwks1);
    const s2 = await session(sb2, 'alice@example.com');
    assert.equal(s2.IdentityId, s.IdentityId);
    const recs = await s2.cs.send(new ListRecordsCommand({ ...s2.ids, DatasetName: 'prefs' }));
    assert.equal(recs.Records[0].Value, 'teal');
  } finally {
    await sb2.stop();
  }
});

test('fixed --port-base gives stable URLs and refresh tokens survive a restart', { timeout: 60000 }, async () => {
  const base = 20000 + Math.floor(Math.random() * 12000); // below the ephemeral port range
  const sb1 = await startSandbox({ portBase: base });
  let rt;
  try {
    assert.equal(sb1.ready.issuer, `https://127.0.0.1:${base}/`);
    assert.equal(sb1.ready.endpoints.cognito_sync, `https://127.0.0.1:${base + 3}/`);
    assert.equal(sb1.ready.admin_url, `http://127.0.0.1:${base + 4}/`);
    rt = (await login(sb1, { username: 'carol@example.com' })).tokens.refresh_token;
  } finally {
    await sb1.stop();
  }
  const sb2 = await startSandbox({ dataDir: sb1.dir, portBase: base });
  try {
    const res = await request(`${sb2.ready.issuer}oauth/token`, {
      method: 'POST', ca: sb2.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'refresh_token', client_id: sb2.ready.client_id, refresh_token: rt }),
    });
    assert.equal(res.status, 200, res.body);
  } finally {
    await sb2.stop();
  }
});
