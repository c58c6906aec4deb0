// Test helpers: start/stop a sandbox in a temp dir, tiny HTTPS client with a cookie jar,
// a scripted authorization-code + PKCE login.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const START = path.join(here, '..', 'start');

export async function startSandbox({ dataDir, portBase = 0 } = {}) {
  const dir = dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'fedsync-sandbox-test-'));
  const readyFile = path.join(dir, 'ready.json');
  const t0 = Date.now();
  const proc = spawn(START, ['--data-dir', dir, '--port-base', String(portBase)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (c) => { stderr += c; });
  let exited = null;
  proc.on('exit', (code, sig) => { exited = { code, sig }; });
  for (;;) {
    if (fs.existsSync(readyFile)) break;
    if (exited) throw new Error(`sandbox exited early (${JSON.stringify(exited)}): ${stderr}`);
    if (Date.now() - t0 > 20000) { proc.kill('SIGKILL'); throw new Error(`sandbox not ready: ${stderr}`); }
    await new Promise((r) => { setTimeout(r, 25); });
  }
  const startupMs = Date.now() - t0;
  const ready = JSON.parse(fs.readFileSync(readyFile, 'utf8'));
  const ca = fs.readFileSync(ready.ca_file);
  const sb = {
    dir, ready, ca, proc, startupMs,
    get stderr() { return stderr; },
    agent: new https.Agent({ ca, keepAlive: false }),
    async stop() {
      if (exited) return exited;
      const done = new Promise((r) => { proc.on('exit', (code, sig) => r({ code, sig })); });
      proc.kill('SIGTERM');
      return done;
    },
    admin: (method, p, body) => adminCall(ready.admin_url, method, p, body),
  };
  return sb;
}

export function adminCall(base, method, p, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const json = data !== undefined || method === 'POST' || method === 'PUT';
    const req = http.request(new URL(p, base), { method, headers: json ? { 'content-type': 'application/json' } : {} }, (res) => {
      let t = '';
      res.on('data', (c) => { t += c; });
      res.on('end', () => {
        try { resolve({ status: res.statusCode, body: JSON.parse(t) }); } catch { resolve({ status: res.statusCode, body: t }); }
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

export function request(url, { method = 'GET', headers = {}, body, ca, jar } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const h = { ...headers };
    if (jar) {
      const c = jar.header(u);
      if (c) h.cookie = c;
    }
    if (body !== undefined && h['content-length'] === undefined) h['content-length'] = Buffer.byteLength(body);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, { method, headers: h, ca, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (jar) jar.store(res.headers['set-cookie']);
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        resolve({ status: res.statusCode, headers: res.headers, body: text, bytes, json() { return JSON.parse(text); } });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export class CookieJar {
  constructor() { this.cookies = new Map(); }

  store(setCookies) {
    for (const sc of setCookies || []) {
      const [pair, ...attrs] = sc.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const pathAttr = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='));
      const p = pathAttr ? pathAttr.slice(5) : '/';
      const expired = attrs.some((a) => /^expires=/i.test(a.trim()) && Date.parse(a.trim().slice(8)) < Date.now());
      const key = `${name}|${p}`;
      if (expired || value === '') this.cookies.delete(key); else this.cookies.set(key, { name, value, path: p });
    }
  }

  header(u) {
    return [...this.cookies.values()].filter((c) => u.pathname.startsWith(c.path)).map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

export function pkce() {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export const form = (obj) => new URLSearchParams(obj).toString();

// Follows redirects inside the issuer; stops at the first redirect leaving it (the app's redirect_uri).
export async function follow(sb, url, opts, jar) {
  let res = await request(url, { ...opts, ca: sb.ca, jar });
  let current = url;
  for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i += 1) {
    const next = new URL(res.headers.location, current).toString();
    if (!next.startsWith(sb.ready.issuer)) return { res, redirect: next };
    current = next;
    res = await request(next, { ca: sb.ca, jar });
  }
  return { res, url: current };
}

// Scripted Auth0 login: /authorize -> login page -> POST credentials -> redirect_uri?code=... -> /oauth/token.
export async function login(sb, {
  username = 'alice@example.com', password, clientId = sb.ready.client_id,
  redirectUri = 'http://127.0.0.1:45678/callback', scope = 'openid profile email offline_access',
  jar = new CookieJar(), exchange = true, json = false, extra = {},
} = {}) {
  const user = [...sb.ready.users, ...sb.ready.blocked_users].find((u) => u.username === username);
  const pw = password ?? user.password;
  const { verifier, challenge } = pkce();
  const state = crypto.randomBytes(8).toString('hex');
  const nonce = crypto.randomBytes(8).toString('hex');
  const q = new URLSearchParams({
    client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope, state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  });
  const first = await follow(sb, `${sb.ready.issuer}authorize?${q}`, {}, jar);
  let final = first;
  let loginPage = null;
  if (!first.redirect) {
    loginPage = first;
    if (first.res.status !== 200) throw new Error(`authorize: ${first.res.status} ${first.res.body.slice(0, 300)}`);
    final = await follow(sb, first.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ username, password: pw, action: 'default' }),
    }, jar);
  }
  if (!final.redirect) return { loginPage, failedPage: final.res, jar };
  const cb = new URL(final.redirect);
  const out = { loginPage, callback: cb, state, nonce, verifier, jar };
  if (!exchange || !cb.searchParams.get('code')) return out;
  const params = {
    grant_type: 'authorization_code', client_id: clientId, code: cb.searchParams.get('code'),
    redirect_uri: redirectUri, code_verifier: verifier,
  };
  const tok = await request(`${sb.ready.issuer}oauth/token`, {
    method: 'POST', ca: sb.ca,
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(params) : form(params),
  });
  out.tokenResponse = tok;
  out.tokens = tok.status === 200 ? tok.json() : null;
  return out;
}

export function decodeJwt(t) {
  const [h, p] = t.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}
