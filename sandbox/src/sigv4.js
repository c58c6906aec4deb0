// Server-side AWS Signature Version 4 verification (Authorization header form).
import crypto from 'node:crypto';

export class AwsAuthError extends Error {
  constructor(code, message, status = 403) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

const SIG_MISMATCH = 'The request signature we calculated does not match the signature you provided. '
  + 'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const sha256Hex = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

// RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper case).
export function awsEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

// Canonical URI from the raw, still-encoded path: dot segments removed, then every segment encoded
// once more (all services but S3 double-encode).
export function canonicalUri(rawPath) {
  if (!rawPath || rawPath === '/') return '/';
  const segs = rawPath.split('/');
  const out = [];
  for (const s of segs.slice(1)) {
    if (s === '.') continue;
    if (s === '..') { out.pop(); continue; }
    out.push(s);
  }
  const trailing = rawPath.endsWith('/') && out.length && out[out.length - 1] !== '' ? '/' : '';
  return `/${out.map(awsEncode).join('/')}${trailing}`;
}

export function canonicalQuery(rawQuery) {
  if (!rawQuery) return '';
  const pairs = rawQuery.split('&').filter(Boolean).map((p) => {
    const i = p.indexOf('=');
    const k = i < 0 ? p : p.slice(0, i);
    const v = i < 0 ? '' : p.slice(i + 1);
    return [awsEncode(safeDecode(k)), awsEncode(safeDecode(v))];
  }).filter(([k]) => k !== 'X-Amz-Signature');
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValues(rawHeaders, name) {
  const vals = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === name) vals.push(String(rawHeaders[i + 1]).trim().replace(/\s+/g, ' '));
  }
  return vals;
}

function amzDateToMs(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

const toAmzDate = (ms) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

// Verifies the request; returns {accessKeyId, principal} or throws AwsAuthError.
// lookupKey(accessKeyId) -> undefined | {secretAccessKey, sessionToken?, expirationMs?, ...principal}
export function verifySigV4({ req, body, service, region, nowMs, lookupKey }) {
  const auth = req.headers.authorization;
  if (!auth) {
    if (/[?&]X-Amz-Signature=/.test(req.url)) {
      throw new AwsAuthError('IncompleteSignatureException', 'Presigned requests are not supported by the sandbox.', 400);
    }
    throw new AwsAuthError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  }
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(auth);
  if (!m) {
    throw new AwsAuthError('IncompleteSignatureException', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${auth.split(' ')[0]}`, 400);
  }
  const parts = {};
  for (const kv of m[1].split(',')) {
    const i = kv.indexOf('=');
    if (i > 0) parts[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  for (const need of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!parts[need]) {
      throw new AwsAuthError('IncompleteSignatureException', `Authorization header requires '${need}' parameter. Authorization=${auth}`, 400);
    }
  }
  const cred = parts.Credential.split('/');
  if (cred.length !== 5 || cred[4] !== 'aws4_request') {
    throw new AwsAuthError('IncompleteSignatureException', `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.Credential}'`, 400);
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService] = cred;
  const amzDate = req.headers['x-amz-date'] || (req.headers.date ? toAmzDate(Date.parse(req.headers.date)) : undefined);
  if (!amzDate) {
    throw new AwsAuthError('IncompleteSignatureException', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${auth}`, 400);
  }
  const reqMs = amzDateToMs(amzDate);
  if (Number.isNaN(reqMs)) {
    throw new AwsAuthError('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`, 400);
  }
  if (scopeDate !== amzDate.slice(0, 8)) {
    throw new AwsAuthError('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  if (scopeRegion !== region) {
    throw new AwsAuthError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${scopeRegion}'. `);
  }
  if (scopeService !== service) {
    throw new AwsAuthError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'. `);
  }
  const skew = 15 * 60 * 1000;
  if (reqMs < nowMs - skew) {
    throw new AwsAuthError('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ${toAmzDate(nowMs - skew)} (${toAmzDate(nowMs)} - 15 min.)`);
  }
  if (reqMs > nowMs + skew) {
    throw new AwsAuthError('InvalidSignatureException', `Signature not yet current: ${amzDate} is still later than ${toAmzDate(nowMs + skew)} (${toAmzDate(nowMs)} + 15 min.)`);
  }
  const key = lookupKey(accessKeyId);
  if (!key) {
    throw new AwsAuthError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (key.sessionToken !== undefined && req.headers['x-amz-security-token'] !== key.sessionToken) {
    throw new AwsAuthError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const signedHeaders = parts.SignedHeaders.split(';');
  if (!signedHeaders.includes('host')) {
    throw new AwsAuthError('InvalidSignatureException', `'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  const bodyHash = sha256Hex(body || Buffer.alloc(0));
  const claimed = req.headers['x-amz-content-sha256'];
  if (claimed && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== bodyHash) {
    throw new AwsAuthError('InvalidSignatureException', SIG_MISMATCH);
  }
  const qi = req.url.indexOf('?');
  const rawPath = qi < 0 ? req.url : req.url.slice(0, qi);
  const rawQuery = qi < 0 ? '' : req.url.slice(qi + 1);
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${headerValues(req.rawHeaders, h).join(',')}\n`).join('');
  const canonicalRequest = [
    req.method,
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    canonicalHeaders,
    parts.SignedHeaders,
    claimed || bodyHash,
  ].join('\n');
  const scope = `${scopeDate}/${scopeRegion}/${scopeService}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let k = hmac(`AWS4${key.secretAccessKey}`, scopeDate);
  k = hmac(k, scopeRegion);
  k = hmac(k, scopeService);
  k = hmac(k, 'aws4_request');
  const expected = crypto.createHmac('sha256', k).update(stringToSign).digest('hex');
  const given = String(parts.Signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    const e = new AwsAuthError('InvalidSignatureException', SIG_MISMATCH);
    e.canonicalRequest = canonicalRequest;
    throw e;
  }
  if (key.expirationMs !== undefined && key.expirationMs <= nowMs) {
    throw new AwsAuthError('ExpiredTokenException', 'The security token included in the request is expired');
  }
  return { accessKeyId, key };
}
