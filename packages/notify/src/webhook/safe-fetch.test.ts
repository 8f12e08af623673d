import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpTarget, Responder } from '../../test/http-target.ts';
import { countConnections, startHttpTarget } from '../../test/http-target.ts';
import { selfSignedCertificate } from '../../test/tls.ts';
import type { Resolve, SafeFetchOptions } from './safe-fetch.ts';
import { SafeFetchError, safeFetch } from './safe-fetch.ts';

const targets: HttpTarget[] = [];
async function target(host = '127.0.0.1', respond?: Responder) {
  const t = await startHttpTarget(host, respond);
  targets.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
});

const LOCAL: SafeFetchOptions = { allowHttp: true };
const POST = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{"x":1}' };

/** A resolver standing in for public DNS: the names it knows and nothing else. */
function resolver(names: Record<string, string[]>): Resolve & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (host: string) => {
    calls.push(host);
    return (names[host] ?? []).map((address) => ({
      address,
      family: address.includes(':') ? (6 as const) : (4 as const),
    }));
  };
  return Object.assign(resolve, { calls });
}

async function expectRefused(url: string, options: SafeFetchOptions, kind = 'refused_address') {
  const { result, sockets } = await countConnections(() => safeFetch(url, POST, options));
  expect(result).toBeInstanceOf(SafeFetchError);
  expect((result as SafeFetchError).kind).toBe(kind);
  expect((result as SafeFetchError).retryable).toBe(false);
  expect(sockets).toBe(0);
}

describe('safeFetch refuses internal targets before connecting', () => {
  it('127.0.0.1', async () => {
    const t = await target();
    await expectRefused(`${t.origin}/hook`, LOCAL);
    expect(t.received).toEqual([]);
  });

  it('[::1]', async () => {
    const t = await target('::1');
    await expectRefused(`${t.origin}/hook`, LOCAL);
    expect(t.received).toEqual([]);
  });

  it('the cloud metadata address 169.254.169.254 and a private 10.x address', async () => {
    await expectRefused('http://169.254.169.254/latest/meta-data/', LOCAL);
    await expectRefused('http://10.0.0.5/hook', LOCAL);
    await expectRefused('http://[fd00:ec2::254]/', LOCAL);
    await expectRefused('http://[::ffff:169.254.169.254]/', LOCAL);
    // The URL parser turns decimal and hex hosts into dotted IPv4 first; they are judged as such.
    await expectRefused('http://2130706433/', LOCAL);
  });

  it('a name that resolves to loopback (localhost, through the system resolver)', async () => {
    const t = await target();
    await expectRefused(`http://localhost:${t.port}/hook`, LOCAL);
    expect(t.received).toEqual([]);
  });

  it('a name with one public and one private answer', async () => {
    const t = await target();
    const resolve = resolver({ 'hooks.mixed.example': ['93.184.216.34', '127.0.0.1'] });
    await expectRefused(`http://hooks.mixed.example:${t.port}/`, { ...LOCAL, resolve });
    expect(t.received).toEqual([]);
  });

  it('http outside local mode, and URLs carrying credentials', async () => {
    const t = await target();
    await expectRefused(`${t.origin}/hook`, {}, 'bad_url');
    await expectRefused('https://user:pw@hooks.example.com/', {}, 'bad_url');
    await expectRefused('not a url', {}, 'bad_url');
    expect(t.received).toEqual([]);
  });
});

