// Amazon DynamoDB emulator (JSON 1.0, `X-Amz-Target: DynamoDB_20120810.Op`, SigV4 service `dynamodb`):
// the operations Fedsync's DynamoDB store and the AWS tools use (CreateTable, DescribeTable, ListTables,
// GetItem, PutItem, UpdateItem, DeleteItem, Query, TransactWriteItems), with condition, key, filter and
// update expressions as documented, 1 MB query pages with LastEvaluatedKey, all-or-nothing transactions
// with CancellationReasons and idempotent ClientRequestTokens, the 400 KB item limit, and the IAM policy
// of the pool's authenticated role: identity credentials reach only items whose partition key is their
// own identity id (dynamodb:LeadingKeys = ${cognito-identity.amazonaws.com:sub}); the developer
// credentials reach every partition. Global secondary indexes as AWS documents them: defined in CreateTable,
// shown by DescribeTable, kept up to date with every write (an item lacking an index key attribute is not
// in that index: a sparse index), and read by Query with IndexName (eventually consistent only; the
// policy above allows no Query on an index, so an identity's credentials get AccessDenied there).
import crypto from 'node:crypto';
import { clock, readBody, requestId } from './util.js';
import { verifySigV4, AwsAuthError } from './sigv4.js';
import { ExprError, parseAll, evaluate, applyUpdate, compare, typeOf } from './ddbexpr.js';
import { createIndexes } from './ddbindex.js';
import { PREFIX, DdbError, validation, crc32, itemBytes, checkValue } from './ddbitem.js';

export const DEFAULT_TABLE = 'fedsync-sandbox-datasets';
// Fedsync's sparse index of identity cards (docs/dynamodb-store.md): `card_lookup` = "email#<email>" or
// "sub#<sub>" on the card's email and sub record items only.
export const CARD_INDEX = 'card-lookup';
export const CARD_ATTR = 'card_lookup';
const MAX_ITEM_BYTES = 400 * 1024;
const PAGE_BYTES = 1024 * 1024;
const TOKEN_TTL_MS = 10 * 60 * 1000;
const IDENTITY_ACTIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'ConditionCheckItem']);

