// Small helpers shared by every emulated service.
import crypto from 'node:crypto';

export const clock = {
  skewSeconds: 0,
  nowMs() { return Date.now() + this.skewSeconds * 1000; },
  nowSec() { return Math.floor(this.nowMs() / 1000); },
};

export const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

export function readBody(req, limit = 4 * 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error('request entity too large'), { tooLarge: true }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export const b64url = (buf) => Buffer.from(buf).toString('base64url');
export const randomHex = (n) => crypto.randomBytes(n).toString('hex');
export const requestId = () => crypto.randomUUID();

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function awsKeyId(prefix) {
  let s = prefix;
  const bytes = crypto.randomBytes(16);
  for (let i = 0; i < 16; i += 1) s += ALNUM[bytes[i] % 32];
  return s;
}
export const awsSecret = () => crypto.randomBytes(30).toString('base64').replace(/[+/]/g, 'A').slice(0, 40);

// ---- RS256 JWTs (node:crypto only) ----
export async function newRsaJwkAsync(kid) {
  const { privateKey } = await new Promise((resolve, reject) => {
    crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, pk) => (err ? reject(err) : resolve({ privateKey: pk })));
  });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: kid || randomHex(16), alg: 'RS256', use: 'sig' };
}

export function newRsaJwk(kid) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: kid || randomHex(16), alg: 'RS256', use: 'sig' };
}

export function publicJwk(jwk) {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use };
}

export function signJwt(payload, jwk, extraHeader = {}) {
  const header = { alg: 'RS256', typ: 'JWT', kid: jwk.kid, ...extraHeader };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const sig = crypto.sign('RSA-SHA256', Buffer.from(input), key);
  return `${input}.${b64url(sig)}`;
}

// Returns {header, payload, signingInput, signature} or null when not a JWS compact token.
export function decodeJwt(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') return null;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return null;
  }
}

// Verifies an RS256 signature against a list of public JWKs (kid-matched when the token has one).
export function verifyRs256(decoded, jwks) {
  if (!decoded || decoded.header.alg !== 'RS256') return false;
  const candidates = jwks.filter((k) => k.kty === 'RSA' && (!decoded.header.kid || k.kid === decoded.header.kid));
  return candidates.some((k) => {
    try {
      const key = crypto.createPublicKey({ key: publicJwk(k), format: 'jwk' });
      return crypto.verify('RSA-SHA256', Buffer.from(decoded.signingInput), key, decoded.signature);
    } catch {
      return false;
    }
  });
}

export function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export const htmlEscape = xmlEscape;

export function isoNoMillis(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
