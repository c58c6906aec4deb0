// The AWS CLI (botocore) as a second, independent judge of wire compatibility, over TLS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { GetCredentialsForIdentityCommand } from '@aws-sdk/client-cognito-identity';
import { ListRecordsCommand, UpdateRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { startSandbox, login } from './helpers.js';
import { identityClient, syncClient } from './aws-clients.js';

const run = promisify(execFile);
let sb; let env;
before(async () => {
  sb = await startSandbox();
  const cfg = path.join(sb.dir, 'aws-none');
  fs.writeFileSync(cfg, '');
  // Nothing from the user's own AWS setup; no network beyond 127.0.0.1.
  env = {
    PATH: process.env.PATH, HOME: sb.dir, AWS_CONFIG_FILE: cfg, AWS_SHARED_CREDENTIALS_FILE: cfg,
    AWS_EC2_METADATA_DISABLED: 'true', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '',
  };
});
after(async () => { await sb?.stop(); });

const aws = async (args, extraEnv = {}) => {
  try {
    const { stdout } = await run('aws', [...args, '--region', 'us-east-1', '--ca-bundle', sb.ready.ca_file, '--output', 'json'], { env: { ...env, ...extraEnv }, timeout: 60000 });
    return { ok: true, out: JSON.parse(stdout || '{}') };
  } catch (e) {
    return { ok: false, stderr: String(e.stderr) };
  }
};

test('aws cognito-identity get-id and cognito-sync list-records over TLS', { timeout: 120000 }, async () => {
  const { tokens } = await login(sb, { username: 'carol@example.com' });
  const logins = JSON.stringify({ [sb.ready.provider_name]: tokens.id_token });
  const getId = await aws(['cognito-identity', 'get-id', '--identity-pool-id', sb.ready.identity_pool_id, '--logins', logins,
    '--endpoint-url', sb.ready.endpoints.cognito_identity, '--no-sign-request']);
  assert.ok(getId.ok, getId.stderr);
  const identityId = getId.out.IdentityId;
  assert.match(identityId, /^us-east-1:/);

  const wrong = await aws(['cognito-identity', 'get-id', '--identity-pool-id', sb.ready.identity_pool_id,
    '--logins', JSON.stringify({ [sb.ready.domain]: tokens.id_token }), '--endpoint-url', sb.ready.endpoints.cognito_identity, '--no-sign-request']);
  assert.equal(wrong.ok, false);
  assert.match(wrong.stderr, /NotAuthorizedException.*Issuer doesn't match providerName/);

  const c = (await identityClient(sb).send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: JSON.parse(logins) }))).Credentials;
  const creds = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken };
  const cs = syncClient(sb, creds);
  const ids = { IdentityPoolId: sb.ready.identity_pool_id, IdentityId: identityId, DatasetName: 'cli-data' };
  const l = await cs.send(new ListRecordsCommand(ids));
  await cs.send(new UpdateRecordsCommand({ ...ids, SyncSessionToken: l.SyncSessionToken, RecordPatches: [{ Op: 'replace', Key: 'greeting', Value: 'hello from v3', SyncCount: 0 }] }));

  const credEnv = { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken };
  const lr = await aws(['cognito-sync', 'list-records', '--identity-pool-id', sb.ready.identity_pool_id, '--identity-id', identityId,
    '--dataset-name', 'cli-data', '--endpoint-url', sb.ready.endpoints.cognito_sync], credEnv);
  assert.ok(lr.ok, lr.stderr);
  assert.equal(lr.out.DatasetExists, true);
  assert.equal(lr.out.DatasetSyncCount, 1);
  assert.equal(lr.out.Records[0].Key, 'greeting');
  assert.equal(lr.out.Records[0].Value, 'hello from v3');

  const denied = await aws(['cognito-sync', 'list-records', '--identity-pool-id', sb.ready.identity_pool_id, '--identity-id', identityId,
    '--dataset-name', 'cli-data', '--endpoint-url', sb.ready.endpoints.cognito_sync], { ...credEnv, AWS_SECRET_ACCESS_KEY: 'B'.repeat(40) });
  assert.equal(denied.ok, false);
  assert.match(denied.stderr, /InvalidSignatureException/);

  const dev = await aws(['cognito-sync', 'list-datasets', '--identity-pool-id', sb.ready.identity_pool_id, '--identity-id', identityId,
    '--endpoint-url', sb.ready.endpoints.cognito_sync], {
    AWS_ACCESS_KEY_ID: sb.ready.developer_credentials.access_key_id, AWS_SECRET_ACCESS_KEY: sb.ready.developer_credentials.secret_access_key,
  });
  assert.ok(dev.ok, dev.stderr);
  assert.deepEqual(dev.out.Datasets.map((d) => d.DatasetName), ['cli-data']);
});
