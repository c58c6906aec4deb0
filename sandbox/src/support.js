// What support tooling meets on the AWS side: staff (IAM user) keys with their own, possibly narrower
// policy, the AccessDenied such a policy produces, a pool seeded with many identities for scale tests,
// and the identity listing in a stable order without sorting the whole pool on every page.
import crypto from 'node:crypto';
import { clock, awsKeyId, awsSecret } from './util.js';

// The identity card Fedsync writes at sign-in (a reserved dataset, one record per field).
export const CARD_DATASET = 'fedsync.identity';

// Fedsync's DynamoDB layout of a dataset (docs/dynamodb-store.md), as a first write leaves it: the dataset
// item at count 1 and one record item per key; the card's email and sub carry the card index's key.
export function dynamoDatasetItems(identityId, dsName, records, createdAt) {
  const S = (v) => ({ S: String(v) });
  const N = (v) => ({ N: String(v) });
  let bytes = 0;
  const items = [];
  for (const [key, value] of Object.entries(records)) {
    const size = Buffer.byteLength(key) + Buffer.byteLength(value);
    bytes += size;
    const item = {
      identity_id: S(identityId), sk: S(`R#${dsName}#${key}`), kind: S('record'), dataset: S(dsName), key: S(key),
      value: S(value), sync_count: N(1), last_modified: N(createdAt), last_modified_by: S(identityId),
      device_last_modified: N(createdAt), size: N(size),
    };
    const lookup = cardLookup(dsName, key, value);
    if (lookup) item.card_lookup = S(lookup);
    items.push(item);
  }
  items.unshift({
    identity_id: S(identityId), sk: S(`D#${dsName}`), kind: S('dataset'), dataset: S(dsName), sync_count: N(1),
    generation: N(1), deleted: { BOOL: false }, deleted_at: N(0), record_count: N(items.length), bytes: N(bytes),
    created: N(createdAt), last_modified: N(createdAt), last_modified_by: S(identityId),
  });
  return items;
}

// The card index's key for a record, or null: "email#<email, lower case>" and "sub#<sub>".
export function cardLookup(dsName, key, value) {
  if (dsName !== CARD_DATASET || !value) return null;
  if (key === 'email') return `email#${value.trim().toLowerCase()}`;
  if (key === 'sub') return `sub#${value}`;
  return null;
}

