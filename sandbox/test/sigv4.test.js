// SigV4 verification traps, with requests signed by AWS's own signer (@smithy/signature-v4) and then
// sent raw (optionally altered after signing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { startSandbox, login, request } from './helpers.js';
import { identityClient, developerCredentials } from './aws-clients.js';

let sb; let identityId;
before(async () => {
  sb = await startSandbox();
  const { tokens } = await login(sb, { username: 'bob@example.com' });
  identityId = (await identityClient(sb).send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins: { [sb.ready.provider_name]: tokens.id_token } }))).IdentityId;
});
after(async () => { await sb?.stop(); });

async function signed({ method = 'GET', dataset, records = false, query = {}, headers = {}, body, service = 'cognito-sync', signingDate, credentials } = {}) {
  const u = new URL(sb.ready.endpoints.cognito_sync);
  let path = `/identitypools/${encodeURIComponent(sb.ready.identity_pool_id)}/identities/${encodeURIComponent(identityId)}/datasets`;
  if (dataset) path += `/${encodeURIComponent(dataset)}${records ? '/records' : ''}`;
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: credentials || developerCredentials(sb), sha256: Sha256 });
  const req = await signer.sign({
    method, protocol: 'https:', hostname: u.hostname, port: Number(u.port), path, query,
    headers: { host: u.host, ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, body,
  }, signingDate ? { signingDate } : {});
  return { url: `${u.origin}${path}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`, method, headers: { ...req.headers }, body };
}

const send = (r) => request(r.url, { method: r.method, headers: r.headers, body: r.body, ca: sb.ca });
const errorOf = (res) => ({ status: res.status, type: String(res.headers['x-amzn-errortype'] || '').split(':')[0], message: res.json().message });

test('valid signatures: double-encoded path with %3A, sorted query, extra unsigned headers', async () => {
  const r = await signed({ dataset: 'd1', records: true, query: { maxResults: '10', lastSyncCount: '0' } });
  const ok = await send(r);
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.json().DatasetExists, false);
  const extra = await send({ ...r, headers: { ...r.headers, 'x-not-signed': 'whatever' } });
  assert.equal(extra.status, 200);
});

test('tampering after signing is caught: signed header, query, body hash', async () => {
  const r = await signed({ dataset: 'd1', records: true, query: { lastSyncCount: '0' }, headers: { 'x-custom': 'a' } });
  let e = errorOf(await send({ ...r, headers: { ...r.headers, 'x-custom': 'b' } }));
  assert.equal(e.status, 403);
  assert.equal(e.type, 'InvalidSignatureException');
  assert.match(e.message, /^The request signature we calculated does not match the signature you provided\./);
  e = errorOf(await send({ ...r, url: r.url.replace('lastSyncCount=0', 'lastSyncCount=1') }));
  assert.equal(e.type, 'InvalidSignatureException');
  const body = JSON.stringify({ SyncSessionToken: 'x', RecordPatches: [] });
  const post = await signed({ method: 'POST', dataset: 'd1', body, headers: { 'x-amz-content-sha256': 'a'.repeat(64) } });
  e = errorOf(await send(post));
  assert.equal(e.type, 'InvalidSignatureException');
  const post2 = await signed({ method: 'POST', dataset: 'd1', body });
  e = errorOf(await send({ ...post2, body: body.replace('"x"', '"y"') }));
  assert.equal(e.type, 'InvalidSignatureException');
});

test('scope checks: date vs X-Amz-Date, service, skew in both directions', async () => {
  const r = await signed({});
  const d = r.headers['x-amz-date'];
  const next = `${d.slice(0, 6)}${String(Number(d.slice(6, 8)) % 28 + 1).padStart(2, '0')}${d.slice(8)}`;
  let e = errorOf(await send({ ...r, headers: { ...r.headers, 'x-amz-date': next } }));
  assert.equal(e.type, 'InvalidSignatureException');
  assert.match(e.message, /^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP/);
  e = errorOf(await send(await signed({ service: 'cognito-identity' })));
  assert.match(e.message, /Credential should be scoped to correct service: 'cognito-sync'/);
  e = errorOf(await send(await signed({ signingDate: new Date(Date.now() - 30 * 60e3) })));
  assert.equal(e.type, 'InvalidSignatureException');
  assert.match(e.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  e = errorOf(await send(await signed({ signingDate: new Date(Date.now() + 20 * 60e3) })));
  assert.match(e.message, /^Signature not yet current: \d{8}T\d{6}Z is still later than/);
  const ok = await send(await signed({ signingDate: new Date(Date.now() - 10 * 60e3) }));
  assert.equal(ok.status, 200, 'within 15 minutes is fine');
  e = errorOf(await send(await signed({ credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' } })));
  assert.equal(e.type, 'UnrecognizedClientException');
  assert.equal(e.message, 'The security token included in the request is invalid.');
});
