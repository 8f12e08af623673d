import { describe, expect, it } from 'vitest';
import { judgeAddress } from './address-policy.ts';

describe('judgeAddress', () => {
  const refused: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00::1', '6to4'],
    ['not-an-ip', 'invalid'],
  ];
  for (const [address, range] of refused) {
    it(`refuses ${address} (${range})`, () => expect(judgeAddress(address)).toEqual({ allowed: false, range }));
  }

  for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8']) {
    it(`allows ${address}`, () => expect(judgeAddress(address)).toEqual({ allowed: true }));
  }

  it('exempts only the ranges it is given (local mode)', () => {
    expect(judgeAddress('127.0.0.1', ['127.0.0.0/8'])).toEqual({ allowed: true });
    expect(judgeAddress('::ffff:127.0.0.1', ['127.0.0.0/8'])).toEqual({ allowed: true });
    expect(judgeAddress('10.0.0.1', ['127.0.0.0/8'])).toEqual({ allowed: false, range: 'private' });
    expect(judgeAddress('::1', ['127.0.0.0/8'])).toEqual({ allowed: false, range: 'loopback' });
  });
});
