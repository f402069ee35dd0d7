/**
 * A software WebAuthn authenticator for tests in Node: ES256 keys, "none" attestation, discoverable
 * credentials, a signature counter. It answers the options JSON the server sends the way a browser's
 * `credential.toJSON()` would, so registration and sign-in can be tested over HTTP without a browser.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

type CborValue = number | string | Uint8Array | CborValue[] | Map<CborValue, CborValue>;

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** Just enough CBOR for attestation objects and COSE keys. */
export function cbor(v: CborValue): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, s.length), s]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
  const parts: Buffer[] = [head(5, v.size)];
  for (const [k, val] of v) parts.push(cbor(k), cbor(val));
  return Buffer.concat(parts);
}

const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const hash = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

interface Credential {
  id: Buffer;
  rpId: string;
  userHandle: Buffer;
  privateKey: KeyObject;
  cose: Buffer;
  counter: number;
}

export interface CreationOptionsJSON {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  excludeCredentials?: { id: string }[];
  authenticatorSelection?: { residentKey?: string; userVerification?: string };
}
export interface RequestOptionsJSON {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
  userVerification?: string;
}

export class SoftAuthenticator {
  readonly credentials: Credential[] = [];
  /** Whether the authenticator verifies its user (PIN, biometrics). */
  userVerified = true;
  /** Authenticators of synced passkeys do not count: the counter stays 0. */
  countsUses = true;

  constructor(private readonly origin: string) {}

  private get host() {
    return new URL(this.origin).hostname;
  }

  private flags(extra: number) {
    return 0x01 | (this.userVerified ? 0x04 : 0) | extra;
  }

  /** `navigator.credentials.create({ publicKey })` then `credential.toJSON()`. */
  create(options: CreationOptionsJSON, o: { origin?: string; challenge?: string } = {}) {
    const rpId = options.rp.id ?? this.host;
    for (const ex of options.excludeCredentials ?? [])
      if (this.credentials.some((c) => b64u(c.id) === ex.id)) throw new Error('InvalidStateError');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(
      new Map<CborValue, CborValue>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const id = randomBytes(32);
    const cred: Credential = {
      id,
      rpId,
      userHandle: Buffer.from(options.user.id, 'base64url'),
      privateKey,
      cose,
      counter: 0,
    };
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      hash(rpId),
      Buffer.from([this.flags(0x40)]),
      Buffer.alloc(4),
      Buffer.alloc(16),
      idLen,
      id,
      cose,
    ]);
    const attestationObject = cbor(
      new Map<CborValue, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = JSON.stringify({
      type: 'webauthn.create',
      challenge: o.challenge ?? options.challenge,
      origin: o.origin ?? this.origin,
      crossOrigin: false,
    });
    this.credentials.push(cred);
    return {
      id: b64u(id),
      rawId: b64u(id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientDataJSON),
        attestationObject: b64u(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** `navigator.credentials.get({ publicKey })` then `credential.toJSON()`. */
  get(
    options: RequestOptionsJSON,
    o: { origin?: string; credential?: Credential; counter?: number; challenge?: string } = {},
  ) {
    const rpId = options.rpId ?? this.host;
    const allowed = options.allowCredentials?.map((c) => c.id);
    const cred =
      o.credential ??
      this.credentials.find((c) => c.rpId === rpId && (!allowed || allowed.includes(b64u(c.id))));
    if (!cred) throw new Error('NotAllowedError');
    if (this.countsUses) cred.counter++;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(o.counter ?? (this.countsUses ? cred.counter : 0));
    const authData = Buffer.concat([hash(rpId), Buffer.from([this.flags(0)]), counter]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: 'webauthn.get',
        challenge: o.challenge ?? options.challenge,
        origin: o.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
    const signature = sign('sha256', Buffer.concat([authData, hash(clientDataJSON)]), cred.privateKey);
    return {
      id: b64u(cred.id),
      rawId: b64u(cred.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: b64u(cred.userHandle),
      },
    };
  }
}
