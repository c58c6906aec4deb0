// Request plumbing shared by the services: the request log, fault injection, the skewed Date header.
import fs from 'node:fs';
import { clock, sleep } from './util.js';

export class RequestLog {
  constructor(file) {
    this.file = file;
    this.seq = 0;
    this.entries = [];
    this.fd = fs.openSync(file, 'a');
  }

  add(entry) {
    this.seq += 1;
    const e = { seq: this.seq, ...entry };
    this.entries.push(e);
    if (this.entries.length > 10000) this.entries.splice(0, this.entries.length - 10000);
    try { fs.writeSync(this.fd, `${JSON.stringify(e)}\n`); } catch { /* log is best effort */ }
    return e;
  }

  since(n) {
    return { next: this.seq, requests: this.entries.filter((e) => e.seq > n) };
  }

  close() { try { fs.closeSync(this.fd); } catch { /* ignore */ } }
}

export const FAULT_KINDS = ['http500', 'http503', 'throttle', 'delay', 'reset', 'malformed'];
export const SERVICES = ['oidc', 'cognito-identity', 'sts', 'cognito-sync', 'dynamodb'];

export class Faults {
  constructor() { this.list = []; }

  add(f) {
    const fault = {
      service: f.service,
      operation: f.operation || '*',
      remaining: Number.isInteger(f.count) && f.count > 0 ? f.count : 1,
      kind: f.kind,
      delay_ms: Number.isFinite(f.delay_ms) ? f.delay_ms : 2000,
    };
    this.list.push(fault);
    return fault;
  }

  clear() { this.list = []; }

  take(service, operation) {
    const i = this.list.findIndex((f) => f.service === service
      && (f.operation === '*' || f.operation === operation) && f.remaining > 0);
    if (i < 0) return null;
    const f = this.list[i];
    f.remaining -= 1;
    if (f.remaining <= 0) this.list.splice(i, 1);
    return f;
  }
}

// Wraps a service handler: logs every request (one JSON line), sets a Date header from the sandbox
// clock, and gives the handler `req.sandbox.fault(operation, writeError)` to apply injected faults.
// writeError(kind) must answer in the service's own error format ('http500'|'http503'|'throttle').
export function instrument(service, handler, { log, faults, malformedBody }) {
  return (req, res) => {
    const start = process.hrtime.bigint();
    const rec = { service, operation: 'unknown', method: req.method, path: req.url.split('?')[0] };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      log.add({
        ts: new Date().toISOString(), ...rec,
        status: res.headersSent ? res.statusCode : 0, duration_ms: Math.round(ms * 10) / 10,
      });
    };
    res.on('finish', finish);
    res.on('close', finish);
    res.setHeader('Date', new Date(clock.nowMs()).toUTCString());
    req.sandbox = {
      rec,
      setOperation(op) { rec.operation = op; },
      note(k, v) { rec[k] = v; },
      async fault(operation, writeError) {
        rec.operation = operation;
        const f = faults.take(service, operation);
        if (!f) return false;
        rec.fault = f.kind;
        switch (f.kind) {
          case 'delay':
            await sleep(f.delay_ms);
            return false;
          case 'reset':
            // A TCP RST where the socket allows it (plain TCP), else an abrupt close without TLS
            // close_notify: either way the client sees ECONNRESET / "socket hang up".
            try {
              const raw = req.socket._parent || req.socket; // eslint-disable-line no-underscore-dangle
              if (typeof raw.resetAndDestroy === 'function' && raw._handle && typeof raw._handle.reset === 'function') raw.resetAndDestroy(); // eslint-disable-line no-underscore-dangle
              else req.socket.destroy();
            } catch {
              req.socket.destroy();
            }
            return true;
          case 'malformed': {
            const [type, body] = malformedBody;
            res.writeHead(200, { 'content-type': type });
            res.end(body);
            return true;
          }
          default:
            writeError(f.kind);
            return true;
        }
      },
    };
    Promise.resolve().then(() => handler(req, res)).catch((err) => {
      console.error(`[${service}] ${err && err.stack ? err.stack : err}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'internal sandbox error' }));
      } else {
        res.destroy();
      }
    });
  };
}
