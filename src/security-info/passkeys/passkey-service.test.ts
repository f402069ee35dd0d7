import { describe, expect, it } from 'vitest';
import type { Deps } from '../../deps.ts';
import {
  asAuthenticationResponse,
  asRegistrationResponse,
  relyingParty,
  suggestedPasskeyName,
} from './passkey-service.ts';

const depsFor = (publicUrl: string) => ({ config: { publicUrl, issuer: 'Mamori' } }) as unknown as Deps;

describe('passkey relying party', () => {
  it('is the host name of PUBLIC_URL, with its origin', () => {
    expect(relyingParty(depsFor('https://id.example.co.jp'))).toEqual({
      rpID: 'id.example.co.jp',
      origin: 'https://id.example.co.jp',
      rpName: 'Mamori',
    });
    expect(relyingParty(depsFor('http://localhost:4123'))).toMatchObject({
      rpID: 'localhost',
      origin: 'http://localhost:4123',
    });
    expect(relyingParty(depsFor('https://example.com/mamori')).origin).toBe('https://example.com');
  });
});

describe('passkey response shapes', () => {
  const registration = {
    id: 'AbC-_d',
    rawId: 'AbC-_d',
    type: 'public-key',
    response: { clientDataJSON: 'e30', attestationObject: 'oA', transports: ['internal', 'hybrid'] },
  };
  const assertion = {
    id: 'AbC-_d',
    rawId: 'AbC-_d',
    type: 'public-key',
    response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA', userHandle: null },
  };

  it('accepts what credential.toJSON() gives, and fills in missing extension results', () => {
    expect(asRegistrationResponse(registration)?.clientExtensionResults).toEqual({});
    expect(asAuthenticationResponse(assertion)?.id).toBe('AbC-_d');
  });

  it('refuses anything else', () => {
    for (const bad of [
      null,
      'x',
      [],
      { ...registration, type: 'password' },
      { ...registration, rawId: 'other' },
      { ...registration, id: 'not base64url!' },
      { ...registration, id: 'A'.repeat(1401), rawId: 'A'.repeat(1401) },
      { ...registration, response: { clientDataJSON: 'e30' } },
      { ...registration, response: { ...registration.response, transports: 'usb' } },
      { ...registration, response: { ...registration.response, transports: [1] } },
    ])
      expect(asRegistrationResponse(bad)).toBeNull();
    for (const bad of [
      registration,
      { ...assertion, response: { ...assertion.response, signature: 42 } },
      { ...assertion, response: { ...assertion.response, userHandle: { a: 1 } } },
    ])
      expect(asAuthenticationResponse(bad)).toBeNull();
  });
});

describe('suggested passkey name', () => {
  it('names the browser and system, without versions, in the page language', () => {
    const ua =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(suggestedPasskeyName(ua, 'en')).toBe('Chrome on Windows');
    expect(suggestedPasskeyName(ua, 'ja')).toBe('Windows の Chrome');
    expect(suggestedPasskeyName('', 'ja')).toBe('');
  });
});
