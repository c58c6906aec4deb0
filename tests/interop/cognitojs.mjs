// AWS's official Cognito Sync Manager (amazon-cognito-js on aws-sdk v2, from sandbox/node_modules) working
// on the same identity as Fedsync, for the interop test and the benchmark. Reads its configuration
// (endpoint, CA file, identity, the identity's temporary credentials) as JSON on stdin, so no secret
// appears on a command line, and prints one JSON object on stdout.
//   mode "interop": sync `dataset`, report what it holds, apply `writes` ({put: {k: v}, remove: [k]}),
//                   sync again.
//   mode "bench":   the benchmark scenarios; requests counted from the sandbox's request log.
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { createRequire } from 'node:module';

const config = JSON.parse(fs.readFileSync(0, 'utf8'));
const require = createRequire(`${config.sandboxDir}/package.json`);
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
const AWS = require('aws-sdk');
require('amazon-cognito-js');

const agent = new https.Agent({ ca: fs.readFileSync(config.caFile), keepAlive: true });
AWS.config.update({
  region: config.region,
  httpOptions: { agent },
  maxRetries: 3,
  cognitosync: { endpoint: config.endpoint },
});
// Fixed credentials of the identity, shaped like the CognitoIdentityCredentials the manager expects.
const credentials = new AWS.Credentials(config.accessKeyId, config.secretAccessKey, config.sessionToken);
credentials.params = { IdentityPoolId: config.identityPoolId };
credentials.identityId = config.identityId;
credentials.clearCachedId = () => {};
AWS.config.credentials = credentials;

const p = (fn) => new Promise((resolve, reject) => { fn((err, v) => (err ? reject(err) : resolve(v))); });

function device() {
  return new AWS.CognitoSyncManager({ DataStore: AWS.CognitoSyncManager.StoreInMemory });
}

function sync(dataset) {
  return new Promise((resolve, reject) => {
    let done = false; // amazon-cognito-js can call back twice: keep the first.
    dataset.synchronize({
      onSuccess(ds, updates) { if (!done) { done = true; resolve(updates || []); } },
      onFailure(err) { if (!done) { done = true; reject(err); } },
      onConflict(ds, conflicts, cb) { ds.resolve(conflicts.map((c) => c.resolveWithRemoteRecord()), () => cb(true)); },
      onDatasetDeleted(ds, name, cb) { cb(true); },
      onDatasetsMerged(ds, names, cb) { cb(true); },
    });
  });
}

async function records(dataset) {
  const all = await p((cb) => dataset.getAllRecords(cb));
  const out = {};
  for (const r of all) out[r.getKey()] = { value: r.getValue(), deleted: r.isDeleted(), syncCount: r.getSyncCount() };
  return out;
}

function adminGet(path) {
  return new Promise((resolve, reject) => {
    http.get(`${config.adminUrl.replace(/\/$/, '')}/${path}`, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

async function measure(work) {
  const before = (await adminGet('admin/requests?since=0')).next;
  const start = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const log = await adminGet(`admin/requests?since=${before}`);
  const ops = log.requests.filter((r) => r.service === 'cognito-sync').map((r) => r.operation);
  return { requests: ops.length, operations: ops, ms: Math.round(ms * 10) / 10 };
}

async function interop() {
  const ds = await p((cb) => device().openOrCreateDataset(config.dataset, cb));
  await sync(ds);
  const read = await records(ds);
  for (const [k, v] of Object.entries(config.writes.put || {})) await p((cb) => ds.put(k, v, cb));
  for (const k of config.writes.remove || []) await p((cb) => ds.remove(k, cb));
  await sync(ds);
  return { read, after: await records(ds) };
}

// A scenario that the library cannot run is reported, not fatal.
async function attempt(work) {
  try {
    return await measure(work);
  } catch (err) {
    return { requests: -1, ms: -1, operations: [], error: `${err && (err.code || err.name)}: ${err && err.message}` };
  }
}

async function bench() {
  const name = config.dataset;
  // The connection to Cognito Sync is opened first, unmeasured, as Fedsync's already is when it syncs.
  await new AWS.CognitoSync().listDatasets({ IdentityPoolId: config.identityPoolId, IdentityId: config.identityId }).promise();
  const x = await p((cb) => device().openOrCreateDataset(name, cb));
  for (let i = 0; i < 1024; i += 1) await p((cb) => x.put(`key-${String(i).padStart(4, '0')}`, `value ${i}`, cb));
  const fullPush = await attempt(() => sync(x));
  const y = await p((cb) => device().openOrCreateDataset(name, cb));
  const fullPull = await attempt(() => sync(y));
  await p((cb) => x.put('key-0001', 'changed', cb));
  const incremental = await attempt(() => sync(x));
  await sync(y).catch(() => {});
  await p((cb) => y.put('key-0002', 'from y', cb));
  await sync(y);
  await p((cb) => x.put('key-0003', 'from x', cb));
  const twoSided = await attempt(() => sync(x));
  return { fullPush, fullPull, incremental, twoSided };
}

try {
  const result = config.mode === 'bench' ? await bench() : await interop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (err) {
  process.stderr.write(`cognitojs.mjs: ${err && (err.code || err.name)}: ${err && err.message}\n`);
  process.exit(1);
}
