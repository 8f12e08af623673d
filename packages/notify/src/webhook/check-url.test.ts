// checkSafeFetchUrl: safeFetch's own checks before anything is sent, for the settings page to refuse a URL when it is
// added. The same verdicts as safeFetch (safe-fetch.test.ts), and no socket is ever opened.
import { describe, expect, it } from 'vitest';
import { countConnections } from '../../test/http-target.ts';
import type { SafeFetchOptions } from './safe-fetch.ts';
import { checkSafeFetchUrl, SafeFetchError } from './safe-fetch.ts';

async function verdict(url: string, options: SafeFetchOptions = {}): Promise<string> {
  const { result, sockets } = await countConnections(() => checkSafeFetchUrl(url, options));
  expect(sockets).toBe(0);
  return result instanceof SafeFetchError ? result.kind : result instanceof Error ? result.message : 'allowed';
}

const publicName = async () => [{ address: '93.184.215.14', family: 4 as const }];
const loopbackName = async () => [{ address: '127.0.0.1', family: 4 as const }];

describe('checkSafeFetchUrl', () => {
  it('refuses internal addresses, by literal or by name', async () => {
    expect(await verdict('https://127.0.0.1:8443/hook')).toBe('refused_address');
    expect(await verdict('https://[::1]/hook')).toBe('refused_address');
    expect(await verdict('https://169.254.169.254/latest')).toBe('refused_address');
    expect(await verdict('https://hooks.example.test/x', { resolve: loopbackName })).toBe('refused_address');
  });

  it('refuses http outside local mode, credentials and non-URLs', async () => {
    expect(await verdict('http://hooks.example.test/x', { resolve: publicName })).toBe('bad_url');
    expect(await verdict('https://user:pw@hooks.example.test/x', { resolve: publicName })).toBe('bad_url');
    expect(await verdict('not a url')).toBe('bad_url');
  });

  it('allows a public address, and an exempt range or http only when local mode says so', async () => {
    expect(await verdict('https://hooks.example.test/x', { resolve: publicName })).toBe('allowed');
    expect(await verdict('https://127.0.0.1:8443/hook', { exemptRanges: ['127.0.0.1/32'] })).toBe('allowed');
    expect(await verdict('https://127.0.0.2:8443/hook', { exemptRanges: ['127.0.0.1/32'] })).toBe('refused_address');
    expect(await verdict('http://hooks.example.test/x', { resolve: publicName, allowHttp: true })).toBe('allowed');
  });
});