export function createDynamo({ store, identity }) {
  const d = store.d;

  function tables() {
    d.dynamodb ||= { tables: {}, tokens: {} };
    d.dynamodb.tokens ||= {};
    if (!d.dynamodb.tables[DEFAULT_TABLE]) {
      d.dynamodb.tables[DEFAULT_TABLE] = newTable(DEFAULT_TABLE, 'identity_id', 'sk');
    }
    // The sandbox's table is created as `fedsync-cli setup dynamodb` says, with the card index (a state
    // saved before the index existed gains it).
    const t = d.dynamodb.tables[DEFAULT_TABLE];
    if (!(t.gsis || []).some((g) => g.IndexName === CARD_INDEX)) {
      t.gsis = [...(t.gsis || []), { IndexName: CARD_INDEX, KeySchema: [{ AttributeName: CARD_ATTR, KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }];
      if (!t.attrs.some((a) => a.AttributeName === CARD_ATTR)) t.attrs.push({ AttributeName: CARD_ATTR, AttributeType: 'S' });
    }
    return d.dynamodb.tables;
  }

  function newTable(name, hash, range) {
    const keySchema = [{ AttributeName: hash, KeyType: 'HASH' }];
    const attrs = [{ AttributeName: hash, AttributeType: 'S' }];
    if (range) {
      keySchema.push({ AttributeName: range, KeyType: 'RANGE' });
      attrs.push({ AttributeName: range, AttributeType: 'S' });
    }
    return { name, created: clock.nowMs() / 1000, keySchema, attrs, items: {}, gsis: [] };
  }

  const { gsiKeyNames, gsiEntries, gsiUpdate, gsiProject, checkIndexKeys } = createIndexes({ validation, typeOf });

  const tableArn = (name) => `arn:aws:dynamodb:${d.region}:${d.accountId}:table/${name}`;

  function describe(t) {
    let count = 0; let bytes = 0;
    for (const part of Object.values(t.items)) {
      for (const item of Object.values(part)) { count += 1; bytes += itemBytes(item); }
    }
    const gsis = (t.gsis || []).map((g) => {
      let n = 0; let size = 0;
      for (const items of gsiEntries(t, g).values()) {
        for (const item of items.values()) { n += 1; size += itemBytes(gsiProject(t, g, item)); }
      }
      return {
        IndexName: g.IndexName,
        KeySchema: g.KeySchema,
        Projection: g.Projection,
        IndexStatus: 'ACTIVE',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        IndexSizeBytes: size,
        ItemCount: n,
        IndexArn: `${tableArn(t.name)}/index/${g.IndexName}`,
      };
    });
    return {
      ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
      TableName: t.name,
      TableStatus: 'ACTIVE',
      TableArn: tableArn(t.name),
      TableId: crypto.createHash('sha256').update(t.name).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
      CreationDateTime: t.created,
      KeySchema: t.keySchema,
      AttributeDefinitions: t.attrs,
      ItemCount: count,
      TableSizeBytes: bytes,
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: t.created },
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      DeletionProtectionEnabled: false,
    };
  }

  function table(name) {
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
      throw validation(`1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
    }
    const t = tables()[name];
    if (!t) throw new DdbError('ResourceNotFoundException', 'Requested resource not found');
    return t;
  }

  const hashName = (t) => t.keySchema[0].AttributeName;
  const rangeName = (t) => (t.keySchema[1] ? t.keySchema[1].AttributeName : null);

  // The key of `item` (or of a Key map): [hash, range] strings; throws the service's validation errors.
  function keyOf(t, key, exact) {
    const names = t.keySchema.map((k) => k.AttributeName);
    if (!key || typeof key !== 'object') throw validation('The provided key element does not match the schema');
    if (exact && Object.keys(key).length !== names.length) throw validation('The provided key element does not match the schema');
    return names.map((n) => {
      const v = key[n];
      if (!v || typeOf(v) !== 'S') throw validation('The provided key element does not match the schema');
      if (v.S === '') throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${n}`);
      return v.S;
    });
  }

  function getItem(t, [h, r]) {
    const part = t.items[h];
    return part ? part[r ?? ''] : undefined;
  }

  function putItem(t, [h, r], item) {
    gsiUpdate(t, h, r, getItem(t, [h, r]), item);
    if (item === undefined) {
      if (t.items[h]) {
        delete t.items[h][r ?? ''];
        if (!Object.keys(t.items[h]).length) delete t.items[h];
      }
    } else {
      t.items[h] ||= {};
      t.items[h][r ?? ''] = item;
    }
    store.changed();
  }

  function checkItem(item) {
    if (!item || typeof item !== 'object') throw validation('Item is required');
    for (const [k, v] of Object.entries(item)) checkValue(v, k);
    if (itemBytes(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
  }

  // ---- IAM: the role's policy as the README documents it ----
  // `indexName`: a Query on an index, whose resource is the index's ARN. The role's policy names the
  // table only, so an identity's credentials reach no index, whatever the leading keys. A staff key
  // (developer-level) may carry a narrower policy: the actions it is denied.
  function authorize(auth, action, tableName, leadingKeys, indexName) {
    const resource = indexName ? `${tableArn(tableName)}/index/${indexName}` : tableArn(tableName);
    const deny = (principal) => new DdbError('AccessDeniedException', `User: ${principal} is not authorized to perform: dynamodb:${action} on resource: ${resource} because no identity-based policy allows the dynamodb:${action} action`, { prefix: PREFIX.coral });
    if (auth.developer) {
      if (Array.isArray(auth.deny) && auth.deny.includes(`dynamodb:${action}`)) throw deny(auth.staffArn || `arn:aws:iam::${d.accountId}:user/fedsync-support`);
      return;
    }
    const principal = `arn:aws:sts::${d.accountId}:assumed-role/${d.roleName}/CognitoIdentityCredentials`;
    const allowed = IDENTITY_ACTIONS.has(action) && !indexName && leadingKeys !== null
      && leadingKeys.every((k) => k === auth.identityId);
    if (!allowed) throw deny(principal);
  }

  function projection(input, item) {
    if (!input.ProjectionExpression || !item) return item;
    const names = input.ExpressionAttributeNames || {};
    const out = {};
    for (const raw of input.ProjectionExpression.split(',').map((s) => s.trim())) {
      const n = raw.startsWith('#') ? names[raw] : raw;
      if (n === undefined) throw validation(`Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: ${raw}`);
      if (item[n] !== undefined) out[n] = item[n];
    }
    return out;
  }

  // Parses the expressions; ProjectionExpression placeholders count as used.
  // (A placeholder may appear in both, e.g. the sort key in KeyConditionExpression and the projection.)
  function expressions(input, which) {
    const projected = input.ProjectionExpression
      ? input.ProjectionExpression.split(',').map((s) => s.trim()).filter((raw) => raw.startsWith('#'))
      : [];
    try {
      return parseAll(input, which, projected);
    } catch (e) {
      if (e instanceof ExprError) throw validation(e.message);
      throw e;
    }
  }

  function conditionFails(cond, item, input) {
    if (!cond) return false;
    return !evaluate(cond, item || {});
  }

  function ccf(input, old) {
    const extra = input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old ? { Item: old } : undefined;
    return new DdbError('ConditionalCheckFailedException', 'The conditional request failed', { extra });
  }

  // One write (Put/Update/Delete/ConditionCheck) checked against the current item; returns the new
  // item (undefined: delete, null: unchanged) or throws ConditionalCheckFailedException.
  function planWrite(kind, t, input) {
    if (kind === 'Put') {
      checkItem(input.Item);
      checkIndexKeys(t, input.Item);
      const key = keyOf(t, input.Item, false);
      const ex = expressions(input, [['ConditionExpression', 'cond']]);
      const old = getItem(t, key);
      if (conditionFails(ex.ConditionExpression, old, input)) throw ccf(input, old);
      return { key, old, next: input.Item };
    }
    const key = keyOf(t, input.Key, true);
    const old = getItem(t, key);
    if (kind === 'Update') {
      const ex = expressions(input, [['UpdateExpression', 'update'], ['ConditionExpression', 'cond']]);
      if (!ex.UpdateExpression) throw validation('UpdateExpression is required by the sandbox');
      if (conditionFails(ex.ConditionExpression, old, input)) throw ccf(input, old);
      let next;
      try {
        next = applyUpdate(ex.UpdateExpression, old || { ...input.Key }, t.keySchema.map((k) => k.AttributeName));
      } catch (e) {
        if (e instanceof ExprError) throw validation(e.message);
        throw e;
      }
      checkItem(next);
      checkIndexKeys(t, next);
      return { key, old, next };
    }
    const ex = expressions(input, [['ConditionExpression', 'cond']]);
    if (!ex.ConditionExpression && kind === 'ConditionCheck') throw validation('ConditionExpression is required for ConditionCheck');
    if (conditionFails(ex.ConditionExpression, old, input)) throw ccf(input, old);
    return { key, old, next: kind === 'Delete' ? undefined : null };
  }

  function returnValues(input, old, next) {
    const rv = input.ReturnValues || 'NONE';
    if (rv === 'ALL_OLD' && old) return { Attributes: old };
    if (rv === 'ALL_NEW' && next) return { Attributes: next };
    return {};
  }

  // Key condition: `hash = :v` [AND range-condition]; returns {hash, test(rangeValue)}.
  function keyCondition(t, input, hashKey = hashName(t), rangeKey = rangeName(t)) {
    const ex = expressions(input, [['KeyConditionExpression', 'cond'], ['FilterExpression', 'cond']]);
    const kc = ex.KeyConditionExpression;
    if (!kc) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const parts = kc.kind === 'and' ? [kc.left, kc.right] : [kc];
    let hash; let range = null;
    for (const p of parts) {
      const name = p.kind === 'begins_with' ? p.a.name : p.left && p.left.name;
      if (p.kind === 'cmp' && p.op === '=' && name === hashKey && p.right.kind === 'value') hash = p.right.value;
      else if (rangeKey && name === rangeKey && ['cmp', 'between', 'begins_with'].includes(p.kind) && !(p.kind === 'cmp' && p.op === '<>')) range = p;
      else throw validation('Query key condition not supported');
    }
    if (!hash || typeOf(hash) !== 'S') throw validation('Query condition missed key schema element: ' + hashKey);
    return { hash: hash.S, range, filter: ex.FilterExpression };
  }

  // Query on a global secondary index: key condition on the index's keys, eventually consistent only,
  // items in index-key order (then the table's keys), pages whose LastEvaluatedKey holds the table's and
  // the index's keys, and only the projected attributes.
  function queryIndex(t, input, auth) {
    const g = (t.gsis || []).find((x) => x.IndexName === input.IndexName);
    if (!g) throw validation(`The table does not have the specified index: ${input.IndexName}`);
    const [ih, ir] = gsiKeyNames(g);
    const { hash, range, filter } = keyCondition(t, input, ih, ir || null);
    authorize(auth, 'Query', t.name, [hash], g.IndexName);
    if (input.ConsistentRead === true) throw validation('Consistent reads are not supported on global secondary indexes');
    if (input.Select === 'ALL_ATTRIBUTES' && g.Projection.ProjectionType !== 'ALL') {
      throw validation(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${g.IndexName} because its projection type is not ALL`);
    }
    const limit = input.Limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
    }
    const [th, tr] = [hashName(t), rangeName(t)];
    const sortKey = (item) => [ir ? item[ir].S : '', item[th].S, tr ? item[tr].S : ''];
    const cmp = (a, b) => {
      for (let i = 0; i < 3; i += 1) {
        const c = Buffer.compare(Buffer.from(a[i]), Buffer.from(b[i]));
        if (c) return c;
      }
      return 0;
    };
    let entries = [...(gsiEntries(t, g).get(hash) || new Map()).values()]
      .filter((item) => !range || evaluate(range, item))
      .map((item) => [sortKey(item), item]);
    entries.sort((a, b) => cmp(a[0], b[0]));
    const forward = input.ScanIndexForward !== false;
    if (!forward) entries.reverse();
    if (input.ExclusiveStartKey) {
      const esk = input.ExclusiveStartKey;
      const names = [...new Set([th, ...(tr ? [tr] : []), ih, ...(ir ? [ir] : [])])];
      if (typeof esk !== 'object' || Object.keys(esk).length !== names.length
        || names.some((n) => !esk[n] || typeOf(esk[n]) !== 'S') || esk[ih].S !== hash) {
        throw validation('The provided starting key is invalid: The provided key element does not match the schema');
      }
      const start = sortKey(esk);
      entries = entries.filter(([k]) => (forward ? cmp(k, start) > 0 : cmp(k, start) < 0));
    }
    const items = []; let scanned = 0; let bytes = 0; let last = null;
    for (let i = 0; i < entries.length; i += 1) {
      const item = gsiProject(t, g, entries[i][1]);
      scanned += 1;
      bytes += itemBytes(item);
      if (!filter || evaluate(filter, item)) items.push(projection(input, item));
      if (i + 1 < entries.length && ((limit !== undefined && scanned >= limit) || bytes >= PAGE_BYTES)) {
        last = {};
        for (const n of [th, tr, ih, ir]) if (n) last[n] = item[n];
        break;
      }
    }
    const out = input.Select === 'COUNT' ? { Count: items.length, ScannedCount: scanned }
      : { Items: items, Count: items.length, ScannedCount: scanned };
    if (last) out.LastEvaluatedKey = last;
    return out;
  }

  const ops = {
    ListTables(input, auth) {
      authorize(auth, 'ListTables', '*', null);
      return { TableNames: Object.keys(tables()).sort() };
    },

    CreateTable(input, auth) {
      authorize(auth, 'CreateTable', input.TableName, null);
      const name = input.TableName;
      if (tables()[name]) throw new DdbError('ResourceInUseException', `Table already exists: ${name}`);
      const ks = input.KeySchema;
      if (!Array.isArray(ks) || !ks.length || ks[0].KeyType !== 'HASH' || (ks[1] && ks[1].KeyType !== 'RANGE')) {
        throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
      }
      const defs = input.AttributeDefinitions || [];
      const used = new Set();
      const checkKeys = (schema) => {
        for (const k of schema) {
          const def = defs.find((a) => a.AttributeName === k.AttributeName);
          if (!def) throw validation(`One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${schema.map((x) => x.AttributeName).join(', ')}], AttributeDefinitions: [${defs.map((a) => a.AttributeName).join(', ')}]`);
          if (def.AttributeType !== 'S') throw validation('The sandbox supports string (S) key attributes only');
          used.add(k.AttributeName);
        }
      };
      checkKeys(ks);
      const gsis = [];
      for (const g of input.GlobalSecondaryIndexes || []) {
        if (typeof g.IndexName !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(g.IndexName)) {
          throw validation(`1 validation error detected: Value '${g.IndexName}' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
        }
        if (gsis.some((x) => x.IndexName === g.IndexName)) throw validation(`One or more parameter values were invalid: Duplicate index name: ${g.IndexName}`);
        const gks = g.KeySchema;
        if (!Array.isArray(gks) || !gks.length || gks.length > 2 || gks[0].KeyType !== 'HASH' || (gks[1] && gks[1].KeyType !== 'RANGE')) {
          throw validation(`One or more parameter values were invalid: Invalid KeySchema for index ${g.IndexName}: the first KeySchemaElement must be a HASH key type`);
        }
        checkKeys(gks);
        const p = g.Projection || {};
        if (!['ALL', 'KEYS_ONLY', 'INCLUDE'].includes(p.ProjectionType)) throw validation(`One or more parameter values were invalid: Unknown ProjectionType for index: ${g.IndexName}`);
        if (p.ProjectionType !== 'INCLUDE' && p.NonKeyAttributes) throw validation(`One or more parameter values were invalid: ProjectionType is ${p.ProjectionType}, but NonKeyAttributes is specified`);
        if (p.ProjectionType === 'INCLUDE' && !(Array.isArray(p.NonKeyAttributes) && p.NonKeyAttributes.length)) throw validation('One or more parameter values were invalid: NonKeyAttributes must not be empty when ProjectionType is INCLUDE');
        gsis.push({ IndexName: g.IndexName, KeySchema: gks.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })), Projection: p.ProjectionType === 'INCLUDE' ? { ProjectionType: 'INCLUDE', NonKeyAttributes: p.NonKeyAttributes.map(String) } : { ProjectionType: p.ProjectionType } });
      }
      if (defs.some((a) => !used.has(a.AttributeName))) {
        throw validation(`One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [${defs.map((a) => a.AttributeName).join(', ')}], keys used: [${[...used].join(', ')}]`);
      }
      const t = newTable(name, ks[0].AttributeName, ks[1] && ks[1].AttributeName);
      t.gsis = gsis;
      for (const a of defs) if (!t.attrs.some((x) => x.AttributeName === a.AttributeName)) t.attrs.push({ AttributeName: a.AttributeName, AttributeType: a.AttributeType });
      tables()[name] = t;
      store.changed();
      return { TableDescription: describe(t) };
    },

    DescribeTable(input, auth) {
      const t = table(input.TableName);
      authorize(auth, 'DescribeTable', t.name, null);
      return { Table: describe(t) };
    },

    GetItem(input, auth) {
      const t = table(input.TableName);
      const key = keyOf(t, input.Key, true);
      authorize(auth, 'GetItem', t.name, [key[0]]);
      expressions(input, []);
      const item = projection(input, getItem(t, key));
      return item ? { Item: item } : {};
    },

    PutItem(input, auth) {
      const t = table(input.TableName);
      const key = keyOf(t, input.Item, false);
      authorize(auth, 'PutItem', t.name, [key[0]]);
      const w = planWrite('Put', t, input);
      putItem(t, w.key, w.next);
      return returnValues(input, w.old, undefined);
    },

    UpdateItem(input, auth) {
      const t = table(input.TableName);
      authorize(auth, 'UpdateItem', t.name, [keyOf(t, input.Key, true)[0]]);
      const w = planWrite('Update', t, input);
      putItem(t, w.key, w.next);
      return returnValues(input, w.old, w.next);
    },

    DeleteItem(input, auth) {
      const t = table(input.TableName);
      authorize(auth, 'DeleteItem', t.name, [keyOf(t, input.Key, true)[0]]);
      const w = planWrite('Delete', t, input);
      if (w.old) putItem(t, w.key, undefined);
      return returnValues(input, w.old, undefined);
    },

    Query(input, auth) {
      const t = table(input.TableName);
      if (input.IndexName !== undefined) return queryIndex(t, input, auth);
      const { hash, range, filter } = keyCondition(t, input);
      authorize(auth, 'Query', t.name, [hash]);
      const rn = rangeName(t);
      let entries = Object.entries(t.items[hash] || {}).filter(([, item]) => !range || evaluate(range, item));
      entries.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
      if (input.ScanIndexForward === false) entries.reverse();
      if (input.ExclusiveStartKey) {
        const [eh, er] = keyOf(t, input.ExclusiveStartKey, true);
        if (eh !== hash) throw validation('The provided starting key is invalid: The provided key element does not match the schema');
        const forward = input.ScanIndexForward !== false;
        entries = entries.filter(([r]) => {
          const c = Buffer.compare(Buffer.from(r), Buffer.from(er ?? ''));
          return forward ? c > 0 : c < 0;
        });
      }
      const limit = input.Limit;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
        throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
      }
      const items = []; let scanned = 0; let bytes = 0; let last = null;
      for (let i = 0; i < entries.length; i += 1) {
        const item = entries[i][1];
        scanned += 1;
        bytes += itemBytes(item);
        if (!filter || evaluate(filter, item)) items.push(projection(input, item));
        const more = i + 1 < entries.length;
        if (more && ((limit !== undefined && scanned >= limit) || bytes >= PAGE_BYTES)) {
          last = { [hashName(t)]: { S: hash } };
          if (rn) last[rn] = { S: entries[i][0] };
          break;
        }
      }
      const out = input.Select === 'COUNT' ? { Count: items.length, ScannedCount: scanned }
        : { Items: items, Count: items.length, ScannedCount: scanned };
      if (last) out.LastEvaluatedKey = last;
      return out;
    },

    TransactWriteItems(input, auth) {
      const list = input.TransactItems;
      if (!Array.isArray(list) || list.length < 1 || list.length > 100) {
        throw validation(`1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100, Member must have length greater than or equal to 1`);
      }
      const token = input.ClientRequestToken;
      const fingerprint = crypto.createHash('sha256').update(JSON.stringify(list)).digest('hex');
      const now = Date.now();
      for (const [k, v] of Object.entries(d.dynamodb.tokens)) if (v.expMs < now) delete d.dynamodb.tokens[k];
      if (token !== undefined) {
        const seen = d.dynamodb.tokens[token];
        if (seen && seen.fingerprint !== fingerprint) {
          throw new DdbError('IdempotentParameterMismatchException', 'The request uses the same client token as a previous, but non-identical request.');
        }
        if (seen) return {};
      }
      // Check every action first; nothing is written unless all conditions hold.
      const plans = [];
      const reasons = [];
      const keys = new Set();
      let failed = false;
      for (const entry of list) {
        const kinds = Object.keys(entry || {});
        if (kinds.length !== 1 || !['ConditionCheck', 'Put', 'Update', 'Delete'].includes(kinds[0])) {
          throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
        }
        const kind = kinds[0];
        const op = entry[kind];
        const t = table(op.TableName);
        const key = keyOf(t, kind === 'Put' ? op.Item : op.Key, kind !== 'Put');
        authorize(auth, kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`, t.name, [key[0]]);
        const id = `${t.name}\u0000${key.join('\u0000')}`;
        if (keys.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
        keys.add(id);
        try {
          plans.push({ t, ...planWrite(kind, t, op) });
          reasons.push({ Code: 'None' });
        } catch (e) {
          if (!(e instanceof DdbError) || e.type !== 'ConditionalCheckFailedException') throw e;
          failed = true;
          reasons.push({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(e.extra || {}) });
        }
      }
      if (failed) {
        throw new DdbError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, { extra: { CancellationReasons: reasons } });
      }
      for (const p of plans) if (p.next !== null) putItem(p.t, p.key, p.next);
      if (token !== undefined) d.dynamodb.tokens[token] = { fingerprint, expMs: now + TOKEN_TTL_MS };
      return {};
    },
  };

  async function handle(req, res) {
    const rid = requestId();
    const send = (status, obj) => {
      const text = Buffer.from(JSON.stringify(obj));
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': rid,
        'x-amz-crc32': String(crc32(text)),
        'content-length': text.length,
      });
      res.end(text);
    };
    const sendErr = (e) => {
      req.sandbox.note('error', e.type);
      send(e.status, { __type: `${e.prefix}${e.type}`, message: e.message, ...(e.extra || {}) });
    };
    const target = String(req.headers['x-amz-target'] || '');
    const op = target.startsWith('DynamoDB_20120810.') ? target.slice('DynamoDB_20120810.'.length) : '';
    req.sandbox.setOperation(op || 'unknown');
    const body = await readBody(req, 16 * 1024 * 1024);
    if (req.method === 'GET' || (op === 'Ping')) {
      send(200, { healthy: true });
      return;
    }
    const faulted = await req.sandbox.fault(op || 'unknown', (kind) => {
      if (kind === 'throttle') sendErr(new DdbError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.'));
      else if (kind === 'http503') sendErr(new DdbError('ServiceUnavailableException', 'Service Unavailable', { status: 503, prefix: PREFIX.coral }));
      else sendErr(new DdbError('InternalServerError', 'Internal server error', { status: 500 }));
    });
    if (faulted) return;
    try {
      let auth;
      try {
        auth = verifySigV4({ req, body, service: 'dynamodb', region: d.region, nowMs: clock.nowMs(), lookupKey: identity.lookupKey }).key;
      } catch (e) {
        if (e instanceof AwsAuthError) throw new DdbError(e.code, e.message, { status: 400, prefix: PREFIX.coral });
        throw e;
      }
      if (!ops[op]) throw new DdbError('UnknownOperationException', '', { prefix: PREFIX.coral });
      let input;
      try {
        input = JSON.parse(body.toString('utf8') || '{}');
        if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('x');
      } catch {
        throw new DdbError('SerializationException', 'Start of structure or map found where not expected.', { prefix: PREFIX.coral });
      }
      const out = ops[op](input, auth);
      // What a Query read and returned, for tests that count the items a sync downloads.
      if (typeof out.ScannedCount === 'number') {
        req.sandbox.note('scanned', out.ScannedCount);
        req.sandbox.note('returned', out.Count);
      }
      send(200, out);
    } catch (e) {
      if (e instanceof DdbError) sendErr(e);
      else throw e;
    }
  }

  // For POST /admin/seed: writes items as a developer's PutItem would (indexes kept up to date).
  function seedItem(tableName, item) {
    const t = table(tableName);
    checkItem(item);
    checkIndexKeys(t, item);
    putItem(t, keyOf(t, item, false), item);
  }

  // Indexes are built once, when the sandbox starts (from a saved state too), then kept up to date by
  // every write: a Query never pays for a build.
  for (const t of Object.values(tables())) for (const g of t.gsis || []) gsiEntries(t, g);
  return { handle, tables, compare, seedItem };
}
