import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { countryName, type GeoLookup, openGeoLookup } from './geo.ts';

let geo: GeoLookup;
beforeAll(async () => {
  geo = await openGeoLookup();
});

describe('GeoLookup.country', () => {
  it('finds the country of public IPv4 and IPv6 addresses', () => {
    expect(geo.country('8.8.8.8')).toBe('US');
    expect(geo.country('133.11.0.1')).toBe('JP'); // University of Tokyo
    expect(geo.country('1.1.1.1')).toMatch(/^[A-Z]{2}$/);
    expect(geo.country('2001:4860:4860::8888')).toBe('US');
    expect(geo.country('2001:4860:4860:0:0:0:0:8888')).toBe('US');
  });

  it('looks up IPv4-mapped IPv6 addresses as IPv4 (the database has no ::ffff:0:0/96 entries)', () => {
    expect(geo.country('::ffff:8.8.8.8')).toBe('US');
    expect(geo.country('::FFFF:133.11.0.1')).toBe('JP');
    expect(geo.country('::ffff:0808:0808')).toBe('US');
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '192.168.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '100.64.0.1',
    '100.127.255.254',
    '169.254.1.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fc00::1',
    'fe80::1',
    'fe80::1%eth0',
    '::ffff:192.168.1.1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:c0a8:101',
  ])('%s is LOCAL', (ip) => {
    expect(geo.country(ip)).toBe('LOCAL');
  });

  it('does not treat the neighbours of private ranges as local', () => {
    for (const ip of ['172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '11.0.0.1', '::2']) {
      expect(geo.country(ip)).not.toBe('LOCAL');
    }
  });

  it.each([
    'not-an-ip',
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '010.1.1.1',
    '1::2::3',
    ' 8.8.8.8',
    '2001:db8::1',
  ])('%j is ??', (input) => {
    expect(geo.country(input)).toBe('??');
  });

  it('never throws and always answers a code, LOCAL or ??', () => {
    const answer = /^(?:[A-Z]{2}|LOCAL|\?\?)$/;
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.string()), (input) => {
        expect(geo.country(input)).toMatch(answer);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers the same for an IPv4 address and its IPv4-mapped IPv6 form', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(geo.country(`::ffff:${ip}`)).toBe(geo.country(ip));
      }),
      { numRuns: 2000 },
    );
  });

  it('is fast (100k lookups, printed only)', () => {
    const ips: string[] = [];
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    };
    for (let i = 0; i < 100_000; i++) ips.push(`${next()}.${next()}.${next()}.${next()}`);
    const start = performance.now();
    let known = 0;
    for (const ip of ips) if (/^[A-Z]{2}$/.test(geo.country(ip))) known++;
    const ms = performance.now() - start;
    console.log(
      `geo: 100k lookups in ${ms.toFixed(0)} ms (${((ms * 1000) / 100_000).toFixed(2)} µs each), ${known} known`,
    );
    expect(known).toBeGreaterThan(50_000);
  });
});

describe('countryName', () => {
  it('names countries in Japanese and English', () => {
    expect(countryName('JP', 'ja')).toBe('日本');
    expect(countryName('JP', 'en')).toBe('Japan');
    expect(countryName('US', 'ja')).toBe('アメリカ合衆国');
    expect(countryName('US', 'en')).toBe('United States');
  });

  it('names the local network and unknown addresses', () => {
    expect(countryName('LOCAL', 'ja')).toBe('ローカルネットワーク');
    expect(countryName('LOCAL', 'en')).toBe('Local network');
    expect(countryName('??', 'ja')).toBe('不明');
    expect(countryName('??', 'en')).toBe('Unknown');
  });

  it('never throws on malformed codes', () => {
    expect(countryName('A1', 'en')).toBe('Unknown');
    expect(countryName('', 'ja')).toBe('不明');
    expect(countryName('ZZ', 'en')).toBe('Unknown');
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('ja' as const, 'en' as const), (code, locale) => {
        expect(typeof countryName(code, locale)).toBe('string');
      }),
    );
  });
});
