// DynamoDB's wire-level values for the emulator (src/dynamodb.js): the service's error type and its
// `__type` prefixes, the x-amz-crc32 response header botocore checks, item sizes as DynamoDB counts them
// (attribute names + values, for the 400 KB item limit and 1 MB pages) and AttributeValue checks.
import { typeOf } from './ddbexpr.js';

export const PREFIX = {
  coral: 'com.amazon.coral.service#',
  ddb: 'com.amazonaws.dynamodb.v20120810#',
  validation: 'com.amazon.coral.validate#',
};

export class DdbError extends Error {
  constructor(type, message, { status = 400, prefix = PREFIX.ddb, extra } = {}) {
    super(message);
    this.type = type;
    this.status = status;
    this.prefix = prefix;
    this.extra = extra;
  }
}

export const validation = (message) => new DdbError('ValidationException', message, { prefix: PREFIX.coral });

// ---- CRC32 (the x-amz-crc32 header that botocore checks) ----
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
export function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i += 1) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---- Item sizes (attribute names + values, as DynamoDB counts them) ----
function valueBytes(v) {
  const t = typeOf(v);
  switch (t) {
    case 'S': return Buffer.byteLength(v.S);
    case 'N': return Math.ceil(String(v.N).replace(/^-|\.|^0+/g, '').length / 2) + 1;
    case 'B': return Buffer.from(v.B, 'base64').length;
    case 'BOOL': case 'NULL': return 1;
    case 'SS': return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
    case 'NS': return v.NS.reduce((n, s) => n + valueBytes({ N: s }), 0);
    case 'BS': return v.BS.reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
    case 'L': return 3 + v.L.reduce((n, x) => n + 1 + valueBytes(x), 0);
    case 'M': return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + valueBytes(x), 0);
    default: return 0;
  }
}
export function itemBytes(item) {
  return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueBytes(v), 0);
}

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M']);
export function checkValue(v, where) {
  if (!v || typeof v !== 'object' || Object.keys(v).length !== 1 || !TYPES.has(typeOf(v))) {
    throw validation(`Supplied AttributeValue is empty, must contain exactly one of the supported datatypes (${where})`);
  }
  const t = typeOf(v);
  if (t === 'N' && (typeof v.N !== 'string' || !/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.N))) {
    throw validation('A value provided cannot be converted into a number');
  }
  if (t === 'S' && typeof v.S !== 'string') throw validation(`Invalid attribute value type (${where})`);
  if (t === 'L') v.L.forEach((x) => checkValue(x, where));
  if (t === 'M') Object.values(v.M).forEach((x) => checkValue(x, where));
}
