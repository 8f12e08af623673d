// A local https endpoint standing in for a user's webhook receiver: a throwaway self-signed certificate for its IP
// address (the web server trusts it through NODE_EXTRA_CA_CERTS, as a receiver with a real certificate is trusted in
// production), every request kept for the test to inspect. Channel URLs must be https (the database's rule), so the
// local receiver is too.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ReceivedHook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookReceiver {
  /** https://<host>:<port> */
  origin: string;
  received: ReceivedHook[];
  close(): Promise<void>;
}

export interface ReceiverCertificate {
  key: string;
  cert: string;
  /** The certificate as a file, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  remove(): void;
}

/** A self-signed certificate for these IP addresses (openssl, as packages/notify's https tests make theirs). */
export function receiverCertificate(addresses: string[]): ReceiverCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'webhook-receiver-'));
  const keyFile = path.join(dir, 'key.pem');
  const caFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2']
      .concat(['-keyout', keyFile, '-out', caFile, '-subj', '/CN=polybot-test-receiver'])
      .concat(['-addext', `subjectAltName=${addresses.map((a) => `IP:${a}`).join(',')}`]),
    { stdio: 'pipe' },
  );
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(caFile, 'utf8'),
    caFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function startWebhookReceiver(host: string, tls: ReceiverCertificate): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      received.push({ path: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://${host}:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
