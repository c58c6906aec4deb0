// Interop with the official Cognito Sync Manager (amazon-cognito-js on aws-sdk v2), two "devices"
// (two managers with their own in-memory stores) syncing one dataset both ways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { createRequire } from 'node:module';
import { ListRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { startSandbox, login } from './helpers.js';
import { syncClient, developerCredentials } from './aws-clients.js';

const require = createRequire(import.meta.url);
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
const AWS = require('aws-sdk');
require('amazon-cognito-js');

let sb;
before(async () => { sb = await startSandbox(); });
after(async () => { await sb?.stop(); });

const p = (fn) => new Promise((resolve, reject) => { fn((err, v) => (err ? reject(err) : resolve(v))); });

function device(idToken) {
  const agent = new https.Agent({ ca: sb.ca });
  AWS.config.update({
    region: sb.ready.region,
    httpOptions: { agent },
    maxRetries: 0,
    cognitosync: { endpoint: sb.ready.endpoints.cognito_sync },
  });
  AWS.config.credentials = new AWS.CognitoIdentityCredentials(
    { IdentityPoolId: sb.ready.identity_pool_id, Logins: { [sb.ready.provider_name]: idToken } },
    { region: sb.ready.region, endpoint: sb.ready.endpoints.cognito_identity, httpOptions: { agent } },
  );
  return p((cb) => AWS.config.credentials.get(cb)).then(() => new AWS.CognitoSyncManager({ DataStore: AWS.CognitoSyncManager.StoreInMemory }));
}

function sync(dataset, { onConflict } = {}) {
  return new Promise((resolve, reject) => {
    let done = false; // amazon-cognito-js can call back twice: keep the first.
    dataset.synchronize({
      onSuccess(ds, updates) { if (!done) { done = true; resolve(updates || []); } },
      onFailure(err) { if (!done) { done = true; reject(err); } },
      onConflict: onConflict || ((ds, conflicts, cb) => {
        ds.resolve(conflicts.map((c) => c.resolveWithRemoteRecord()), () => cb(true));
      }),
      onDatasetDeleted(ds, name, cb) { cb(true); },
      onDatasetsMerged(ds, names, cb) { cb(true); },
    });
  });
}

test('CognitoSyncManager: two devices sync a dataset both ways, with a conflict', { timeout: 60000 }, async () => {
  const { tokens } = await login(sb, { username: 'alice@example.com' });
  const mgrA = await device(tokens.id_token);
  const identityId = AWS.config.credentials.identityId;
  assert.match(identityId, /^us-east-1:/);
  const dsA = await p((cb) => mgrA.openOrCreateDataset('notes', cb));
  await p((cb) => dsA.put('title', 'Groceries', cb));
  await p((cb) => dsA.put('body', 'milk, eggs', cb));
  await sync(dsA);

  // The server holds what device A pushed (checked with the v3 client and the developer credentials).
  const dev = syncClient(sb, developerCredentials(sb));
  const server = await dev.send(new ListRecordsCommand({ IdentityPoolId: sb.ready.identity_pool_id, IdentityId: identityId, DatasetName: 'notes' }));
  assert.deepEqual(Object.fromEntries(server.Records.map((r) => [r.Key, r.Value])), { title: 'Groceries', body: 'milk, eggs' });

  // Device B (its own local store) pulls, then pushes a change.
  const mgrB = await device(tokens.id_token);
  assert.equal(AWS.config.credentials.identityId, identityId);
  const dsB = await p((cb) => mgrB.openOrCreateDataset('notes', cb));
  await sync(dsB);
  assert.equal(await p((cb) => dsB.get('title', cb)), 'Groceries');
  await p((cb) => dsB.put('body', 'milk, eggs, bread', cb));
  await p((cb) => dsB.remove('title', cb));
  await sync(dsB);

  // Device A pulls B's change.
  await sync(dsA);
  assert.equal(await p((cb) => dsA.get('body', cb)), 'milk, eggs, bread');
  // amazon-cognito-js turns a remotely removed record (no Value) into '' (its Record does Value || '').
  assert.ok(!(await p((cb) => dsA.get('title', cb))));

  // Both edit the same key: B wins the race, A gets onConflict and keeps the remote value.
  await p((cb) => dsB.put('body', 'from B', cb));
  await sync(dsB);
  await p((cb) => dsA.put('body', 'from A', cb));
  let conflicts = 0;
  await sync(dsA, {
    onConflict(ds, list, cb) {
      conflicts += list.length;
      assert.equal(list[0].getKey(), 'body');
      assert.equal(list[0].getRemoteRecord().getValue(), 'from B');
      ds.resolve(list.map((c) => c.resolveWithRemoteRecord()), () => cb(true));
    },
  });
  assert.equal(conflicts, 1);
  assert.equal(await p((cb) => dsA.get('body', cb)), 'from B');
  const final = await dev.send(new ListRecordsCommand({ IdentityPoolId: sb.ready.identity_pool_id, IdentityId: identityId, DatasetName: 'notes' }));
  assert.equal(final.Records.find((r) => r.Key === 'body').Value, 'from B');
});
