import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce } from './security-headers.ts';

const directive = (csp: string, name: string): string | undefined =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `) || d === name);

describe('contentSecurityPolicy', () => {
  it('runs only scripts with the nonce in production: no inline, no eval', () => {
    const csp = contentSecurityPolicy({ nonce: 'abc123', https: false });
    expect(directive(csp, 'script-src')).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
    expect(directive(csp, 'upgrade-insecure-requests')).toBeUndefined();
  });

  it('upgrades http sub-resources over https, and allows eval only under next dev', () => {
    expect(directive(contentSecurityPolicy({ nonce: 'n', https: true }), 'upgrade-insecure-requests')).toBeDefined();
    const dev = contentSecurityPolicy({ nonce: 'n', https: false, development: true });
    expect(directive(dev, 'script-src')).toContain("'unsafe-eval'");
  });
});

describe('newNonce', () => {
  it('is 128 random bits in base64, new each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
