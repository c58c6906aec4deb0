import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import {
  GetIdCommand, GetCredentialsForIdentityCommand, GetOpenIdTokenCommand, ListIdentitiesCommand,
  DescribeIdentityCommand, DescribeIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { startSandbox, login, request } from './helpers.js';
import { identityClient, stsClient, developerCredentials } from './aws-clients.js';

let sb; let ci; let sts; let alice; let bob;
before(async () => {
  sb = await startSandbox();
  ci = identityClient(sb);
  sts = stsClient(sb);
  alice = (await login(sb, { username: 'alice@example.com' })).tokens;
  bob = (await login(sb, { username: 'bob@example.com' })).tokens;
});
after(async () => { await sb?.stop(); });

const logins = (token) => ({ [sb.ready.provider_name]: token });
const pool = () => sb.ready.identity_pool_id;

async function rejects(promise, name, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

// Sign a token with the provider's own key (read from the sandbox state) to craft odd claims.
function forge(claims, { alg = 'RS256' } = {}) {
  const state = JSON.parse(fs.readFileSync(path.join(sb.dir, 'state.json'), 'utf8'));
  const jwk = state.oidcKeys[0];
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: sb.ready.issuer, sub: sb.ready.users[0].sub, aud: sb.ready.client_id, iat: now, exp: now + 3600, ...claims };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  const h = Buffer.from(JSON.stringify({ alg, typ: 'JWT', kid: jwk.kid })).toString('base64url');
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const sig = crypto.sign('RSA-SHA256', Buffer.from(`${h}.${p}`), crypto.createPrivateKey({ key: jwk, format: 'jwk' }));
  return `${h}.${p}.${sig.toString('base64url')}`;
}

test('GetId: same sub -> same identity id every time; different users differ', async () => {
  const a1 = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins(alice.id_token) }));
  assert.match(a1.IdentityId, /^us-east-1:[0-9a-f-]{36}$/);
  const fresh = (await login(sb, { username: 'alice@example.com' })).tokens;
  const a2 = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), AccountId: '123456789012', Logins: logins(fresh.id_token) }));
  assert.equal(a2.IdentityId, a1.IdentityId);
  const b = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins(bob.id_token) }));
  assert.notEqual(b.IdentityId, a1.IdentityId);
});

test('GetCredentialsForIdentity (enhanced flow), incl. CustomRoleArn', async () => {
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins(alice.id_token) }));
  const r = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(alice.id_token) }));
  assert.equal(r.IdentityId, IdentityId);
  assert.match(r.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.ok(r.Credentials.SecretKey.length >= 40);
  assert.ok(r.Credentials.SessionToken.length > 100);
  assert.ok(r.Credentials.Expiration instanceof Date);
  assert.ok(Math.abs(r.Credentials.Expiration.getTime() - Date.now() - 3600e3) < 10e3);
  const c = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(alice.id_token), CustomRoleArn: sb.ready.role_arn }));
  assert.match(c.Credentials.AccessKeyId, /^ASIA/);
  await rejects(ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(alice.id_token), CustomRoleArn: 'arn:aws:iam::123456789012:role/admin' })), 'NotAuthorizedException');
});

test('basic flow: GetOpenIdToken + STS AssumeRoleWithWebIdentity', async () => {
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins(alice.id_token) }));
  const { Token } = await ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins(alice.id_token) }));
  const claims = JSON.parse(Buffer.from(Token.split('.')[1], 'base64url'));
  assert.equal(claims.iss, 'https://cognito-identity.amazonaws.com');
  assert.equal(claims.aud, pool());
  assert.equal(claims.sub, IdentityId);
  assert.ok(claims.amr.includes('authenticated'));
  const r = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: sb.ready.role_arn, RoleSessionName: 'fedsync-test', WebIdentityToken: Token, DurationSeconds: 900 }));
  assert.match(r.Credentials.AccessKeyId, /^ASIA/);
  assert.ok(r.Credentials.SecretAccessKey && r.Credentials.SessionToken);
  assert.ok(r.Credentials.Expiration instanceof Date);
  assert.ok(Math.abs(r.Credentials.Expiration.getTime() - Date.now() - 900e3) < 10e3);
  assert.equal(r.SubjectFromWebIdentityToken, IdentityId);
  assert.equal(r.Audience, pool());
  assert.equal(r.Provider, 'cognito-identity.amazonaws.com');
  assert.equal(r.AssumedRoleUser.Arn, `arn:aws:sts::123456789012:assumed-role/${sb.ready.role_arn.split('/')[1]}/fedsync-test`);
});

