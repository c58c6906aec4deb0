// Amazon Cognito Identity emulator (JSON 1.1: POST /, X-Amz-Target: AWSCognitoIdentityService.<Op>).
// Also owns identities, login-token validation and the temporary credentials shared with STS/Sync.
import crypto from 'node:crypto';
import { clock, readBody, decodeJwt, verifyRs256, signJwt, awsKeyId, awsSecret, requestId } from './util.js';
import { verifySigV4, AwsAuthError } from './sigv4.js';

export class ServiceError extends Error {
  constructor(type, message, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

const ID_PATTERN = /^[\w-]+:[0-9a-f-]+$/;
export const COGNITO_ISSUER = 'https://cognito-identity.amazonaws.com';

export function validateIdFormat(value, member, { required = true } = {}) {
  if (value === undefined || value === null) {
    if (!required) return;
    throw new ServiceError('InvalidParameterException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof value !== 'string' || value.length < 1 || value.length > 55) {
    throw new ServiceError('InvalidParameterException', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to 55`);
  }
  if (!ID_PATTERN.test(value)) {
    throw new ServiceError('InvalidParameterException', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+`);
  }
}

export function createIdentity({ store, providerName, oidc, support }) {
  const d = store.d;

  function checkPool(poolId) {
    validateIdFormat(poolId, 'identityPoolId');
    if (poolId !== d.poolId) throw new ServiceError('ResourceNotFoundException', `IdentityPool '${poolId}' not found.`);
  }

  // The audiences the pool's IAM OIDC provider accepts (admin/pool can narrow them), and the classic flow.
  function poolClientIds() {
    return Array.isArray(d.pool?.clientIds) ? d.pool.clientIds : oidc.clientIds();
  }
  const classicFlowAllowed = () => d.pool?.allowClassicFlow !== false;

  function findIdentity(identityId) {
    const rec = d.identities[identityId];
    return rec && rec.poolId === d.poolId ? rec : undefined;
  }

  // Validates one OIDC login token exactly like the service: returns the token's claims.
  function validateOidcToken(key, token) {
    const bad = (msg) => new ServiceError('NotAuthorizedException', msg);
    const decoded = decodeJwt(token);
    if (!decoded) throw bad('Invalid login token. Not a valid OpenId Connect identity token.');
    const c = decoded.payload;
    if (typeof c.iss !== 'string' || c.iss !== `https://${key}`) throw bad("Invalid login token. Issuer doesn't match providerName");
    if (key !== providerName) throw bad('Token is not from a supported provider of this identity pool.');
    if (decoded.header.alg !== 'RS256' || !verifyRs256(decoded, d.oidcKeys)) throw bad("Invalid login token. Couldn't verify signed token.");
    if (c.aud === undefined) throw bad('Invalid login token. Missing a required claim: aud');
    if (c.sub === undefined) throw bad('Invalid login token. Missing a required claim: sub');
    if (typeof c.exp !== 'number') throw bad('Invalid login token. Missing a required claim: exp');
    const now = clock.nowSec();
    if (now >= c.exp + 300) throw bad(`Invalid login token. Token expired: ${now} >= ${c.exp}`);
    const auds = Array.isArray(c.aud) ? c.aud : [c.aud];
    const clients = poolClientIds();
    if (!auds.some((a) => clients.includes(a)) && !(c.azp && clients.includes(c.azp))) {
      throw bad('Token is not from a supported provider of this identity pool.');
    }
    return c;
  }

  // Returns {providerName, sub} for the (single) login of the map, or null when there is none.
  function validateLogins(logins) {
    if (logins === undefined || logins === null) return null;
    if (typeof logins !== 'object' || Array.isArray(logins)) throw new ServiceError('InvalidParameterException', 'Logins must be a map.');
    const entries = Object.entries(logins);
    if (!entries.length) return null;
    if (entries.length > 10) throw new ServiceError('InvalidParameterException', "1 validation error detected: Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10");
    let result = null;
    for (const [key, token] of entries) {
      if (typeof token !== 'string' || token.length < 1 || token.length > 50000) {
        throw new ServiceError('InvalidParameterException', `1 validation error detected: Value at 'logins' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 50000, Member must have length greater than or equal to 1]`);
      }
      const claims = validateOidcToken(key, token);
      result = { providerName: key, sub: claims.sub };
    }
    return result;
  }

  function identityForLogin(login) {
    const now = clock.nowSec();
    // One provider per pool here: match on the sub, so that identities survive a restart on other
    // ports (--port-base 0), and follow the provider name when it changed.
    let rec = Object.values(d.identities).find((i) => i.poolId === d.poolId && Object.values(i.logins).includes(login.sub));
    if (rec && rec.logins[login.providerName] !== login.sub) {
      rec.logins = { [login.providerName]: login.sub };
      rec.modified = now;
      store.changed();
    }
    if (!rec) {
      const id = `${d.region}:${crypto.randomUUID()}`;
      rec = { identityId: id, poolId: d.poolId, logins: { [login.providerName]: login.sub }, created: now, modified: now, seq: support.nextSeq() };
      d.identities[id] = rec;
      support.identityAdded(id);
      store.changed();
    }
    return rec;
  }

  function requireMatchingLogin(identityId, logins) {
    validateIdFormat(identityId, 'identityId');
    const rec = findIdentity(identityId);
    if (!rec) throw new ServiceError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    const login = validateLogins(logins);
    if (!login || !Object.values(rec.logins).includes(login.sub)) {
      throw new ServiceError('NotAuthorizedException', "Logins don't match. Please include at least one valid login for this identity or identity pool.");
    }
    return rec;
  }

  // Temporary credentials tied to one identity.
  function issueCredentials(identityId, roleArn, lifetimeSec, source) {
    const accessKeyId = awsKeyId('ASIA');
    const secretAccessKey = awsSecret();
    const sessionToken = crypto.randomBytes(300).toString('base64');
    const expirationMs = clock.nowMs() + lifetimeSec * 1000;
    d.credentials[accessKeyId] = { secretAccessKey, sessionToken, expirationMs, identityId, roleArn, source, issuedMs: clock.nowMs() };
    // Keep the table small: forget credentials expired more than a day ago.
    for (const [k, v] of Object.entries(d.credentials)) {
      if (v.expirationMs < clock.nowMs() - 86400000) delete d.credentials[k];
    }
    store.changed();
    return { accessKeyId, secretAccessKey, sessionToken, expirationMs };
  }

  function lookupKey(accessKeyId) {
    if (accessKeyId === d.developer.accessKeyId) {
      return { secretAccessKey: d.developer.secretAccessKey, developer: true };
    }
    const staff = support.lookupStaffKey(accessKeyId);
    if (staff) return staff;
    const c = d.credentials[accessKeyId];
    if (!c) return undefined;
    return { ...c };
  }

  function openIdToken(rec, login) {
    const now = clock.nowSec();
    return signJwt({
      sub: rec.identityId,
      aud: d.poolId,
      amr: ['authenticated', login.providerName, `${login.providerName}:${d.poolId}:${login.sub}`],
      iss: COGNITO_ISSUER,
      'https://cognito-identity.amazonaws.com/identity-pool-arn': `arn:aws:cognito-identity:${d.region}:${d.accountId}:identitypool/${d.poolId}`,
      exp: now + 600,
      iat: now,
    }, d.cognitoKeys[0]);
  }

  function describe(rec) {
    return {
      IdentityId: rec.identityId,
      Logins: Object.keys(rec.logins),
      CreationDate: rec.created,
      LastModifiedDate: rec.modified,
    };
  }

  function requireDeveloper(req, body, op) {
    let auth;
    try {
      auth = verifySigV4({ req, body, service: 'cognito-identity', region: d.region, nowMs: clock.nowMs(), lookupKey });
    } catch (e) {
      if (e instanceof AwsAuthError) throw new ServiceError(e.code, e.message, e.status === 403 ? 400 : e.status);
      throw e;
    }
    if (!auth.key.developer) {
      throw new ServiceError('NotAuthorizedException', `User: arn:aws:sts::${d.accountId}:assumed-role/${d.roleName}/CognitoIdentityCredentials is not authorized to perform: cognito-identity:${op} on resource: arn:aws:cognito-identity:${d.region}:${d.accountId}:identitypool/${d.poolId}`);
    }
    const denied = support.checkAllowed(auth.key, `cognito-identity:${op}`, `arn:aws:cognito-identity:${d.region}:${d.accountId}:identitypool/${d.poolId}`);
    if (denied) throw new ServiceError('AccessDeniedException', denied);
  }

  const ops = {
    async GetId(input) {
      if (input.AccountId !== undefined && input.AccountId !== d.accountId) {
        if (!/^\d{12}$/.test(String(input.AccountId))) {
          throw new ServiceError('InvalidParameterException', `1 validation error detected: Value '${input.AccountId}' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d+`);
        }
        throw new ServiceError('ResourceNotFoundException', `IdentityPool '${input.IdentityPoolId}' not found.`);
      }
      checkPool(input.IdentityPoolId);
      const login = validateLogins(input.Logins);
      if (!login) throw new ServiceError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
      return { IdentityId: identityForLogin(login).identityId };
    },

    async GetCredentialsForIdentity(input) {
      const rec = requireMatchingLogin(input.IdentityId, input.Logins);
      let roleArn = store.roleArn();
      if (input.CustomRoleArn !== undefined) {
        if (typeof input.CustomRoleArn !== 'string' || !/^arn:aws:iam::\d{12}:role\/.+/.test(input.CustomRoleArn)) {
          throw new ServiceError('InvalidParameterException', `1 validation error detected: Value '${input.CustomRoleArn}' at 'customRoleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`);
        }
        if (input.CustomRoleArn !== roleArn) {
          throw new ServiceError('NotAuthorizedException', 'CustomRoleArn is not a role allowed for this identity.');
        }
        roleArn = input.CustomRoleArn;
      }
      const c = issueCredentials(rec.identityId, roleArn, d.lifetimes.credentials, 'GetCredentialsForIdentity');
      return {
        IdentityId: rec.identityId,
        Credentials: {
          AccessKeyId: c.accessKeyId,
          SecretKey: c.secretAccessKey,
          SessionToken: c.sessionToken,
          Expiration: Math.floor(c.expirationMs / 1000),
        },
      };
    },

    async GetOpenIdToken(input) {
      if (!classicFlowAllowed()) {
        throw new ServiceError('InvalidParameterException', 'Basic (classic) flow is not enabled, please use enhanced flow.');
      }
      const rec = requireMatchingLogin(input.IdentityId, input.Logins);
      const [providerKey] = Object.keys(input.Logins);
      return { IdentityId: rec.identityId, Token: openIdToken(rec, { providerName: providerKey, sub: Object.values(rec.logins)[0] }) };
    },

    async ListIdentities(input, req, raw) {
      requireDeveloper(req, raw, 'ListIdentities');
      checkPool(input.IdentityPoolId);
      const max = input.MaxResults;
      if (!Number.isInteger(max)) {
        throw new ServiceError('InvalidParameterException', "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null");
      }
      if (max < 1 || max > 60) {
        const bound = max < 1 ? 'greater than or equal to 1' : 'less than or equal to 60';
        throw new ServiceError('InvalidParameterException', `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value ${bound}`);
      }
      if (input.HideDisabled !== undefined && typeof input.HideDisabled !== 'boolean') {
        throw new ServiceError('SerializationException', 'HideDisabled must be a boolean.');
      }
      const all = support.poolIdentities();
      let start = 0;
      if (input.NextToken !== undefined && input.NextToken !== null) {
        const text = String(input.NextToken);
        const n = /^[A-Za-z0-9_-]{1,20}$/.test(text) ? Number(Buffer.from(text, 'base64url').toString()) : NaN;
        if (!Number.isInteger(n) || n <= 0 || n >= all.length) throw new ServiceError('InvalidParameterException', 'The provided token is not valid.');
        start = n;
      }
      const page = all.slice(start, start + max).map((id) => d.identities[id]);
      const out = { IdentityPoolId: d.poolId, Identities: page.map(describe) };
      if (start + max < all.length) out.NextToken = Buffer.from(String(start + max)).toString('base64url');
      return out;
    },

    async DescribeIdentity(input, req, raw) {
      requireDeveloper(req, raw, 'DescribeIdentity');
      validateIdFormat(input.IdentityId, 'identityId');
      const rec = findIdentity(input.IdentityId);
      if (!rec) throw new ServiceError('ResourceNotFoundException', `Identity '${input.IdentityId}' not found.`);
      return describe(rec);
    },

    async DescribeIdentityPool(input, req, raw) {
      requireDeveloper(req, raw, 'DescribeIdentityPool');
      checkPool(input.IdentityPoolId);
      return {
        IdentityPoolId: d.poolId,
        IdentityPoolName: d.poolName,
        AllowUnauthenticatedIdentities: false,
        AllowClassicFlow: classicFlowAllowed(),
        SupportedLoginProviders: {},
        OpenIdConnectProviderARNs: [`arn:aws:iam::${d.accountId}:oidc-provider/${providerName}`],
        // Not in AWS's reply (there, `aws iam get-open-id-connect-provider` lists them): the audiences
        // the pool's OIDC provider accepts, so the setup doctor can check them in one call.
        OpenIdConnectProviderClientIds: [...poolClientIds()],
        CognitoIdentityProviders: [],
        SamlProviderARNs: [],
        IdentityPoolTags: {},
      };
    },
  };

  function send(res, status, obj, rid) {
    const body = JSON.stringify(obj);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': rid,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  async function handle(req, res) {
    const rid = requestId();
    const sendErr = (type, message, status = 400) => {
      req.sandbox.note('error', type);
      send(res, status, { __type: type, message }, rid);
    };
    const target = String(req.headers['x-amz-target'] || '');
    const op = target.startsWith('AWSCognitoIdentityService.') ? target.slice('AWSCognitoIdentityService.'.length) : '';
    req.sandbox.setOperation(op || 'unknown');
    if (req.method !== 'POST') {
      sendErr('UnknownOperationException', 'Only POST / is supported.', 404);
      return;
    }
    const raw = await readBody(req);
    if (op === 'Ping') { send(res, 200, {}, rid); return; }
    const faulted = await req.sandbox.fault(op, (kind) => {
      if (kind === 'throttle') sendErr('TooManyRequestsException', 'Rate exceeded', 400);
      else if (kind === 'http503') sendErr('ServiceUnavailable', 'Service is unavailable. Please retry.', 503);
      else sendErr('InternalErrorException', 'An internal error occurred.', 500);
    });
    if (faulted) return;
    if (!ops[op]) {
      sendErr('UnknownOperationException', op ? `Operation ${op} is not supported by the sandbox.` : 'Missing X-Amz-Target.');
      return;
    }
    let input;
    try {
      input = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('not an object');
    } catch {
      sendErr('SerializationException', 'Start of structure or map found where not expected.');
      return;
    }
    try {
      const out = await ops[op](input, req, raw);
      send(res, 200, out, rid);
    } catch (e) {
      if (e instanceof ServiceError) sendErr(e.type, e.message, e.status);
      else throw e;
    }
  }

  return { handle, lookupKey, issueCredentials, findIdentity, cognitoPublicKeys: () => d.cognitoKeys };
}
