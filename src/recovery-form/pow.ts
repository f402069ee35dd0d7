import { createHash, createHmac } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { MINUTE } from '../kernel/clock.ts';
import { safeEqual } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { spendPowSalt } from './store.ts';

/**
 * A bot check with no outside service: an ALTCHA-style SHA-256 proof of work. The server picks a secret number
 * n ≤ maxnumber and sends {salt, challenge = sha256hex(salt + n), signature = HMAC(challenge)}; the browser
 * (/assets/pow.js) tries numbers until the hash matches and sends back the number. The server checks the
 * signature, the hash, the expiry carried in the salt, and that the salt was not used before.
 */
export const POW_ALGORITHM = 'SHA-256';
export const POW_MAX_NUMBER = 50_000;
const POW_TTL_MS = 20 * MINUTE;

export interface PowChallenge {
  algorithm: typeof POW_ALGORITHM;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

export interface PowSolution {
  algorithm: string;
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

export const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');
const sign = (secret: string, challenge: string) =>
  createHmac('sha256', `pow:${secret}`).update(challenge).digest('hex');

export function createPowChallenge(deps: Pick<Deps, 'config' | 'clock' | 'random'>): PowChallenge {
  const expires = Math.floor((deps.clock.now().getTime() + POW_TTL_MS) / 1000);
  const salt = `${deps.random.bytes(12).toString('hex')}?expires=${expires}`;
  const number = deps.random.int(0, POW_MAX_NUMBER + 1);
  const challenge = sha256hex(`${salt}${number}`);
  return {
    algorithm: POW_ALGORITHM,
    challenge,
    maxnumber: POW_MAX_NUMBER,
    salt,
    signature: sign(deps.config.secret, challenge),
  };
}

/** Reads the solution sent by the form: base64 of JSON (what pow.js puts in the hidden field) or an object. */
export function parsePowSolution(input: unknown): PowSolution | null {
  let v: unknown = input;
  if (typeof input === 'string') {
    if (input.length === 0 || input.length > 2000) return null;
    try {
      v = JSON.parse(Buffer.from(input, 'base64').toString('utf8'));
    } catch {
      return null;
    }
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (
    typeof o.algorithm !== 'string' ||
    typeof o.challenge !== 'string' ||
    typeof o.salt !== 'string' ||
    typeof o.signature !== 'string' ||
    typeof o.number !== 'number' ||
    !Number.isInteger(o.number) ||
    o.salt.length > 200 ||
    o.challenge.length > 100 ||
    o.signature.length > 100
  )
    return null;
  return {
    algorithm: o.algorithm,
    challenge: o.challenge,
    number: o.number,
    salt: o.salt,
    signature: o.signature,
  };
}

/** Solves a challenge by brute force (tests and the API's own clients; the browser does the same in pow.js). */
export function solvePow(c: Pick<PowChallenge, 'challenge' | 'salt' | 'maxnumber'>): number | null {
  for (let n = 0; n <= c.maxnumber; n++) if (sha256hex(`${c.salt}${n}`) === c.challenge) return n;
  return null;
}

/** Checks a solution and spends it (a salt works once). AppError 'recovery_form.pow_invalid' otherwise. */
export async function verifyPow(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: unknown): Promise<void> {
  const s = parsePowSolution(input);
  if (!s || s.algorithm !== POW_ALGORITHM || s.number < 0 || s.number > POW_MAX_NUMBER)
    fail('recovery_form.pow_invalid');
  const expires = Number(/[?&]expires=(\d+)$/.exec(s.salt)?.[1] ?? 0) * 1000;
  const now = deps.clock.now();
  if (!expires || expires <= now.getTime()) fail('recovery_form.pow_invalid');
  if (!safeEqual(sign(deps.config.secret, s.challenge), s.signature)) fail('recovery_form.pow_invalid');
  if (sha256hex(`${s.salt}${s.number}`) !== s.challenge) fail('recovery_form.pow_invalid');
  if (!(await spendPowSalt(deps.db, s.salt, new Date(expires)))) fail('recovery_form.pow_invalid');
}

/**
 * The browser side, served at /assets/pow.js (CSP script-src 'self'). Plain SHA-256 in JavaScript so it also
 * works where crypto.subtle is missing (plain http). Fills every input[data-pow] with the base64 solution.
 */
export const POW_SCRIPT = `(function(){
'use strict';
var K=[0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];
function sha256hex(str){
  var bytes=unescape(encodeURIComponent(str)),l=bytes.length,i,j;
  var words=[];for(i=0;i<l;i++)words[i>>2]|=bytes.charCodeAt(i)<<(24-(i%4)*8);
  words[l>>2]|=0x80<<(24-(l%4)*8);
  var n=((l+8)>>6)*16+16;for(i=(l>>2)+1;i<n;i++)words[i]=words[i]|0;
  words[n-1]=l*8;
  var H=[0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19],W=new Array(64);
  for(i=0;i<n;i+=16){
    var a=H[0],b=H[1],c=H[2],d=H[3],e=H[4],f=H[5],g=H[6],h=H[7];
    for(j=0;j<64;j++){
      if(j<16)W[j]=words[i+j]|0;else{
        var x=W[j-15],y=W[j-2];
        var s0=((x>>>7)|(x<<25))^((x>>>18)|(x<<14))^(x>>>3);
        var s1=((y>>>17)|(y<<15))^((y>>>19)|(y<<13))^(y>>>10);
        W[j]=(W[j-16]+s0+W[j-7]+s1)|0;}
      var S1=((e>>>6)|(e<<26))^((e>>>11)|(e<<21))^((e>>>25)|(e<<7));
      var t1=(h+S1+((e&f)^(~e&g))+K[j]+W[j])|0;
      var S0=((a>>>2)|(a<<30))^((a>>>13)|(a<<19))^((a>>>22)|(a<<10));
      var t2=(S0+((a&b)^(a&c)^(b&c)))|0;
      h=g;g=f;f=e;e=(d+t1)|0;d=c;c=b;b=a;a=(t1+t2)|0;}
    H[0]=(H[0]+a)|0;H[1]=(H[1]+b)|0;H[2]=(H[2]+c)|0;H[3]=(H[3]+d)|0;H[4]=(H[4]+e)|0;H[5]=(H[5]+f)|0;H[6]=(H[6]+g)|0;H[7]=(H[7]+h)|0;}
  var out='';for(i=0;i<8;i++)out+=('00000000'+(H[i]>>>0).toString(16)).slice(-8);return out;
}
function solve(input){
  var box=input.closest('form'),status=box&&box.querySelector('[data-pow-status]'),button=box&&box.querySelector('button[type=submit]');
  var c;try{c=JSON.parse(input.getAttribute('data-pow'));}catch(e){return;}
  if(button)button.disabled=true;
  if(status){status.hidden=false;status.textContent=status.getAttribute('data-working');}
  var n=0;
  function chunk(){
    var end=Math.min(n+2000,c.maxnumber+1);
    for(;n<end;n++){if(sha256hex(c.salt+n)===c.challenge){done(n);return;}}
    if(n>c.maxnumber){if(status)status.textContent=status.getAttribute('data-failed');return;}
    setTimeout(chunk,0);
  }
  function done(num){
    input.value=btoa(JSON.stringify({algorithm:c.algorithm,challenge:c.challenge,number:num,salt:c.salt,signature:c.signature}));
    if(button)button.disabled=false;
    if(status)status.textContent=status.getAttribute('data-done');
  }
  chunk();
}
var inputs=document.querySelectorAll('input[data-pow]');
for(var i=0;i<inputs.length;i++)solve(inputs[i]);
})();
`;
