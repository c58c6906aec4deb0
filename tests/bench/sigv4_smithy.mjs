// The anchor for bench_crypto's SigV4 figure: @smithy/signature-v4 (the AWS SDK for JavaScript v3's
// signer, from sandbox/node_modules) signing the requests of sigv4requests.json, with Node's native
// SHA-256 (as @smithy/hash-node gives the SDK on Node). Prints {"signaturesPerSecond": n, "signatures":
// [the signature of each request]}, per second of CPU time (user + system, as `openssl speed` counts),
// so that a loaded machine does not skew the comparison.
//   node sigv4_smithy.mjs <sandbox dir> <requests json> [seconds]
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const [sandboxDir, requestsFile, secondsArg] = process.argv.slice(2);
const require = createRequire(`${sandboxDir}/package.json`);
const { SignatureV4 } = require('@smithy/signature-v4');

const toBuffer = (data) => (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
class NodeSha256 {
  constructor(secret) {
    this.hash = secret ? crypto.createHmac('sha256', toBuffer(secret)) : crypto.createHash('sha256');
  }
  update(data) {
    this.hash.update(toBuffer(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const fixture = JSON.parse(fs.readFileSync(requestsFile, 'utf8'));
const signer = new SignatureV4({
  credentials: fixture.credentials,
  region: fixture.region,
  service: fixture.service,
  sha256: NodeSha256,
  applyChecksum: false, // Cognito Sync signs no x-amz-content-sha256 header (nor does Fedsync)
});
const signingDate = new Date(fixture.date);
const build = (r) => ({
  method: r.method,
  protocol: 'https:',
  hostname: r.host,
  path: r.path, // as the SDK passes it: already percent-encoded (SigV4 encodes it once more)
  query: { ...r.query },
  headers: { host: r.host, ...r.headers },
  body: r.body,
});

const signatures = [];
for (const r of fixture.requests) {
  const signed = await signer.sign(build(r), { signingDate });
  signatures.push(/Signature=([0-9a-f]+)/.exec(signed.headers.authorization)[1]);
}
const seconds = Number(secondsArg || 2);
let count = 0;
const cpuStart = process.cpuUsage();
const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
while (process.hrtime.bigint() < deadline) {
  for (const r of fixture.requests) {
    await signer.sign(build(r), { signingDate });
    ++count;
  }
}
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(JSON.stringify({ signaturesPerSecond: count / cpuSeconds, count, signatures }) + '\n');
