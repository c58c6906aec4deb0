import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetIdCommand, GetCredentialsForIdentityCommand } from '@aws-sdk/client-cognito-identity';
import {
  ListRecordsCommand, UpdateRecordsCommand, ListDatasetsCommand, DescribeDatasetCommand, DeleteDatasetCommand,
} from '@aws-sdk/client-cognito-sync';
import { startSandbox, login, request } from './helpers.js';
import { identityClient, syncClient, developerCredentials } from './aws-clients.js';

let sb; let ci; const users = {};
before(async () => {
  sb = await startSandbox();
  ci = identityClient(sb);
  for (const name of ['alice', 'bob']) {
    const tokens = (await login(sb, { username: `${name}@example.com` })).tokens;
    users[name] = { tokens, ...(await credsFor(tokens.id_token)) };
  }
});
after(async () => { await sb?.stop(); });

async function credsFor(idToken) {
  const Logins = { [sb.ready.provider_name]: idToken };
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins }));
  const c = (await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }))).Credentials;
  return { identityId: IdentityId, creds: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken } };
}

const ids = (u, DatasetName) => ({ IdentityPoolId: sb.ready.identity_pool_id, IdentityId: u.identityId, ...(DatasetName ? { DatasetName } : {}) });

async function rejects(promise, name, message, status) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    if (status) assert.equal(e.$metadata.httpStatusCode, status);
    return true;
  });
}

test('sync round trip with the v3 client: list, update, conflict, remove, describe, list datasets, delete', async () => {
  const a = users.alice;
  const cs = syncClient(sb, a.creds);
  const l0 = await cs.send(new ListRecordsCommand({ ...ids(a, 'settings'), LastSyncCount: 0 }));
  assert.equal(l0.DatasetExists, false);
  assert.equal(l0.DatasetSyncCount, 0);
  assert.deepEqual(l0.Records, []);
  assert.ok(l0.SyncSessionToken);
  const now = new Date();
  const u1 = await cs.send(new UpdateRecordsCommand({
    ...ids(a, 'settings'), SyncSessionToken: l0.SyncSessionToken, DeviceId: 'device-1', ClientContext: Buffer.from('{}').toString('base64'),
    RecordPatches: [
      { Op: 'replace', Key: 'theme', Value: 'dark', SyncCount: 0, DeviceLastModifiedDate: now },
      { Op: 'replace', Key: 'lang', Value: 'fr', SyncCount: 0, DeviceLastModifiedDate: now },
    ],
  }));
  assert.equal(u1.Records.length, 2);
  assert.equal(u1.Records[0].SyncCount, 1);
  assert.ok(u1.Records[0].LastModifiedDate instanceof Date);
  assert.equal(u1.Records[0].DeviceLastModifiedDate.getTime(), Math.floor(now.getTime() / 1000) * 1000 + (now.getTime() % 1000));
  const l1 = await cs.send(new ListRecordsCommand({ ...ids(a, 'settings'), LastSyncCount: 0 }));
  assert.equal(l1.DatasetExists, true);
  assert.equal(l1.DatasetSyncCount, 1);
  assert.equal(l1.Count, 2);
  assert.deepEqual(l1.Records.map((r) => [r.Key, r.Value]).sort(), [['lang', 'fr'], ['theme', 'dark']]);
  assert.deepEqual(l1.MergedDatasetNames, []);
  assert.equal(l1.DatasetDeletedAfterRequestedSyncCount, false);
  // Stale SyncCount -> 409 ResourceConflictException.
  await rejects(cs.send(new UpdateRecordsCommand({
    ...ids(a, 'settings'), SyncSessionToken: l1.SyncSessionToken, RecordPatches: [{ Op: 'replace', Key: 'theme', Value: 'light', SyncCount: 0 }],
  })), 'ResourceConflictException', 'Current SyncCount for: theme is: 1 not: 0', 409);
  const u2 = await cs.send(new UpdateRecordsCommand({
    ...ids(a, 'settings'), SyncSessionToken: l1.SyncSessionToken, DeviceId: 'device-1',
    RecordPatches: [{ Op: 'replace', Key: 'theme', Value: 'light', SyncCount: 1 }, { Op: 'remove', Key: 'lang', SyncCount: 1 }],
  }));
  assert.equal(u2.Records[1].Value, undefined);
  const l2 = await cs.send(new ListRecordsCommand({ ...ids(a, 'settings'), LastSyncCount: 1 }));
  assert.equal(l2.DatasetSyncCount, 2);
  assert.deepEqual(l2.Records.map((r) => [r.Key, r.Value, r.SyncCount]).sort(), [['lang', undefined, 2], ['theme', 'light', 2]]);
  const paged = await cs.send(new ListRecordsCommand({ ...ids(a, 'settings'), LastSyncCount: 0, MaxResults: 1 }));
  assert.equal(paged.Records.length, 1);
  assert.ok(paged.NextToken);
  const rest = await cs.send(new ListRecordsCommand({ ...ids(a, 'settings'), LastSyncCount: 0, MaxResults: 1, NextToken: paged.NextToken }));
  assert.equal(rest.Records.length, 1);
  assert.notEqual(rest.Records[0].Key, paged.Records[0].Key);
  const desc = await cs.send(new DescribeDatasetCommand(ids(a, 'settings')));
  assert.equal(desc.Dataset.DatasetName, 'settings');
  assert.equal(desc.Dataset.NumRecords, 1);
  assert.equal(desc.Dataset.DataStorage, 'theme'.length + 'light'.length);
  assert.ok(desc.Dataset.CreationDate instanceof Date);
  const list = await cs.send(new ListDatasetsCommand(ids(a)));
  assert.deepEqual(list.Datasets.map((d) => d.DatasetName), ['settings']);
  const del = await cs.send(new DeleteDatasetCommand(ids(a, 'settings')));
  assert.equal(del.Dataset.DatasetName, 'settings');
  await rejects(cs.send(new DescribeDatasetCommand(ids(a, 'settings'))), 'ResourceNotFoundException', undefined, 404);
  const l3 = await cs.send(new ListRecordsCommand({ ...ids(a, 'settings'), LastSyncCount: 2 }));
  assert.equal(l3.DatasetExists, false);
  assert.equal(l3.DatasetDeletedAfterRequestedSyncCount, true);
});

