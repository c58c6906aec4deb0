// Support tooling's side of the emulator, checked with AWS's own SDK v3 clients: a seeded pool,
// ListIdentities paging and validation, DescribeIdentity / DescribeIdentityUsage / DescribeDataset,
// GetCallerIdentity, and the AccessDenied a staff key with a narrower policy gets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ListIdentitiesCommand, DescribeIdentityCommand } from '@aws-sdk/client-cognito-identity';
import {
  DescribeIdentityUsageCommand, DescribeDatasetCommand, ListDatasetsCommand, ListRecordsCommand, UpdateRecordsCommand,
} from '@aws-sdk/client-cognito-sync';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import https from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, login } from './helpers.js';
import { identityClient, syncClient, developerCredentials } from './aws-clients.js';

let sb; let dev; let devSync;
const pool = () => sb.ready.identity_pool_id;

before(async () => {
  sb = await startSandbox();
  dev = identityClient(sb, developerCredentials(sb));
  devSync = syncClient(sb, developerCredentials(sb));
});
after(async () => { await sb?.stop(); });

async function rejects(promise, name, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message instanceof RegExp) assert.match(e.message, message);
    return true;
  });
}

function sts(credentials) {
  return new STSClient({
    region: sb.ready.region, endpoint: sb.ready.endpoints.sts, credentials, maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: sb.ca, keepAlive: false }) }),
  });
}

test('seed creates identities quickly, answers with them, and ListIdentities pages through all with NextToken', async () => {
  const t0 = Date.now();
  const seeded = await sb.admin('POST', '/admin/seed', { identities: 250, datasets: 2, cards: true });
  assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
  assert.ok(Date.now() - t0 < 5000, 'seeding 250 identities takes well under 5 s');
  assert.equal(seeded.body.created, 250);
  assert.equal(seeded.body.identities.length, 250);
  const first = seeded.body.identities[0];
  assert.match(first.identity_id, /^us-east-1:[0-9a-f-]{36}$/);
  assert.match(first.sub, /^auth0\|seed-\d{6}$/);
  assert.match(first.email, /@seed\.example$/);

  const seen = [];
  let token;
  let pages = 0;
  do {
    const page = await dev.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 60, NextToken: token }));
    assert.ok(page.Identities.length <= 60);
    for (const i of page.Identities) {
      assert.ok(i.CreationDate instanceof Date && i.LastModifiedDate instanceof Date);
      assert.deepEqual(i.Logins, [sb.ready.provider_name]);
      seen.push(i.IdentityId);
    }
    token = page.NextToken;
    pages += 1;
  } while (token);
  assert.equal(pages, Math.ceil(250 / 60));
  assert.equal(new Set(seen).size, 250, 'no identity twice, none missing');
  assert.deepEqual(seen, seeded.body.identities.map((i) => i.identity_id), 'oldest first, as created');
});

test('ListIdentities validates MaxResults 1-60 and the NextToken', async () => {
  await rejects(dev.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 61 })), 'InvalidParameterException', /less than or equal to 60/);
  await rejects(dev.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 0 })), 'InvalidParameterException', /greater than or equal to 1/);
  await rejects(dev.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 5, NextToken: 'bogus!!' })), 'InvalidParameterException', /token is not valid/);
});

test('DescribeIdentity, DescribeIdentityUsage and DescribeDataset for a seeded identity', async () => {
  const seeded = await sb.admin('POST', '/admin/seed', { identities: 1, datasets: 3 });
  const id = seeded.body.identities[0].identity_id;
  const d = await dev.send(new DescribeIdentityCommand({ IdentityId: id }));
  assert.equal(d.IdentityId, id);
  const usage = await devSync.send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool(), IdentityId: id }));
  assert.equal(usage.IdentityUsage.DatasetCount, 3);
  assert.ok(usage.IdentityUsage.DataStorage > 0);
  assert.ok(usage.IdentityUsage.LastModifiedDate instanceof Date);
  const ds = await devSync.send(new DescribeDatasetCommand({ IdentityPoolId: pool(), IdentityId: id, DatasetName: 'seed-2' }));
  assert.equal(ds.Dataset.NumRecords, 2);
  const list = await devSync.send(new ListDatasetsCommand({ IdentityPoolId: pool(), IdentityId: id }));
  assert.deepEqual(list.Datasets.map((x) => x.DatasetName), ['seed-1', 'seed-2', 'seed-3']);
});

