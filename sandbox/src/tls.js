// TLS material for the sandbox: a private CA and a server certificate for 127.0.0.1 / localhost,
// generated once with the openssl CLI and reused from DIR/tls on later starts.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const execFileP = promisify(execFile);
function run(args, cwd) {
  return execFileP('openssl', args, { cwd });
}

export async function ensureTls(dataDir) {
  const dir = path.join(dataDir, 'tls');
  const files = {
    caFile: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca.key'),
    certFile: path.join(dir, 'server.pem'),
    keyFile: path.join(dir, 'server.key'),
  };
  const complete = Object.values(files).every((f) => fs.existsSync(f));
  if (!complete || !certStillValid(files.certFile)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const serial = () => `0x${crypto.randomBytes(12).toString('hex')}`;
    if (!fs.existsSync(files.caFile) || !fs.existsSync(files.caKey)) {
      const caExt = path.join(dir, 'ca.ext');
      fs.writeFileSync(caExt, [
        '[req]', 'distinguished_name=dn', 'x509_extensions=v3_ca', 'prompt=no',
        '[dn]', 'CN=Fedsync Sandbox CA', 'O=Fedsync Sandbox',
        '[v3_ca]', 'basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier=hash', '',
      ].join('\n'));
      await run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', files.caKey, '-out', files.caFile, '-days', '3650', '-config', caExt,
        '-set_serial', serial()], dir);
      fs.rmSync(caExt);
    }
    const ext = path.join(dir, 'server.ext');
    const csr = path.join(dir, 'server.csr');
    fs.writeFileSync(ext, [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid,issuer', '',
    ].join('\n'));
    await run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', files.keyFile, '-out', csr, '-subj', '/CN=localhost/O=Fedsync Sandbox'], dir);
    await run(['x509', '-req', '-in', csr, '-CA', files.caFile, '-CAkey', files.caKey, '-set_serial', serial(),
      '-out', files.certFile, '-days', '825', '-extfile', ext], dir);
    fs.rmSync(ext);
    fs.rmSync(csr);
    fs.chmodSync(files.caKey, 0o600);
    fs.chmodSync(files.keyFile, 0o600);
  }
  return {
    ...files,
    ca: fs.readFileSync(files.caFile),
    cert: fs.readFileSync(files.certFile),
    key: fs.readFileSync(files.keyFile),
  };
}

function certStillValid(certFile) {
  try {
    const cert = new crypto.X509Certificate(fs.readFileSync(certFile));
    return new Date(cert.validTo).getTime() > Date.now() + 7 * 86400 * 1000;
  } catch {
    return false;
  }
}
