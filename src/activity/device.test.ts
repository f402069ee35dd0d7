import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DeviceInfo, describeDevice, deviceKey, deviceLabel } from './device.ts';

const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeWindowsOlder:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.117 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36',
  chromeAndroidReduced:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  edgeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  chromebook:
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  curl: 'curl/8.5.0',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

describe('describeDevice', () => {
  it.each<[keyof typeof UA, DeviceInfo]>([
    ['chromeWindows', { browser: 'Chrome 131', os: 'Windows 10', device: 'desktop' }],
    ['safariIphone', { browser: 'Safari 17', os: 'iOS 17.5', device: 'mobile' }],
    ['chromeAndroid', { browser: 'Chrome 131', os: 'Android 14', device: 'mobile' }],
    ['firefoxLinux', { browser: 'Firefox 133', os: 'Linux', device: 'desktop' }],
    ['edgeMac', { browser: 'Edge 131', os: 'macOS', device: 'desktop' }],
    ['safariMac', { browser: 'Safari 18', os: 'macOS', device: 'desktop' }],
    ['ipad', { browser: 'Safari 17', os: 'iOS 17.5', device: 'tablet' }],
    ['chromebook', { browser: 'Chrome 131', os: 'ChromeOS', device: 'desktop' }],
  ])('%s', (name, expected) => {
    expect(describeDevice(UA[name])).toEqual(expected);
  });

  it("leaves out the Android version Chrome's reduced UA freezes at 10", () => {
    expect(describeDevice(UA.chromeAndroidReduced)).toEqual({
      browser: 'Chrome 131',
      os: 'Android',
      device: 'mobile',
    });
  });

  it('recognises command-line clients ua-parser-js 1.x does not know', () => {
    expect(describeDevice(UA.curl)).toEqual({ browser: 'curl 8', os: '', device: 'other' });
    expect(describeDevice('python-requests/2.32.3').browser).toBe('python-requests 2');
  });

  it('answers empty parts for what it cannot tell', () => {
    expect(describeDevice('')).toEqual({ browser: '', os: '', device: 'other' });
    expect(describeDevice(UA.googlebot)).toEqual({ browser: '', os: '', device: 'other' });
    expect(describeDevice('\u0000\u0001')).toEqual({ browser: '', os: '', device: 'other' });
  });

  it('never throws and keeps its output short and printable', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 2000 }),
          fc.string({ unit: 'binary', maxLength: 600 }),
          fc
            .constantFrom(...Object.values(UA))
            .chain((ua) =>
              fc.tuple(fc.nat(ua.length), fc.string()).map(([at, s]) => ua.slice(0, at) + s + ua.slice(at)),
            ),
        ),
        (ua) => {
          const info = describeDevice(ua);
          expect(['desktop', 'mobile', 'tablet', 'other']).toContain(info.device);
          for (const part of [info.browser, info.os]) {
            expect(part.length).toBeLessThanOrEqual(48);
            expect(part).not.toMatch(/[\p{Cc}\p{Cf}]/u);
          }
          expect(typeof deviceKey(info)).toBe('string');
          expect(deviceLabel(info, 'ja').length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('only parses the first 512 characters', () => {
    const padded = `${UA.chromeWindows}${' '.repeat(600)}Firefox/1.0`;
    expect(describeDevice(padded).browser).toBe('Chrome 131');
    expect(describeDevice(`${'x'.repeat(600)}${UA.chromeWindows}`)).toEqual({
      browser: '',
      os: '',
      device: 'other',
    });
  });
});

describe('deviceKey', () => {
  it('is the same across browser and OS updates', () => {
    expect(deviceKey(describeDevice(UA.chromeWindows))).toBe(
      deviceKey(describeDevice(UA.chromeWindowsOlder)),
    );
    expect(deviceKey({ browser: 'Safari 17', os: 'iOS 17.5', device: 'mobile' })).toBe(
      deviceKey({ browser: 'Safari 18', os: 'iOS 18.1', device: 'mobile' }),
    );
    expect(deviceKey(describeDevice(UA.chromeWindows))).toBe('chrome|windows|desktop');
  });

  it('differs between browsers, systems and device types', () => {
    const keys = [UA.chromeWindows, UA.safariIphone, UA.chromeAndroid, UA.edgeMac, UA.safariMac, UA.ipad].map(
      (ua) => deviceKey(describeDevice(ua)),
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(deviceKey(describeDevice(UA.chromeWindows))).not.toBe(deviceKey(describeDevice(UA.safariIphone)));
  });

  it('keeps names whose last word is not a version', () => {
    expect(deviceKey({ browser: 'Samsung Internet 26', os: 'Windows XP', device: 'desktop' })).toBe(
      'samsung internet|windows xp|desktop',
    );
  });
});

describe('deviceLabel', () => {
  it('joins browser and OS', () => {
    expect(deviceLabel(describeDevice(UA.chromeWindows), 'ja')).toBe('Chrome 131 · Windows 10');
    expect(deviceLabel(describeDevice(UA.safariIphone), 'en')).toBe('Safari 17 · iOS 17.5');
    expect(deviceLabel(describeDevice(UA.edgeMac), 'en')).toBe('Edge 131 · macOS');
  });

  it('shows what is known of a partial description', () => {
    expect(deviceLabel(describeDevice(UA.curl), 'ja')).toBe('curl 8');
    expect(deviceLabel({ browser: '', os: 'Linux', device: 'desktop' }, 'en')).toBe('Linux');
  });

  it('says unknown device when nothing is known', () => {
    expect(deviceLabel(describeDevice(''), 'ja')).toBe('不明なデバイス');
    expect(deviceLabel(describeDevice(UA.googlebot), 'en')).toBe('Unknown device');
  });
});