test('limits and parameter errors', async () => {
  const b = users.bob;
  const cs = syncClient(sb, b.creds);
  await rejects(cs.send(new ListRecordsCommand(ids(b, 'bad name!'))), 'InvalidParameterException', undefined, 400);
  await rejects(cs.send(new ListRecordsCommand(ids(b, 'x'.repeat(129)))), 'InvalidParameterException');
  const put = async (name, patches) => {
    const l = await cs.send(new ListRecordsCommand(ids(b, name)));
    return cs.send(new UpdateRecordsCommand({ ...ids(b, name), SyncSessionToken: l.SyncSessionToken, RecordPatches: patches }));
  };
  await rejects(put('keys', [{ Op: 'replace', Key: 'k'.repeat(1025), Value: 'v', SyncCount: 0 }]), 'InvalidParameterException');
  await put('keys', [{ Op: 'replace', Key: 'k'.repeat(1024), Value: 'v', SyncCount: 0 }]);
  // 1 MB per dataset.
  await put('big', [{ Op: 'replace', Key: 'a', Value: 'x'.repeat(600 * 1024), SyncCount: 0 }]);
  await rejects(put('big', [{ Op: 'replace', Key: 'b', Value: 'x'.repeat(600 * 1024), SyncCount: 0 }]), 'LimitExceededException', undefined, 400);
  // 1024 live records per dataset, counted after the patches: removals make room in the same call.
  const many = (from, n) => Array.from({ length: n }, (_, i) => ({ Op: 'replace', Key: `r${from + i}`, Value: 'v', SyncCount: 0 }));
  await put('keys', many(0, 1023)); // + the long key: 1024
  await rejects(put('keys', many(2000, 1)), 'LimitExceededException', "Dataset 'keys' would exceed the maximum of 1024 records per dataset.", 400);
  const listed = await cs.send(new ListRecordsCommand({ ...ids(b, 'keys'), LastSyncCount: 0 }));
  assert.equal(listed.Records.length, 1024);
  await put('keys', [{ Op: 'remove', Key: 'r0', SyncCount: 2 }, ...many(3000, 1)]);
  // 20 datasets per identity (two exist already).
  for (let i = 0; i < 18; i += 1) await put(`ds.${i}`, [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]);
  await rejects(put('ds.overflow', [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]), 'LimitExceededException');
  const all = await cs.send(new ListDatasetsCommand({ ...ids(b), MaxResults: 60 }));
  assert.equal(all.Datasets.length, 20);
  await rejects(cs.send(new UpdateRecordsCommand({ ...ids(b, 'keys'), SyncSessionToken: 'made-up', RecordPatches: [] })), 'InvalidParameterException');
  for (const d of all.Datasets) await cs.send(new DeleteDatasetCommand(ids(b, d.DatasetName)));
});

