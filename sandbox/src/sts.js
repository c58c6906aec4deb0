// AWS STS emulator: AssumeRoleWithWebIdentity (Query protocol, unsigned) for Cognito OpenID tokens.
import querystring from 'node:querystring';
import crypto from 'node:crypto';
import { clock, readBody, decodeJwt, verifyRs256, xmlEscape, isoNoMillis, requestId } from './util.js';
import { COGNITO_ISSUER } from './identity.js';
import { verifySigV4, AwsAuthError } from './sigv4.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

class StsError extends Error {
  constructor(code, message, status = 400, type = 'Sender') {
    super(message);
    this.code = code;
    this.status = status;
    this.type = type;
  }
}

export function createSts({ store, identity, support }) {
  const d = store.d;
  const roleId = `AROA${crypto.createHash('sha256').update(d.roleName + d.accountId).digest('hex').slice(0, 17).toUpperCase()}`;

  function assume(p) {
    const v = (name, member, max = 2048) => {
      if (p[name] === undefined || p[name] === '') {
        throw new StsError('ValidationError', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      }
      if (String(p[name]).length > max) {
        throw new StsError('ValidationError', `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
      }
      return String(p[name]);
    };
    const roleArn = v('RoleArn', 'roleArn');
    const session = v('RoleSessionName', 'roleSessionName', 64);
    const token = v('WebIdentityToken', 'webIdentityToken', 20000);
    if (session.length < 2 || !/^[\w+=,.@-]*$/.test(session)) {
      throw new StsError('ValidationError', `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
    }
    if (roleArn.length < 20) {
      throw new StsError('ValidationError', `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`);
    }
    let duration = 3600;
    if (p.DurationSeconds !== undefined) {
      duration = Number(p.DurationSeconds);
      if (!Number.isInteger(duration) || duration < 900) {
        throw new StsError('ValidationError', `1 validation error detected: Value '${p.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
      }
      if (duration > 3600) {
        throw new StsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
      }
    }
    const decoded = decodeJwt(token);
    if (!decoded) {
      throw new StsError('InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
    }
    const c = decoded.payload;
    if (c.iss !== COGNITO_ISSUER && c.iss !== 'cognito-identity.amazonaws.com') {
      throw new StsError('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${c.iss}`);
    }
    if (!verifyRs256(decoded, identity.cognitoPublicKeys())) {
      throw new StsError('InvalidIdentityToken', "Couldn't verify signed token.");
    }
    const now = clock.nowSec();
    if (typeof c.exp !== 'number' || now >= c.exp) {
      throw new StsError('ExpiredTokenException', `Token expired: current date/time ${now} must be before the expiration date/time${c.exp}`);
    }
    if (c.aud !== d.poolId) throw new StsError('InvalidIdentityToken', 'Incorrect token audience');
    const amr = Array.isArray(c.amr) ? c.amr : [];
    if (roleArn !== store.roleArn() || !amr.includes('authenticated')) {
      throw new StsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    }
    if (!identity.findIdentity(c.sub)) {
      throw new StsError('InvalidIdentityToken', "Couldn't verify signed token.");
    }
    const life = Math.min(duration, d.lifetimes.credentials);
    const cr = identity.issueCredentials(c.sub, roleArn, life, 'AssumeRoleWithWebIdentity');
    return `<AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>${xmlEscape(c.sub)}</SubjectFromWebIdentityToken>
    <Audience>${xmlEscape(c.aud)}</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::${d.accountId}:assumed-role/${xmlEscape(d.roleName)}/${xmlEscape(session)}</Arn>
      <AssumedRoleId>${roleId}:${xmlEscape(session)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>${xmlEscape(cr.sessionToken)}</SessionToken>
      <SecretAccessKey>${xmlEscape(cr.secretAccessKey)}</SecretAccessKey>
      <Expiration>${isoNoMillis(cr.expirationMs)}</Expiration>
      <AccessKeyId>${cr.accessKeyId}</AccessKeyId>
    </Credentials>
    <Provider>cognito-identity.amazonaws.com</Provider>
  </AssumeRoleWithWebIdentityResult>`;
  }

  // GetCallerIdentity (signed): who the keys belong to. Developer and staff keys are IAM users; Cognito
  // credentials are the pool's assumed role.
  function callerIdentity(req, body, rid) {
    let auth;
    try {
      auth = verifySigV4({ req, body, service: 'sts', region: d.region, nowMs: clock.nowMs(), lookupKey: identity.lookupKey });
    } catch (e) {
      if (e instanceof AwsAuthError) throw new StsError(e.code === 'UnrecognizedClientException' ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch', e.message, 403);
      throw e;
    }
    const arn = auth.key.developer ? support.principalFor(auth.key)
      : `arn:aws:sts::${d.accountId}:assumed-role/${d.roleName}/CognitoIdentityCredentials`;
    const userId = auth.key.developer ? `AIDA${crypto.createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase()}`
      : `${roleId}:CognitoIdentityCredentials`;
    return `<GetCallerIdentityResponse xmlns="${NS}">
  <GetCallerIdentityResult>
    <Arn>${xmlEscape(arn)}</Arn>
    <UserId>${userId}</UserId>
    <Account>${d.accountId}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${rid}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>`;
  }

  async function handle(req, res) {
    const rid = requestId();
    const sendXml = (status, xml) => {
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': rid });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`);
    };
    const sendErr = (e) => {
      req.sandbox.note('error', e.code);
      sendXml(e.status, `<ErrorResponse xmlns="${NS}">
  <Error>
    <Type>${e.type}</Type>
    <Code>${e.code}</Code>
    <Message>${xmlEscape(e.message)}</Message>
  </Error>
  <RequestId>${rid}</RequestId>
</ErrorResponse>`);
    };
    const rawBody = req.method === 'POST' ? await readBody(req, 256 * 1024) : Buffer.alloc(0);
    const raw = rawBody.toString('utf8');
    const qi = req.url.indexOf('?');
    const params = { ...(qi >= 0 ? querystring.parse(req.url.slice(qi + 1)) : {}), ...querystring.parse(raw) };
    for (const k of Object.keys(params)) if (Array.isArray(params[k])) [params[k]] = params[k];
    const action = params.Action || '';
    req.sandbox.setOperation(action || 'unknown');
    if (action === 'Ping') { sendXml(200, '<PingResponse/>'); return; }
    const faulted = await req.sandbox.fault(action, (kind) => {
      if (kind === 'throttle') sendErr(new StsError('Throttling', 'Rate exceeded', 400));
      else if (kind === 'http503') sendErr(new StsError('ServiceUnavailable', 'Service is unavailable', 503, 'Receiver'));
      else sendErr(new StsError('InternalFailure', 'An internal error occurred', 500, 'Receiver'));
    });
    if (faulted) return;
    try {
      if (action === 'GetCallerIdentity') {
        sendXml(200, callerIdentity(req, rawBody, rid));
        return;
      }
      if (action !== 'AssumeRoleWithWebIdentity') {
        if (!action) throw new StsError('MissingAction', 'Missing Action');
        throw new StsError('InvalidAction', `Could not find operation ${action} for version ${params.Version || 'NO_VERSION_SPECIFIED'}`);
      }
      if (params.Version !== '2011-06-15') {
        throw new StsError('InvalidAction', `Could not find operation ${action} for version ${params.Version || 'NO_VERSION_SPECIFIED'}`);
      }
      const result = assume(params);
      sendXml(200, `<AssumeRoleWithWebIdentityResponse xmlns="${NS}">
  ${result}
  <ResponseMetadata>
    <RequestId>${rid}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`);
    } catch (e) {
      if (e instanceof StsError) sendErr(e);
      else throw e;
    }
  }

  return { handle };
}
