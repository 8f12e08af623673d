import { describe, expect, it } from 'vitest';
import { DEFAULT_NEXT, MAX_NEXT_LENGTH, safeNext } from './safe-next.ts';

// Where a browser goes when it follows `Location: <value>` from our origin (the WHATWG URL parser, as browsers use).
const OURS = 'https://app.polybot.example';
const landsOn = (location: string): string => new URL(location, `${OURS}/sign-in?next=x`).origin;

describe('safeNext', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(safeNext('/dashboard')).toBe('/dashboard');
    expect(safeNext('/settings/keys?tab=kalshi#rotate')).toBe('/settings/keys?tab=kalshi#rotate');
    expect(safeNext('/trades/42')).toBe('/trades/42');
    // an encoded backslash stays a character of the path (the browser does not decode it into a separator)
    expect(safeNext('/%5Cevil.com')).toBe('/%5Cevil.com');
    expect(safeNext('/%09/evil.com')).toBe('/%09/evil.com');
  });

  it('falls back to the dashboard without a value', () => {
    expect(safeNext(undefined)).toBe(DEFAULT_NEXT);
    expect(safeNext(null)).toBe(DEFAULT_NEXT);
    expect(safeNext('')).toBe(DEFAULT_NEXT);
  });

  // Each of these is a Location a browser would follow to another origin (or a non-http URL).
  const hostile = [
    '//evil.com',
    '/\\evil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    '/\r\n/evil.com',
    '\t//evil.com',
    ' //evil.com',
    '\\\\evil.com',
    '\\/evil.com',
    '/\\/evil.com',
    '/.//evil.com',
    '/./\\evil.com',
    '/a/../..//evil.com',
    '///evil.com',
    'https://evil.com',
    'HTTPS://evil.com/dashboard',
    'http:evil.com',
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'evil.com',
    'dashboard',
  ];

  it.each(hostile)('refuses %j', (value) => {
    expect(safeNext(value)).toBe(DEFAULT_NEXT);
  });

  it('never returns a value that takes the browser to another origin', () => {
    for (const value of hostile) expect(landsOn(safeNext(value))).toBe(OURS);
    // the raw values really are dangerous: the test would catch a safeNext that let them through
    expect(hostile.filter((v) => landsOn(v) !== OURS).length).toBeGreaterThan(hostile.length / 2);
  });

  it('refuses a very long value without parsing it', () => {
    expect(safeNext(`/${'a'.repeat(MAX_NEXT_LENGTH)}`)).toBe(DEFAULT_NEXT);
    expect(safeNext(`/${'a'.repeat(MAX_NEXT_LENGTH - 1)}`)).toBe(`/${'a'.repeat(MAX_NEXT_LENGTH - 1)}`);
  });
});
