// Amazon Cognito Sync emulator (REST-JSON, SigV4 service `cognito-sync`).
import crypto from 'node:crypto';
import { clock, readBody, requestId } from './util.js';
import { verifySigV4, AwsAuthError } from './sigv4.js';
import { validateIdFormat, ServiceError } from './identity.js';

const MAX_DATASETS = 20;
const MAX_DATASET_BYTES = 1024 * 1024;
const MAX_RECORDS = 1024;
const NAME_RE = /^[a-zA-Z0-9_.:-]{1,128}$/;
const SESSION_TTL_MS = 60 * 60 * 1000;

const STATUS = {
  InvalidParameterException: 400,
  LimitExceededException: 400,
  NotAuthorizedException: 403,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ResourceConflictException: 409,
  TooManyRequestsException: 429,
  InternalErrorException: 500,
  ServiceUnavailable: 503,
};

const err = (type, message) => new ServiceError(type, message, STATUS[type] || 400);

export function createSync({ store, identity, support }) {
  const d = store.d;

  const nowSec = () => clock.nowMs() / 1000;

  function space(identityId) {
    d.datasets[identityId] ||= { sets: {}, deleted: {} };
    return d.datasets[identityId];
  }

  function storage(ds) {
    let n = 0;
    for (const [k, r] of Object.entries(ds.records)) {
      if (r.value !== null) n += Buffer.byteLength(k) + Buffer.byteLength(r.value);
    }
    return n;
  }

  function describeDataset(identityId, ds) {
    return {
      IdentityId: identityId,
      DatasetName: ds.name,
      CreationDate: ds.created,
      LastModifiedDate: ds.modified,
      LastModifiedBy: ds.modifiedBy,
      DataStorage: storage(ds),
      NumRecords: Object.values(ds.records).filter((r) => r.value !== null).length,
    };
  }

  function recordOut(key, r) {
    const out = { Key: key, SyncCount: r.syncCount, LastModifiedDate: r.modified, LastModifiedBy: r.modifiedBy };
    if (r.value !== null) out.Value = r.value;
    if (r.deviceModified !== undefined && r.deviceModified !== null) out.DeviceLastModifiedDate = r.deviceModified;
    return out;
  }

  function checkName(name) {
    if (!NAME_RE.test(name)) {
      throw err('InvalidParameterException', `1 validation error detected: Value '${name}' at 'datasetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.:-]+`);
    }
  }

  function intParam(v, member, min, max) {
    if (v === null || v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
      throw err('InvalidParameterException', `1 validation error detected: Value '${v}' at '${member}' failed to satisfy constraint: Member must be an integer between ${min} and ${max ?? 'max'}`);
    }
    return n;
  }

  const ACTIONS = {
    ListDatasets: 'ListDatasets', DescribeDataset: 'DescribeDataset', DeleteDataset: 'DeleteDataset',
    ListRecords: 'ListRecords', UpdateRecords: 'UpdateRecords', DescribeIdentityUsage: 'DescribeIdentityUsage',
  };

  function authorize(req, body, poolId, identityId, op, name) {
    let auth;
    try {
      auth = verifySigV4({ req, body, service: 'cognito-sync', region: d.region, nowMs: clock.nowMs(), lookupKey: identity.lookupKey });
    } catch (e) {
      if (e instanceof AwsAuthError) throw new ServiceError(e.code, e.message, e.status);
      throw e;
    }
    validateIdFormat(poolId, 'identityPoolId');
    validateIdFormat(identityId, 'identityId');
    if (!auth.key.developer && auth.key.identityId !== identityId) {
      throw err('NotAuthorizedException', `Access to Identity '${identityId}' is forbidden.`);
    }
    if (poolId !== d.poolId) throw err('ResourceNotFoundException', `IdentityPool '${poolId}' not found.`);
    if (auth.key.developer) {
      let resource = `arn:aws:cognito-sync:${d.region}:${d.accountId}:identitypool/${poolId}/identity/${identityId}`;
      if (name !== undefined) resource += `/dataset/${name}`;
      const denied = support.checkAllowed(auth.key, `cognito-sync:${ACTIONS[op]}`, resource);
      if (denied) throw err('AccessDeniedException', denied);
    }
    if (!identity.findIdentity(identityId)) throw err('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    return auth.key.developer ? support.principalFor(auth.key) : identityId;
  }

  function newSessionToken(identityId, name) {
    const token = crypto.randomBytes(24).toString('base64url');
    const now = Date.now();
    for (const [k, v] of Object.entries(d.syncSessions)) if (v.expMs < now) delete d.syncSessions[k];
    d.syncSessions[token] = { identityId, name, expMs: now + SESSION_TTL_MS };
    return token;
  }

  const ops = {
    ListDatasets({ identityId, query }) {
      const max = intParam(query.get('maxResults'), 'maxResults', 1, 60) ?? 20;
      const sp = space(identityId);
      const all = Object.values(sp.sets).sort((a, b) => (a.name < b.name ? -1 : 1));
      const start = query.get('nextToken') ? Number(Buffer.from(query.get('nextToken'), 'base64url').toString()) : 0;
      if (!Number.isInteger(start) || start < 0) throw err('InvalidParameterException', 'Invalid NextToken');
      const page = all.slice(start, start + max);
      const out = { Datasets: page.map((ds) => describeDataset(identityId, ds)), Count: page.length };
      if (start + max < all.length) out.NextToken = Buffer.from(String(start + max)).toString('base64url');
      return out;
    },

    DescribeIdentityUsage({ identityId }) {
      const sp = space(identityId);
      const sets = Object.values(sp.sets);
      const last = sets.reduce((m, ds) => Math.max(m, ds.modified), 0);
      const usage = {
        IdentityId: identityId,
        IdentityPoolId: d.poolId,
        DatasetCount: sets.length,
        DataStorage: sets.reduce((n, ds) => n + storage(ds), 0),
      };
      if (last) usage.LastModifiedDate = last;
      return { IdentityUsage: usage };
    },

    DescribeDataset({ identityId, name }) {
      const ds = space(identityId).sets[name];
      if (!ds) throw err('ResourceNotFoundException', `Dataset '${name}' not found.`);
      return { Dataset: describeDataset(identityId, ds) };
    },

    DeleteDataset({ identityId, name }) {
      const sp = space(identityId);
      const ds = sp.sets[name];
      if (!ds) throw err('ResourceNotFoundException', `Dataset '${name}' not found.`);
      const out = { Dataset: describeDataset(identityId, ds) };
      sp.deleted[name] = ds.syncCount;
      delete sp.sets[name];
      store.changed();
      return out;
    },

    ListRecords({ identityId, name, query }) {
      const last = intParam(query.get('lastSyncCount'), 'lastSyncCount', 0) ?? 0;
      const max = intParam(query.get('maxResults'), 'maxResults', 1, 1024) ?? 1024;
      let start = 0;
      if (query.get('nextToken')) {
        start = Number(Buffer.from(query.get('nextToken'), 'base64url').toString());
        if (!Number.isInteger(start) || start < 0) throw err('InvalidParameterException', 'Invalid NextToken');
      }
      const sp = space(identityId);
      const ds = sp.sets[name];
      const tomb = sp.deleted[name];
      const changed = ds ? Object.entries(ds.records).filter(([, r]) => r.syncCount > last)
        .sort((a, b) => a[1].syncCount - b[1].syncCount || (a[0] < b[0] ? -1 : 1)) : [];
      const page = changed.slice(start, start + max);
      const out = {
        Records: page.map(([k, r]) => recordOut(k, r)),
        Count: page.length,
        DatasetSyncCount: ds ? ds.syncCount : 0,
        MergedDatasetNames: [],
        DatasetExists: !!ds,
        DatasetDeletedAfterRequestedSyncCount: tomb !== undefined && last > 0 && last <= tomb,
        SyncSessionToken: query.get('syncSessionToken') && d.syncSessions[query.get('syncSessionToken')]
          ? query.get('syncSessionToken') : newSessionToken(identityId, name),
      };
      if (ds) out.LastModifiedBy = ds.modifiedBy;
      if (start + max < changed.length) out.NextToken = Buffer.from(String(start + max)).toString('base64url');
      store.changed();
      return out;
    },

    UpdateRecords({ identityId, name, body, principal, req }) {
      let input;
      try {
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
        if (!input || typeof input !== 'object') throw new Error('x');
      } catch {
        throw err('InvalidParameterException', 'Invalid request body: not a JSON object.');
      }
      const tok = input.SyncSessionToken;
      const sess = typeof tok === 'string' ? d.syncSessions[tok] : undefined;
      if (!sess || sess.identityId !== identityId || sess.name !== name || sess.expMs < Date.now()) {
        throw err('InvalidParameterException', tok ? 'Invalid SyncSessionToken.' : "1 validation error detected: Value null at 'syncSessionToken' failed to satisfy constraint: Member must not be null");
      }
      const patches = input.RecordPatches === undefined ? [] : input.RecordPatches;
      if (!Array.isArray(patches)) throw err('InvalidParameterException', 'RecordPatches must be a list.');
      if (input.DeviceId !== undefined && (typeof input.DeviceId !== 'string' || input.DeviceId.length < 1 || input.DeviceId.length > 256)) {
        throw err('InvalidParameterException', "1 validation error detected: Value at 'deviceId' failed to satisfy constraint: Member must have length between 1 and 256");
      }
      const seen = new Set();
      for (const p of patches) {
        if (!p || typeof p !== 'object') throw err('InvalidParameterException', 'Invalid RecordPatch.');
        if (p.Op !== 'replace' && p.Op !== 'remove') {
          throw err('InvalidParameterException', `1 validation error detected: Value '${p.Op}' at 'recordPatches.member.op' failed to satisfy constraint: Member must satisfy enum value set: [replace, remove]`);
        }
        if (typeof p.Key !== 'string' || p.Key.length < 1 || p.Key.length > 1024) {
          throw err('InvalidParameterException', "1 validation error detected: Value at 'recordPatches.member.key' failed to satisfy constraint: Member must have length between 1 and 1024");
        }
        if (seen.has(p.Key)) throw err('InvalidParameterException', `Duplicate key in RecordPatches: ${p.Key}`);
        seen.add(p.Key);
        if (!Number.isInteger(p.SyncCount) || p.SyncCount < 0) {
          throw err('InvalidParameterException', "1 validation error detected: Value null at 'recordPatches.member.syncCount' failed to satisfy constraint: Member must not be null");
        }
        if (p.Op === 'replace' && (typeof p.Value !== 'string' || Buffer.byteLength(p.Value) > MAX_DATASET_BYTES)) {
          throw err('InvalidParameterException', "1 validation error detected: Value at 'recordPatches.member.value' failed to satisfy constraint: Member must have length less than or equal to 1048575");
        }
        if (p.DeviceLastModifiedDate !== undefined && p.DeviceLastModifiedDate !== null && typeof p.DeviceLastModifiedDate !== 'number') {
          throw err('InvalidParameterException', 'DeviceLastModifiedDate must be a timestamp.');
        }
      }
      const sp = space(identityId);
      let ds = sp.sets[name];
      if (!ds && Object.keys(sp.sets).length >= MAX_DATASETS) {
        throw err('LimitExceededException', `The maximum number of datasets per identity (${MAX_DATASETS}) has been reached.`);
      }
      for (const p of patches) {
        const cur = ds && ds.records[p.Key] ? ds.records[p.Key].syncCount : 0;
        if (p.SyncCount !== cur) {
          throw err('ResourceConflictException', `Current SyncCount for: ${p.Key} is: ${cur} not: ${p.SyncCount}`);
        }
      }
      const now = nowSec();
      const created = !ds;
      if (!ds) {
        ds = { name, created: now, modified: now, modifiedBy: principal, syncCount: sp.deleted[name] || 0, records: {} };
      }
      const next = { ...ds.records };
      for (const p of patches) {
        next[p.Key] = {
          value: p.Op === 'replace' ? p.Value : null,
          syncCount: ds.syncCount + 1,
          modified: now,
          modifiedBy: principal,
          deviceModified: typeof p.DeviceLastModifiedDate === 'number' ? p.DeviceLastModifiedDate : now,
        };
      }
      // The service's limits hold for the dataset as it would be after the patches, whoever added
      // the other records (a device that merged before pushing must not break them either).
      const live = Object.values(next).filter((r) => r.value !== null).length;
      if (live > MAX_RECORDS) {
        throw err('LimitExceededException', `Dataset '${name}' would exceed the maximum of ${MAX_RECORDS} records per dataset.`);
      }
      if (storage({ records: next }) > MAX_DATASET_BYTES) {
        throw err('LimitExceededException', `Dataset '${name}' would exceed the maximum dataset size of 1 MB.`);
      }
      if (patches.length || created) {
        ds.records = next;
        ds.syncCount += 1;
        ds.modified = now;
        ds.modifiedBy = principal;
        sp.sets[name] = ds;
        store.changed();
      }
      const cc = req.headers['x-amz-client-context'];
      if (cc) req.sandbox.note('client_context', true);
      return { Records: patches.map((p) => recordOut(p.Key, ds.records[p.Key])) };
    },
  };

  async function handle(req, res) {
    const rid = requestId();
    const sendErr = (type, message, status) => {
      req.sandbox.note('error', type);
      const bodyText = JSON.stringify({ message });
      res.writeHead(status || STATUS[type] || 400, {
        'content-type': 'application/json',
        'x-amzn-requestid': rid,
        'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/`,
        'content-length': Buffer.byteLength(bodyText),
      });
      res.end(bodyText);
    };
    const qi = req.url.indexOf('?');
    const rawPath = qi < 0 ? req.url : req.url.slice(0, qi);
    const query = new URLSearchParams(qi < 0 ? '' : req.url.slice(qi + 1));
    const segs = rawPath.split('/').slice(1).map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
    let op = null;
    if (segs[0] === 'identitypools' && segs[2] === 'identities' && segs.length === 4 && req.method === 'GET') {
      op = 'DescribeIdentityUsage';
    } else if (segs[0] === 'identitypools' && segs[2] === 'identities' && segs[4] === 'datasets') {
      if (segs.length === 5 && req.method === 'GET') op = 'ListDatasets';
      else if (segs.length === 6 && req.method === 'GET') op = 'DescribeDataset';
      else if (segs.length === 6 && req.method === 'DELETE') op = 'DeleteDataset';
      else if (segs.length === 6 && req.method === 'POST') op = 'UpdateRecords';
      else if (segs.length === 7 && segs[6] === 'records' && req.method === 'GET') op = 'ListRecords';
      else if (segs.length === 6 && segs[5] === '' && req.method === 'GET') op = 'ListDatasets';
    }
    req.sandbox.setOperation(op || 'unknown');
    const body = await readBody(req, 4 * 1024 * 1024);
    const faulted = await req.sandbox.fault(op || 'unknown', (kind) => {
      if (kind === 'throttle') sendErr('TooManyRequestsException', 'Rate exceeded');
      else if (kind === 'http503') sendErr('ServiceUnavailable', 'Service Unavailable', 503);
      else sendErr('InternalErrorException', 'Internal server error');
    });
    if (faulted) return;
    if (!op) {
      sendErr('UnknownOperationException', `No operation matches ${req.method} ${rawPath}`, 404);
      return;
    }
    try {
      const name = segs[5];
      const principal = authorize(req, body, segs[1], segs[3], op, name);
      if (name !== undefined) checkName(name);
      const out = ops[op]({ identityId: segs[3], name, query, body, principal, req });
      const text = JSON.stringify(out);
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': rid, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    } catch (e) {
      if (e instanceof ServiceError) sendErr(e.type, e.message, e.status);
      else throw e;
    }
  }

  return { handle };
}