test('STS errors: wrong role, Auth0 token, tampered, expired, bad params', async () => {
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins(alice.id_token) }));
  const { Token } = await ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins(alice.id_token) }));
  const assume = (p) => sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: sb.ready.role_arn, RoleSessionName: 'x1', WebIdentityToken: Token, ...p }));
  await rejects(assume({ RoleArn: 'arn:aws:iam::123456789012:role/other-role' }), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  await rejects(assume({ WebIdentityToken: alice.id_token }), 'InvalidIdentityTokenException', `No OpenIDConnect provider found in your account for ${sb.ready.issuer}`);
  await rejects(assume({ WebIdentityToken: alice.access_token }), 'InvalidIdentityTokenException', /not a valid JWT/);
  const parts = Token.split('.');
  const tampered = `${parts[0]}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(parts[1], 'base64url')), sub: 'us-east-1:00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${parts[2]}`;
  await rejects(assume({ WebIdentityToken: tampered }), 'InvalidIdentityTokenException');
  await rejects(assume({ RoleSessionName: 'bad name!' }), 'ValidationError');
  await rejects(assume({ DurationSeconds: 7200 }), 'ValidationError', /MaxSessionDuration/);
  await sb.admin('POST', '/admin/clock', { skew_seconds: 700 });
  try {
    await rejects(assume({}), 'ExpiredTokenException', /^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/);
  } finally {
    await sb.admin('POST', '/admin/clock', { skew_seconds: 0 });
  }
  // Wire format of an STS error.
  const raw = await request(sb.ready.endpoints.sts, {
    method: 'POST', ca: sb.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: 'arn:aws:iam::123456789012:role/nope', RoleSessionName: 'abc', WebIdentityToken: Token }).toString(),
  });
  assert.equal(raw.status, 403);
  assert.match(raw.body, /<ErrorResponse[^>]*>\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>AccessDenied<\/Code>\s*<Message>[^<]+<\/Message>\s*<\/Error>\s*<RequestId>[^<]+<\/RequestId>\s*<\/ErrorResponse>/);
});

test('login token validation errors, as the service words them', async () => {
  const getId = (Logins, IdentityPoolId = pool()) => ci.send(new GetIdCommand({ IdentityPoolId, Logins }));
  // Logins key without the trailing slash (the classic mistake).
  await rejects(getId({ [sb.ready.domain]: alice.id_token }), 'NotAuthorizedException', "Invalid login token. Issuer doesn't match providerName");
  await rejects(getId(logins(alice.access_token)), 'NotAuthorizedException', /^Invalid login token\./);
  await rejects(getId(logins(forge({ aud: undefined }))), 'NotAuthorizedException', 'Invalid login token. Missing a required claim: aud');
  await rejects(getId(logins(forge({ aud: 'some-other-client' }))), 'NotAuthorizedException', 'Token is not from a supported provider of this identity pool.');
  // Signature checks: tampered payload, and the HS256-misconfigured client.
  const t = alice.id_token.split('.');
  const tampered = `${t[0]}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(t[1], 'base64url')), sub: 'auth0|000000000000000000000000' })).toString('base64url')}.${t[2]}`;
  await rejects(getId(logins(tampered)), 'NotAuthorizedException', "Invalid login token. Couldn't verify signed token.");
  const hs = (await login(sb, { clientId: sb.ready.hs256_client_id })).tokens.id_token;
  await rejects(getId(logins(hs)), 'NotAuthorizedException', "Invalid login token. Couldn't verify signed token.");
  // Expiry: IAM's 5 minutes of tolerance.
  const now = Math.floor(Date.now() / 1000);
  const recent = await getId(logins(forge({ exp: now - 120, iat: now - 3600 })));
  assert.match(recent.IdentityId, /^us-east-1:/);
  await rejects(getId(logins(forge({ exp: now - 400, iat: now - 3600 }))), 'NotAuthorizedException', /^Invalid login token\. Token expired: \d+ >= \d+$/);
  // Pool errors.
  await rejects(getId(logins(alice.id_token), 'us-east-1:00000000-0000-0000-0000-000000000000'), 'ResourceNotFoundException', "IdentityPool 'us-east-1:00000000-0000-0000-0000-000000000000' not found.");
  const otherRegion = pool().replace('us-east-1', 'eu-west-1');
  await rejects(getId(logins(alice.id_token), otherRegion), 'ResourceNotFoundException', `IdentityPool '${otherRegion}' not found.`);
  await rejects(getId(logins(alice.id_token), 'not a pool id'), 'InvalidParameterException');
  await rejects(getId({}), 'NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
});

test('identity ownership: wrong user, unknown id, malformed id', async () => {
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins(alice.id_token) }));
  await rejects(ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(bob.id_token) })), 'NotAuthorizedException', /Logins don't match/);
  await rejects(ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins: {} })), 'NotAuthorizedException');
  await rejects(ci.send(new GetCredentialsForIdentityCommand({ IdentityId: 'us-east-1:11111111-1111-1111-1111-111111111111', Logins: logins(alice.id_token) })), 'ResourceNotFoundException', "Identity 'us-east-1:11111111-1111-1111-1111-111111111111' not found.");
  await rejects(ci.send(new GetCredentialsForIdentityCommand({ IdentityId: 'bogus', Logins: logins(alice.id_token) })), 'InvalidParameterException');
});