test('authorization: own datasets only, developer credentials reach everyone, bad signatures and expired sessions rejected', async () => {
  const a = users.alice; const b = users.bob;
  const asBob = syncClient(sb, b.creds);
  await rejects(asBob.send(new ListRecordsCommand(ids(a, 'settings'))), 'NotAuthorizedException', undefined, 403);
  await rejects(asBob.send(new ListDatasetsCommand(ids(a))), 'NotAuthorizedException');
  const asAlice = syncClient(sb, a.creds);
  const l = await asAlice.send(new ListRecordsCommand(ids(a, 'support')));
  await asAlice.send(new UpdateRecordsCommand({ ...ids(a, 'support'), SyncSessionToken: l.SyncSessionToken, RecordPatches: [{ Op: 'replace', Key: 'note', Value: 'hi', SyncCount: 0 }] }));
  const dev = syncClient(sb, developerCredentials(sb));
  const seen = await dev.send(new ListRecordsCommand(ids(a, 'support')));
  assert.equal(seen.Records[0].Value, 'hi');
  assert.ok((await dev.send(new ListDatasetsCommand(ids(a)))).Datasets.some((d) => d.DatasetName === 'support'));
  // Wrong secret.
  const forged = syncClient(sb, { ...a.creds, secretAccessKey: 'A'.repeat(40) });
  await rejects(forged.send(new ListDatasetsCommand(ids(a))), 'InvalidSignatureException', /signature we calculated does not match/, 403);
  // Unknown key and missing session token.
  await rejects(syncClient(sb, { accessKeyId: 'ASIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x', sessionToken: 'y' }).send(new ListDatasetsCommand(ids(a))), 'UnrecognizedClientException');
  await rejects(syncClient(sb, { accessKeyId: a.creds.accessKeyId, secretAccessKey: a.creds.secretAccessKey }).send(new ListDatasetsCommand(ids(a))), 'UnrecognizedClientException');
  // Unsigned.
  const raw = await request(`${sb.ready.endpoints.cognito_sync}identitypools/${encodeURIComponent(sb.ready.identity_pool_id)}/identities/${encodeURIComponent(a.identityId)}/datasets`, { ca: sb.ca });
  assert.equal(raw.status, 403);
  assert.match(raw.headers['x-amzn-errortype'], /^MissingAuthenticationTokenException/);
  assert.deepEqual(Object.keys(raw.json()), ['message']);
  // Expired session credentials.
  await sb.admin('POST', '/admin/lifetimes', { credentials: 1 });
  try {
    const short = await credsFor(a.tokens.id_token);
    await new Promise((r) => { setTimeout(r, 1100); });
    await rejects(syncClient(sb, short.creds).send(new ListDatasetsCommand(ids(a))), 'ExpiredTokenException', 'The security token included in the request is expired', 403);
  } finally {
    await sb.admin('POST', '/admin/lifetimes', { credentials: 3600 });
  }
});

test('clock skew over 15 minutes: "Signature expired"; the SDK corrects its clock from the Date header and retries', async () => {
  const a = users.alice;
  await sb.admin('POST', '/admin/clock', { skew_seconds: 1200 });
  try {
    await rejects(syncClient(sb, a.creds).send(new ListDatasetsCommand(ids(a))), 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    const retrying = syncClient(sb, a.creds, { maxAttempts: 3 });
    const ok = await retrying.send(new ListDatasetsCommand(ids(a)));
    assert.equal(ok.$metadata.httpStatusCode, 200);
  } finally {
    await sb.admin('POST', '/admin/clock', { skew_seconds: 0 });
  }
});
