// Entry point: `start --data-dir DIR [--port-base N]`.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { ensureTls } from './tls.js';
import { StateStore } from './state.js';
import { RequestLog, Faults, instrument } from './services.js';
import { createIdentity } from './identity.js';
import { createSts } from './sts.js';
import { createSync } from './sync.js';
import { createDynamo, DEFAULT_TABLE } from './dynamodb.js';
import { createAdmin } from './admin.js';
import { createSupport } from './support.js';

function usage(msg) {
  if (msg) console.error(`sandbox: ${msg}`);
  console.error('usage: start --data-dir DIR [--port-base N]   (N=0: free ports; default 18440)');
  process.exit(2);
}

function parseArgs(argv) {
  const out = { portBase: 18440, dataDir: null };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const [k, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const val = () => (inline !== undefined ? inline : argv[++i]); // eslint-disable-line no-plusplus
    if (k === '--data-dir') out.dataDir = val();
    else if (k === '--port-base') out.portBase = Number(val());
    else if (k === '-h' || k === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!out.dataDir) usage('--data-dir is required');
  if (!Number.isInteger(out.portBase) || out.portBase < 0 || out.portBase > 65530) usage('bad --port-base');
  return out;
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

// ready.json and profile.json carry passwords and the developer's secret key: owner-only (0600),
// set when the file is created so no other user can open it in between.
function writeJsonAtomic(file, obj) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.writeFileSync(tmp, `${JSON.stringify(obj, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600); // the umask cannot widen it, but an old file of that name could have been wider
  fs.renameSync(tmp, file);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const dataDir = path.resolve(args.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const readyFile = path.join(dataDir, 'ready.json');
  fs.rmSync(readyFile, { force: true });

  // In parallel: openssl (child processes), RSA key generation (thread pool), loading oidc-provider.
  const [tls, store, { createOidc, REDIRECT_URIS, LOGOUT_URLS }] = await Promise.all([
    ensureTls(dataDir), StateStore.open(dataDir), import('./oidc.js'),
  ]);
  const d = store.d;
  const log = new RequestLog(path.join(dataDir, 'requests.log'));
  const faults = new Faults();
  const tlsOpts = { key: tls.key, cert: tls.cert };

  const handlers = {};
  const mk = (name, malformed) => {
    const server = https.createServer(tlsOpts,
      instrument(name, (req, res) => handlers[name](req, res), { log, faults, malformedBody: malformed }));
    server.keepAliveTimeout = 5000;
    return server;
  };
  const servers = {
    oidc: mk('oidc', ['application/json', '{"access_token":"tr']),
    'cognito-identity': mk('cognito-identity', ['application/x-amz-json-1.1', '{"IdentityId": us-east-1:']),
    sts: mk('sts', ['text/xml', '<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>']),
    'cognito-sync': mk('cognito-sync', ['application/json', '{"Records":[{"Key":']),
    dynamodb: mk('dynamodb', ['application/x-amz-json-1.0', '{"Items":[{"sk":']),
  };
  const adminServer = http.createServer();

  const order = ['oidc', 'cognito-identity', 'sts', 'cognito-sync'];
  const ports = {};
  for (let i = 0; i < order.length; i += 1) {
    ports[order[i]] = await listen(servers[order[i]], args.portBase ? args.portBase + i : 0);
  }
  ports.admin = await listen(adminServer, args.portBase ? args.portBase + 4 : 0);
  ports.dynamodb = await listen(servers.dynamodb, args.portBase ? args.portBase + 5 : 0);

  const domain = `127.0.0.1:${ports.oidc}`;
  const issuer = `https://${domain}/`;
  const endpoints = {
    oidc: issuer,
    cognito_identity: `https://127.0.0.1:${ports['cognito-identity']}/`,
    sts: `https://127.0.0.1:${ports.sts}/`,
    cognito_sync: `https://127.0.0.1:${ports['cognito-sync']}/`,
    dynamodb: `https://127.0.0.1:${ports.dynamodb}/`,
  };
  const providerName = `${domain}/`;
  const ctx = { store, issuer, providerName, clock: null };

  const oidc = createOidc({ store, issuer });
  const support = createSupport({ store, providerName });
  const identity = createIdentity({ ...ctx, oidc, support });
  handlers.oidc = oidc.handle;
  handlers['cognito-identity'] = identity.handle;
  handlers.sts = createSts({ ...ctx, identity, support }).handle;
  handlers['cognito-sync'] = createSync({ ...ctx, identity, support }).handle;
  const dynamo = createDynamo({ ...ctx, identity });
  handlers.dynamodb = dynamo.handle;
  support.useDynamo(dynamo.seedItem, DEFAULT_TABLE);

  const profileFile = path.join(dataDir, 'profile.json');
  const dynamodbProfileFile = path.join(dataDir, 'profile-dynamodb.json');
  const ready = {
    issuer,
    domain,
    client_id: d.clientId,
    hs256_client_id: d.hs256ClientId,
    region: d.region,
    account_id: d.accountId,
    identity_pool_id: d.poolId,
    provider_name: providerName,
    role_arn: store.roleArn(),
    endpoints,
    admin_url: `http://127.0.0.1:${ports.admin}/`,
    ca_file: tls.caFile,
    redirect_uris: REDIRECT_URIS,
    logout_urls: LOGOUT_URLS,
    users: store.users.filter((u) => !u.blocked).map((u) => ({
      username: u.username, password: u.password, sub: u.sub, name: u.name, email: u.email,
    })),
    // Extra (not in the contract's users list so that every listed user can log in): a blocked
    // account whose correct password ends in error=access_denied.
    blocked_users: store.users.filter((u) => u.blocked).map((u) => ({
      username: u.username, password: u.password, sub: u.sub, name: u.name, email: u.email,
    })),
    developer_credentials: { access_key_id: d.developer.accessKeyId, secret_access_key: d.developer.secretAccessKey },
    profile_file: profileFile,
    dynamodb_table: DEFAULT_TABLE,
    dynamodb_profile_file: dynamodbProfileFile,
    data_dir: dataDir,
    startup_ms: 0,
    ports,
    pid: process.pid,
  };
  adminServer.on('request', instrumentAdmin(createAdmin({ store, faults, log, oidc, support, getReady: () => ready })));

  const profile = {
    fedsync_profile: 1,
    name: 'Sandbox',
    auth0: {
      domain,
      client_id: d.clientId,
      audience: '',
      scope: 'openid profile email offline_access',
      redirect_uri: REDIRECT_URIS[0],
      logout_return_to: LOGOUT_URLS[0],
      browser: 'embedded',
    },
    cognito: {
      region: d.region,
      identity_pool_id: d.poolId,
      provider_name: providerName,
      account_id: d.accountId,
      flow: 'enhanced',
      role_arn: store.roleArn(),
      endpoints: { cognito_identity: endpoints.cognito_identity, sts: endpoints.sts, cognito_sync: endpoints.cognito_sync },
    },
    ca_file: tls.caFile,
  };
  writeJsonAtomic(profileFile, profile);
  // The same sign-in, with datasets in the DynamoDB table; cognito.endpoints.cognito_sync stays: it is
  // the Cognito Sync endpoint `fedsync-cli migrate --from cognito-sync` copies from.
  writeJsonAtomic(dynamodbProfileFile, {
    ...profile,
    name: 'Sandbox (DynamoDB)',
    store: 'dynamodb',
    dynamodb: { table: DEFAULT_TABLE, region: d.region, endpoint: endpoints.dynamodb },
  });

  await selfCheck(endpoints, tls.ca, ports.admin);
  ready.startup_ms = Math.round(process.uptime() * 1000);
  writeJsonAtomic(readyFile, ready);
  console.error(`sandbox: ready (${readyFile}) issuer ${issuer}`);

  let stopping = false;
  const stop = (sig) => {
    if (stopping) return;
    stopping = true;
    console.error(`sandbox: ${sig}, stopping`);
    try { store.saveNow(); } catch (e) { console.error(`sandbox: could not save state: ${e.message}`); }
    fs.rmSync(readyFile, { force: true });
    log.close();
    for (const s of [...Object.values(servers), adminServer]) {
      s.close();
      s.closeAllConnections();
    }
    setTimeout(() => process.exit(0), 50).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => stop('SIGHUP'));
}

function instrumentAdmin(handler) {
  return (req, res) => {
    handler(req, res).catch((err) => {
      console.error(`[admin] ${err.stack || err}`);
      if (!res.headersSent) { res.writeHead(500); res.end(); }
    });
  };
}

// "Once every service answers": one real request to each service before ready.json appears.
async function selfCheck(endpoints, ca, adminPort) {
  const get = (url, opts = {}) => new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, { method: opts.method || 'GET', ca, headers: opts.headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
  const codes = await Promise.all([
    get(`${endpoints.oidc}.well-known/openid-configuration`),
    get(endpoints.cognito_identity, { method: 'POST', headers: { 'x-amz-target': 'AWSCognitoIdentityService.Ping', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' }),
    get(endpoints.sts, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=Ping' }),
    get(endpoints.cognito_sync),
    get(endpoints.dynamodb),
    get(`http://127.0.0.1:${adminPort}/admin`),
  ]);
  if (codes[0] !== 200 || codes[5] !== 200 || codes[4] !== 200) throw new Error(`self check failed: ${codes.join(',')}`);
}

main().catch((err) => {
  console.error(`sandbox: ${err.stack || err}`);
  process.exit(1);
});