test('signed operations: ListIdentities / DescribeIdentity / DescribeIdentityPool with developer credentials', async () => {
  const dev = identityClient(sb, developerCredentials(sb));
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: pool(), Logins: logins(alice.id_token) }));
  const list = await dev.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 60 }));
  assert.ok(list.Identities.some((i) => i.IdentityId === IdentityId));
  const one = await dev.send(new DescribeIdentityCommand({ IdentityId }));
  assert.deepEqual(one.Logins, [sb.ready.provider_name]);
  assert.ok(one.CreationDate instanceof Date);
  const p = await dev.send(new DescribeIdentityPoolCommand({ IdentityPoolId: pool() }));
  assert.equal(p.IdentityPoolId, pool());
  assert.equal(p.AllowUnauthenticatedIdentities, false);
  // Paging.
  const page = await dev.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 1 }));
  assert.equal(page.Identities.length, 1);
  assert.ok(page.NextToken);
  // Wrong secret -> InvalidSignatureException; identity credentials -> NotAuthorized; unsigned -> missing token.
  const wrong = identityClient(sb, { ...developerCredentials(sb), secretAccessKey: 'x'.repeat(40) });
  await rejects(wrong.send(new DescribeIdentityPoolCommand({ IdentityPoolId: pool() })), 'InvalidSignatureException', /signature we calculated does not match/);
  const c = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(alice.id_token) }));
  const asUser = identityClient(sb, { accessKeyId: c.Credentials.AccessKeyId, secretAccessKey: c.Credentials.SecretKey, sessionToken: c.Credentials.SessionToken });
  await rejects(asUser.send(new ListIdentitiesCommand({ IdentityPoolId: pool(), MaxResults: 5 })), 'NotAuthorizedException', /is not authorized to perform: cognito-identity:ListIdentities/);
  const raw = await request(sb.ready.endpoints.cognito_identity, {
    method: 'POST', ca: sb.ca, body: JSON.stringify({ IdentityId }),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.DescribeIdentity' },
  });
  assert.equal(raw.status, 400);
  assert.equal(raw.json().__type, 'MissingAuthenticationTokenException');
});

test('JSON 1.1 error wire format', async () => {
  const raw = await request(sb.ready.endpoints.cognito_identity, {
    method: 'POST', ca: sb.ca,
    body: JSON.stringify({ IdentityPoolId: pool(), Logins: { [sb.ready.domain]: alice.id_token } }),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
  });
  assert.equal(raw.status, 400);
  assert.match(raw.headers['content-type'], /application\/x-amz-json-1\.1/);
  assert.ok(raw.headers['x-amzn-requestid']);
  assert.deepEqual(raw.json(), { __type: 'NotAuthorizedException', message: "Invalid login token. Issuer doesn't match providerName" });
});
