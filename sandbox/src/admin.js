// Admin API: plain HTTP on 127.0.0.1 only. Faults, clock skew, key rotation, lifetimes,
// refresh-token rotation, revocation, reset, request log.
import { FAULT_KINDS, SERVICES } from './services.js';
import { clock, readBody, newRsaJwk } from './util.js';

// A page in a browser on this machine can reach 127.0.0.1 too. DNS rebinding (a name of the attacker's
// that resolves to 127.0.0.1) shows up as a foreign Host header; a form post cannot send a JSON
// content type (and a fetch() that does needs a CORS preflight this API never answers).
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

export function hostIsLoopback(host) {
  return typeof host === 'string' && LOOPBACK_HOST.test(host);
}

export function isJsonContentType(value) {
  return typeof value === 'string' && value.split(';')[0].trim().toLowerCase() === 'application/json';
}

export function createAdmin({ store, faults, log, oidc, support, getReady }) {
  const d = store.d;
  const send = (res, status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify(obj)}\n`);
  };

  return async function admin(req, res) {
    const ra = req.socket.remoteAddress || '';
    if (!(ra === '127.0.0.1' || ra === '::1' || ra === '::ffff:127.0.0.1')) {
      send(res, 403, { error: 'loopback only' });
      return;
    }
    if (!hostIsLoopback(req.headers.host)) {
      send(res, 403, { error: 'the admin API answers only Host: 127.0.0.1, localhost or [::1]' });
      return;
    }
    if ((req.method === 'POST' || req.method === 'PUT') && !isJsonContentType(req.headers['content-type'])) {
      send(res, 415, { error: 'admin requests with a body need content-type: application/json' });
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1/');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    let body = {};
    if (req.method === 'POST' || req.method === 'PUT') {
      const raw = (await readBody(req, 1024 * 1024)).toString('utf8').trim();
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          send(res, 400, { error: 'body must be JSON' });
          return;
        }
      }
      if (!body || typeof body !== 'object') body = {};
    }
    const route = `${req.method} ${p}`;
    switch (route) {
      case 'GET /':
      case 'GET /admin':
        send(res, 200, { ready: getReady(), faults: faults.list, skew_seconds: clock.skewSeconds,
          lifetimes: d.lifetimes, refresh_rotation: d.refreshRotation, pool: d.pool || {} });
        return;
      case 'GET /admin/faults':
        send(res, 200, { faults: faults.list });
        return;
      case 'POST /admin/faults': {
        const list = Array.isArray(body) ? body : [body];
        for (const f of list) {
          if (!SERVICES.includes(f.service) || !FAULT_KINDS.includes(f.kind)) {
            send(res, 400, { error: `service must be one of ${SERVICES.join('|')}, kind one of ${FAULT_KINDS.join('|')}` });
            return;
          }
        }
        const added = list.map((f) => faults.add(f));
        send(res, 200, { ok: true, added, faults: faults.list });
        return;
      }
      case 'DELETE /admin/faults':
        faults.clear();
        send(res, 200, { ok: true });
        return;
      case 'POST /admin/clock': {
        const s = Number(body.skew_seconds);
        if (!Number.isFinite(s)) { send(res, 400, { error: 'skew_seconds must be a number' }); return; }
        clock.skewSeconds = s;
        send(res, 200, { ok: true, skew_seconds: s, server_time: new Date(clock.nowMs()).toISOString() });
        return;
      }
      case 'POST /admin/rotate-key': {
        const key = newRsaJwk();
        d.oidcKeys = body.drop_old ? [key] : [key, ...d.oidcKeys].slice(0, 5);
        store.changed();
        oidc.rebuild();
        send(res, 200, { ok: true, kid: key.kid, kids: d.oidcKeys.map((k) => k.kid) });
        return;
      }
      case 'POST /admin/lifetimes': {
        for (const k of ['id_token', 'access_token', 'refresh_token', 'credentials']) {
          if (body[k] === undefined) continue;
          const v = Number(body[k]);
          if (!Number.isInteger(v) || v <= 0) { send(res, 400, { error: `${k} must be a positive integer (seconds)` }); return; }
          d.lifetimes[k] = v;
        }
        store.changed();
        send(res, 200, { ok: true, lifetimes: d.lifetimes });
        return;
      }
      case 'POST /admin/refresh-rotation':
        d.refreshRotation = !!body.enabled;
        store.changed();
        send(res, 200, { ok: true, enabled: d.refreshRotation });
        return;
      case 'POST /admin/pool': {
        // The identity pool's configuration: the audiences its OIDC provider accepts (null = every
        // client of the provider) and whether the basic (classic) flow is allowed.
        const pool = { ...(d.pool || {}) };
        if (body.client_ids !== undefined) {
          if (body.client_ids !== null && !(Array.isArray(body.client_ids) && body.client_ids.every((c) => typeof c === 'string'))) {
            send(res, 400, { error: 'client_ids must be an array of strings or null' });
            return;
          }
          pool.clientIds = body.client_ids;
        }
        if (body.allow_classic_flow !== undefined) {
          if (typeof body.allow_classic_flow !== 'boolean') { send(res, 400, { error: 'allow_classic_flow must be a boolean' }); return; }
          pool.allowClassicFlow = body.allow_classic_flow;
        }
        d.pool = pool;
        store.changed();
        send(res, 200, { ok: true, client_ids: pool.clientIds ?? null, allow_classic_flow: pool.allowClassicFlow !== false });
        return;
      }
      case 'POST /admin/revoke': {
        let sub = body.sub;
        if (!sub && body.username) sub = store.userByName(body.username)?.sub;
        if (!sub) { send(res, 400, { error: 'sub (or username) required' }); return; }
        send(res, 200, { ok: true, sub, revoked: oidc.revokeUser(sub) });
        return;
      }
      case 'POST /admin/seed': {
        let out;
        try {
          out = support.seed(body);
          store.saveNow(); // pay for writing a big state here, not in the middle of the next request
        } catch (e) {
          send(res, 400, { error: e.message });
          return;
        }
        send(res, 200, out);
        return;
      }
      case 'POST /admin/staff-keys':
        // A second set of developer-level keys for a staff member, optionally with a narrower policy:
        // {"name": "support-readonly", "deny": ["cognito-sync:UpdateRecords"]}.
        if (body.deny !== undefined && !(Array.isArray(body.deny) && body.deny.every((a) => typeof a === 'string'))) {
          send(res, 400, { error: 'deny must be a list of IAM actions' });
          return;
        }
        send(res, 200, { ok: true, ...support.addStaffKey(body) });
        return;
      case 'POST /admin/reset':
        store.reset();
        faults.clear();
        clock.skewSeconds = 0;
        send(res, 200, { ok: true });
        return;
      case 'GET /admin/requests': {
        const since = Number(url.searchParams.get('since') || 0);
        send(res, 200, log.since(Number.isFinite(since) ? since : 0));
        return;
      }
      default:
        send(res, 404, { error: `no route ${route}` });
    }
  };
}
