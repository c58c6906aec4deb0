// The sandbox's whole state: kept in memory, saved as DIR/state.json (atomically) shortly after each
// change and on shutdown, reloaded on start so a restarted sandbox keeps its pool, clients, keys,
// identities, datasets and grants.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { newRsaJwkAsync, awsKeyId, awsSecret, randomHex } from './util.js';

export const DEFAULT_LIFETIMES = Object.freeze({
  id_token: 36000, // Auth0's default
  access_token: 86400,
  refresh_token: 30 * 86400,
  credentials: 3600,
});

const USERS = [
  { username: 'alice@example.com', password: 'alice-Passw0rd', name: 'Alice Liddell', nickname: 'alice', color: '#635dff' },
  { username: 'bob@example.com', password: 'bob-Passw0rd', name: 'Bob Builder', nickname: 'bob', color: '#0a8754' },
  { username: 'carol@example.com', password: 'carol-Passw0rd', name: 'Carol Danvers', nickname: 'carol', color: '#d0021b' },
  // A blocked account: a correct password ends in error=access_denied ("user is blocked"), as on Auth0.
  { username: 'dave@example.com', password: 'dave-Passw0rd', name: 'Dave Blocked', nickname: 'dave', color: '#666666', blocked: true },
];

function subFor(username) {
  return `auth0|${crypto.createHash('sha256').update(`fedsync-sandbox:${username}`).digest('hex').slice(0, 24)}`;
}

function freshRuntime() {
  return { identities: {}, credentials: {}, datasets: {}, oidcStore: {}, syncSessions: {} };
}

function freshState(oidcKey, cognitoKey) {
  return {
    version: 1,
    created: new Date().toISOString(),
    region: 'us-east-1',
    accountId: '123456789012',
    poolId: `us-east-1:${crypto.randomUUID()}`,
    poolName: 'fedsync_sandbox_pool',
    roleName: 'fedsync-sandbox-auth',
    clientId: randomHex(16),
    hs256ClientId: randomHex(16),
    hs256ClientSecret: crypto.randomBytes(32).toString('base64url'),
    cookieKeys: [crypto.randomBytes(32).toString('base64url')],
    oidcKeys: [oidcKey],
    cognitoKeys: [cognitoKey],
    developer: { accessKeyId: awsKeyId('AKIA'), secretAccessKey: awsSecret() },
    lifetimes: { ...DEFAULT_LIFETIMES },
    refreshRotation: false,
    updatedAt: new Date().toISOString(),
    ...freshRuntime(),
  };
}

export class StateStore {
  // Loads DIR/state.json, or makes a fresh state (two RSA keys, generated in parallel).
  static async open(dataDir) {
    const file = path.join(dataDir, 'state.json');
    let loaded = null;
    try {
      loaded = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!loaded || loaded.version !== 1) loaded = null;
    } catch {
      loaded = null;
    }
    if (loaded) return new StateStore(file, { ...freshRuntime(), ...loaded }, false);
    const [a, b] = await Promise.all([newRsaJwkAsync(), newRsaJwkAsync('us-east-1-1')]);
    return new StateStore(file, freshState(a, b), true);
  }

  constructor(file, data, isNew) {
    this.file = file;
    this.timer = null;
    this.data = data;
    this.users = USERS.map((u) => ({ ...u, sub: subFor(u.username), email: u.username }));
    if (isNew) this.saveNow();
  }

  get d() { return this.data; }

  roleArn() { return `arn:aws:iam::${this.data.accountId}:role/${this.data.roleName}`; }

  userByName(username) {
    const u = String(username || '').trim().toLowerCase();
    return this.users.find((x) => x.username === u);
  }

  userBySub(sub) { return this.users.find((x) => x.sub === sub); }

  changed() {
    if (this.timer) return;
    // A big state (a seeded pool of 100,000 identities) takes a second or more to write and blocks the
    // event loop meanwhile: save it less often, so that saving takes at most ~5% of the time.
    const delay = Math.max(200, Math.min(60000, 20 * (this.lastSaveMs || 0)));
    this.timer = setTimeout(() => { this.timer = null; this.saveNow(); }, delay);
    this.timer.unref();
  }

  saveNow() {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    // Drop expired OIDC artefacts (sessions, codes, tokens, interactions) before saving.
    const now = Date.now();
    for (const bucket of Object.values(this.data.oidcStore || {})) {
      for (const [id, rec] of Object.entries(bucket)) if (rec && rec.exp && rec.exp < now) delete bucket[id];
    }
    const t0 = Date.now();
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.lastSaveMs = Date.now() - t0;
  }

  reset() {
    Object.assign(this.data, freshRuntime());
    this.data.lifetimes = { ...DEFAULT_LIFETIMES };
    this.data.refreshRotation = false;
    this.data.pool = {};
    this.changed();
  }
}