test('a real sign-in adds an identity at the end of the listing', async () => {
  const before1 = await sb.admin('POST', '/admin/seed', { identities: 1 });
  assert.equal(before1.status, 200);
  const { tokens } = await login(sb, { username: 'carol@example.com' });
  const ci = identityClient(sb);
  const { GetIdCommand } = await import('@aws-sdk/client-cognito-identity');
  const got = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: { [sb.ready.provider_name]: tokens.id_token } }));
  let token; let last;
  do {
    const page = await dev.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 60, NextToken: token }));
    last = page.Identities.at(-1)?.IdentityId ?? last;
    token = page.NextToken;
  } while (token);
  assert.equal(last, got.IdentityId);
});

test('GetCallerIdentity names the developer user; a staff key with a narrower policy gets AccessDenied for what it lacks', async () => {
  const me = await sts(developerCredentials(sb)).send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:iam::${sb.ready.account_id}:user/fedsync-support`);
  assert.equal(me.Account, sb.ready.account_id);

  const key = await sb.admin('POST', '/admin/staff-keys', { name: 'support-readonly', deny: ['cognito-sync:UpdateRecords', 'cognito-identity:ListIdentities'] });
  assert.equal(key.status, 200);
  const creds = { accessKeyId: key.body.access_key_id, secretAccessKey: key.body.secret_access_key };
  const who = await sts(creds).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:iam::${sb.ready.account_id}:user/support-readonly`);

  const seeded = await sb.admin('POST', '/admin/seed', { identities: 1, datasets: 1 });
  const id = seeded.body.identities[0].identity_id;
  const staffSync = syncClient(sb, creds);
  const read = await staffSync.send(new ListRecordsCommand({ IdentityPoolId: pool(), IdentityId: id, DatasetName: 'seed-1' }));
  assert.equal(read.Records.length, 2);
  await rejects(staffSync.send(new UpdateRecordsCommand({
    IdentityPoolId: pool(), IdentityId: id, DatasetName: 'seed-1', SyncSessionToken: read.SyncSessionToken,
    RecordPatches: [{ Op: 'replace', Key: 'greeting', Value: 'x', SyncCount: 1 }],
  })), 'AccessDeniedException', /not authorized to perform: cognito-sync:UpdateRecords on resource: arn:aws:cognito-sync:.*because no identity-based policy allows/);
  await rejects(identityClient(sb, creds).send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 5 })), 'AccessDeniedException', /cognito-identity:ListIdentities/);
  // The developer key keeps its full policy.
  const write = await devSync.send(new UpdateRecordsCommand({
    IdentityPoolId: pool(), IdentityId: id, DatasetName: 'seed-1', SyncSessionToken: read.SyncSessionToken,
    RecordPatches: [{ Op: 'replace', Key: 'greeting', Value: 'x', SyncCount: 1 }],
  }));
  assert.equal(write.Records[0].LastModifiedBy, `arn:aws:iam::${sb.ready.account_id}:user/fedsync-support`);
});

test('a pool of 100,000: seeding and the first and last pages are fast', async () => {
  const t0 = Date.now();
  const seeded = await sb.admin('POST', '/admin/seed', { identities: 100000 });
  const seedMs = Date.now() - t0;
  assert.equal(seeded.status, 200);
  assert.equal(seeded.body.truncated, true);
  assert.ok(seedMs < 15000, `seeded in ${seedMs} ms`);
  const t1 = Date.now();
  const page = await dev.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 60 }));
  assert.equal(page.Identities.length, 60);
  const t2 = Date.now();
  // Jump to the last page with a token as the service would hand it out.
  const total = seeded.body.pool_size;
  const lastToken = Buffer.from(String(total - 10)).toString('base64url');
  const last = await dev.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 60, NextToken: lastToken }));
  assert.equal(last.Identities.length, 10);
  assert.equal(last.NextToken, undefined);
  assert.ok(t2 - t1 < 1000 && Date.now() - t2 < 1000, `pages answer in well under a second (${t2 - t1} ms, ${Date.now() - t2} ms)`);
});