export function createSupport({ store, providerName }) {
  const d = store.d;
  let dynamo = null; // { seedItem, table }: set once the DynamoDB emulator exists

  function useDynamo(seedItem, table) { dynamo = { seedItem, table }; }
  let order = null; // { source: d.identities, ids: [...] } sorted by creation, then id

  function staffKeys() {
    d.staffKeys ||= {};
    return d.staffKeys;
  }

  // The principal behind developer-level keys: the sandbox's own developer user, or a staff key.
  function principalFor(key) {
    if (key.staffArn) return key.staffArn;
    return `arn:aws:iam::${d.accountId}:user/fedsync-support`;
  }

  function lookupStaffKey(accessKeyId) {
    const k = staffKeys()[accessKeyId];
    if (!k) return undefined;
    return { secretAccessKey: k.secretAccessKey, developer: true, staffArn: k.arn, deny: k.deny };
  }

  // AWS's text for an IAM denial; `resource` is the ARN the action was asked on.
  function checkAllowed(key, action, resource) {
    if (!key || !Array.isArray(key.deny) || !key.deny.includes(action)) return null;
    return `User: ${principalFor(key)} is not authorized to perform: ${action} on resource: ${resource} `
      + `because no identity-based policy allows the ${action} action`;
  }

  function addStaffKey({ name, deny }) {
    const user = String(name || 'support-readonly').replace(/[^\w+=,.@-]/g, '-').slice(0, 64) || 'support';
    const accessKeyId = awsKeyId('AKIA');
    const secretAccessKey = awsSecret();
    const arn = `arn:aws:iam::${d.accountId}:user/${user}`;
    staffKeys()[accessKeyId] = { secretAccessKey, arn, deny: Array.isArray(deny) ? deny.map(String) : [] };
    store.changed();
    return { access_key_id: accessKeyId, secret_access_key: secretAccessKey, arn, deny: staffKeys()[accessKeyId].deny };
  }

  function sortedIds() {
    if (order && order.source === d.identities && order.count === order.ids.length) return order.ids;
    const ids = Object.values(d.identities).filter((i) => i.poolId === d.poolId)
      .sort((a, b) => a.created - b.created || (a.seq || 0) - (b.seq || 0) || (a.identityId < b.identityId ? -1 : 1))
      .map((i) => i.identityId);
    order = { source: d.identities, ids, count: ids.length };
    return ids;
  }

  // A new identity always sorts last (its creation time is now), so the cached order just grows.
  function identityAdded(identityId) {
    if (order && order.source === d.identities) {
      order.ids.push(identityId);
      order.count = order.ids.length;
    }
  }

  function poolIdentities() { return sortedIds(); }

  // Creation order within one second (identities created in the same second list in this order).
  function nextSeq() {
    d.identitySeq = (d.identitySeq || 0) + 1;
    return d.identitySeq;
  }

  // POST /admin/seed {"identities": N, "datasets": K (optional, per identity), "cards": bool,
  //                   "store": "cognito-sync" (default) | "dynamodb"}
  // Seeded identities have a login of the sandbox provider with sub "auth0|seed-<n>"; with cards, each
  // gets Fedsync's identity card (sub, email user<n>@seed.example, name) as a real sign-in would write,
  // in Cognito Sync or, with "store": "dynamodb", in the sandbox's DynamoDB table (Fedsync's layout).
  function seed(body) {
    const toDynamo = body.store === 'dynamodb';
    if (body.store !== undefined && !toDynamo && body.store !== 'cognito-sync') throw new Error('store must be "cognito-sync" or "dynamodb"');
    if (toDynamo && !dynamo) throw new Error('the DynamoDB emulator is not running');
    const n = Number(body.identities);
    if (!Number.isInteger(n) || n < 1 || n > 200000) throw new Error('identities must be an integer 1..200000');
    const k = body.datasets === undefined ? 0 : Number(body.datasets);
    if (!Number.isInteger(k) || k < 0 || k > 19) throw new Error('datasets must be an integer 0..19');
    const cards = !!body.cards;
    const now = clock.nowSec();
    d.seedCounter ||= 0;
    const created = [];
    const full = n <= 10000 || body.full === true;
    for (let i = 0; i < n; i += 1) {
      d.seedCounter += 1;
      const seq = String(d.seedCounter).padStart(6, '0');
      const id = `${d.region}:${crypto.randomUUID()}`;
      const sub = `auth0|seed-${seq}`;
      const email = `user${seq}@seed.example`;
      const name = `Seed User ${seq}`;
      // Created now, after every identity already there, in seeding order (`seq` breaks the tie).
      const createdAt = now;
      d.identities[id] = { identityId: id, poolId: d.poolId, logins: { [providerName]: sub }, created: createdAt, modified: createdAt, seeded: true, seq: nextSeq() };
      identityAdded(id);
      const sets = {};
      const principal = id;
      const mk = (dsName, records) => {
        const recs = {};
        for (const [key, value] of Object.entries(records)) {
          recs[key] = { value, syncCount: 1, modified: createdAt, modifiedBy: principal, deviceModified: createdAt };
        }
        sets[dsName] = { name: dsName, created: createdAt, modified: createdAt, modifiedBy: principal, syncCount: 1, records: recs };
      };
      for (let j = 0; j < k; j += 1) mk(`seed-${j + 1}`, { greeting: `hello ${seq}`, counter: String(j) });
      if (cards) {
        mk(CARD_DATASET, {
          v: '1', sub, email, name, last_sign_in: new Date(createdAt * 1000).toISOString(), app_version: 'seed',
        });
      }
      if (toDynamo) {
        for (const [dsName, ds] of Object.entries(sets)) {
          const values = Object.fromEntries(Object.entries(ds.records).map(([key, r]) => [key, r.value]));
          for (const item of dynamoDatasetItems(id, dsName, values, createdAt)) dynamo.seedItem(dynamo.table, item);
        }
      } else if (Object.keys(sets).length) d.datasets[id] = { sets, deleted: {} };
      if (full || created.length < 100) created.push({ identity_id: id, sub, email, name });
    }
    store.changed();
    return { ok: true, created: n, datasets_per_identity: k, cards, store: toDynamo ? 'dynamodb' : 'cognito-sync', pool_size: sortedIds().length, identities: created, truncated: !full };
  }

  return { lookupStaffKey, checkAllowed, addStaffKey, principalFor, poolIdentities, identityAdded, nextSeq, seed, useDynamo };
}