describe('safeFetch in local mode with an exempt range (the local webhook receiver)', () => {
  const exemptRanges = ['127.0.0.1/32'];

  it('delivers to a public-looking name through an injected resolver, resolving it once (pinned)', async () => {
    const t = await target();
    // A rebinding resolver: the first answer passes the check, later answers point elsewhere. The socket must use
    // the checked answer, so the resolver must be asked exactly once.
    let answers = 0;
    const resolve: Resolve = async () => [{ address: answers++ === 0 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    const res = await safeFetch(`http://hooks.partner.example:${t.port}/in`, POST, { ...LOCAL, exemptRanges, resolve });
    expect(res.status).toBe(200);
    expect(answers).toBe(1);
    expect(t.received).toHaveLength(1);
    expect(t.received[0]).toMatchObject({ method: 'POST', url: '/in', body: '{"x":1}' });
    expect(t.received[0]?.headers.host).toBe(`hooks.partner.example:${t.port}`);
  });

  it('refuses a redirect to a disallowed address, and the redirect target receives nothing', async () => {
    const inner = await target('::1');
    for (const location of [`${inner.origin}/steal`, 'http://169.254.169.254/latest/', 'http://10.1.1.1/']) {
      const outer = await target('127.0.0.1', (_req, res) => res.writeHead(302, { location }).end());
      const { result } = await countConnections(() =>
        safeFetch(`${outer.origin}/hook`, POST, { ...LOCAL, exemptRanges }),
      );
      expect((result as SafeFetchError).kind).toBe('refused_address');
      expect(outer.received).toHaveLength(1);
    }
    expect(inner.received).toEqual([]);
  });

  it('follows at most three redirects by hand; a 303 becomes a GET without the body', async () => {
    const end = await target();
    const hops: HttpTarget[] = [];
    let next = `${end.origin}/end`;
    for (let i = 0; i < 3; i++) {
      const location = next;
      const hop = await target('127.0.0.1', (_req, res) => res.writeHead(i === 0 ? 303 : 307, { location }).end());
      hops.push(hop);
      next = `${hop.origin}/hop${i}`;
    }
    const res = await safeFetch(next, POST, { ...LOCAL, exemptRanges });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${end.origin}/end`);
    expect(end.received[0]).toMatchObject({ method: 'GET', body: '' });
    expect(end.received[0]?.headers['content-type']).toBeUndefined();

    const fourth = await target('127.0.0.1', (_req, res) => res.writeHead(308, { location: next }).end());
    const error = await safeFetch(`${fourth.origin}/`, POST, { ...LOCAL, exemptRanges }).catch((e: unknown) => e);
    expect((error as SafeFetchError).kind).toBe('too_many_redirects');
    expect(end.received).toHaveLength(1);
  });

  it('gives up at the deadline (retryable) when the server never answers', async () => {
    const t = await target('127.0.0.1', () => undefined);
    const error = await safeFetch(`${t.origin}/`, POST, { ...LOCAL, exemptRanges, timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('aborts a response past the size cap', async () => {
    const t = await target('127.0.0.1', (_req, res) => res.writeHead(200).end('x'.repeat(100 * 1024)));
    const error = await safeFetch(`${t.origin}/`, POST, { ...LOCAL, exemptRanges }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'response_too_large', retryable: false });
    const small = await safeFetch(`${t.origin}/`, POST, { ...LOCAL, exemptRanges, maxResponseBytes: 200 * 1024 });
    expect(small.body).toHaveLength(100 * 1024);
  });
});

describe('safeFetch over https (production mode: no allowHttp)', () => {
  it('connects to the pinned address and still verifies the certificate for the URL host name', async () => {
    const { key, cert } = selfSignedCertificate('hooks.partner.example');
    const hits: string[] = [];
    const server = https.createServer({ key, cert }, (req, res) => {
      hits.push(req.headers.host ?? '');
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const resolve = resolver({ 'hooks.partner.example': ['127.0.0.1'], 'other.example': ['127.0.0.1'] });
      const options = { exemptRanges: ['127.0.0.1/32'], resolve, ca: cert };
      const res = await safeFetch(`https://hooks.partner.example:${port}/in`, POST, options);
      expect(res).toMatchObject({ status: 200, body: 'ok' });
      expect(hits).toEqual([`hooks.partner.example:${port}`]);
      // Same address, another name: the certificate does not match, so TLS fails before any request is sent.
      const error = await safeFetch(`https://other.example:${port}/in`, POST, options).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'network' });
      expect(hits).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
