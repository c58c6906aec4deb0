// The identity pool's configuration as the setup doctor reads it (DescribeIdentityPool, signed with the
// developer credentials) and the admin switches that make the pool's real refusals happen: an audience
// the pool does not accept, and the basic (classic) flow turned off.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeIdentityPoolCommand, GetIdCommand, GetOpenIdTokenCommand, GetCredentialsForIdentityCommand,
} from '@aws-sdk/client-cognito-identity';
import { startSandbox, login } from './helpers.js';
import { identityClient, developerCredentials } from './aws-clients.js';

let sb; let ci; let staff; let alice;
before(async () => {
  sb = await startSandbox();
  ci = identityClient(sb);
  staff = identityClient(sb, async () => developerCredentials(sb));
  alice = (await login(sb, { username: 'alice@example.com' })).tokens;
});
after(async () => { await sb?.stop(); });
beforeEach(async () => {
  const r = await sb.admin('POST', '/admin/pool', { client_ids: null, allow_classic_flow: true });
  assert.equal(r.status, 200);
});

const logins = (t) => ({ [sb.ready.provider_name]: t });
const describe = () => staff.send(new DescribeIdentityPoolCommand({ IdentityPoolId: sb.ready.identity_pool_id }));

test('DescribeIdentityPool lists the OpenID provider, its client ids and AllowClassicFlow', async () => {
  const pool = await describe();
  assert.equal(pool.IdentityPoolId, sb.ready.identity_pool_id);
  assert.deepEqual(pool.OpenIdConnectProviderARNs, [`arn:aws:iam::${sb.ready.account_id}:oidc-provider/${sb.ready.provider_name}`]);
  assert.equal(pool.AllowClassicFlow, true);
  assert.equal(pool.AllowUnauthenticatedIdentities, false);
  // The SDK drops fields AWS does not send; the sandbox's extra list of accepted audiences is in the raw reply
  // (and follows admin/pool).
  await sb.admin('POST', '/admin/pool', { client_ids: [sb.ready.client_id] });
  assert.deepEqual((await sb.admin('GET', '/admin')).body.pool.clientIds, [sb.ready.client_id]);
});

test('DescribeIdentityPool needs signed developer credentials', async () => {
  await assert.rejects(ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: sb.ready.identity_pool_id })));
});

test('an audience the pool does not accept: GetId is refused as Cognito does', async () => {
  assert.match((await ci.send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins: logins(alice.id_token) }))).IdentityId, /^us-east-1:/);
  const r = await sb.admin('POST', '/admin/pool', { client_ids: [sb.ready.hs256_client_id] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.client_ids, [sb.ready.hs256_client_id]);
  await assert.rejects(ci.send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins: logins(alice.id_token) })),
    (e) => e.name === 'NotAuthorizedException' && e.message === 'Token is not from a supported provider of this identity pool.');
});

test('classic flow off: GetOpenIdToken is refused, the enhanced flow still works', async () => {
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins: logins(alice.id_token) }));
  const r = await sb.admin('POST', '/admin/pool', { allow_classic_flow: false });
  assert.equal(r.status, 200);
  assert.equal((await describe()).AllowClassicFlow, false);
  await assert.rejects(ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins(alice.id_token) })),
    (e) => e.name === 'InvalidParameterException' && e.message === 'Basic (classic) flow is not enabled, please use enhanced flow.');
  const creds = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(alice.id_token) }));
  assert.match(creds.Credentials.AccessKeyId, /^ASIA/);
});

test('admin/pool refuses malformed switches; reset restores the pool', async () => {
  assert.equal((await sb.admin('POST', '/admin/pool', { client_ids: 'abc' })).status, 400);
  assert.equal((await sb.admin('POST', '/admin/pool', { allow_classic_flow: 'no' })).status, 400);
  await sb.admin('POST', '/admin/pool', { allow_classic_flow: false });
  await sb.admin('POST', '/admin/reset');
  assert.equal((await describe()).AllowClassicFlow, true);
});
