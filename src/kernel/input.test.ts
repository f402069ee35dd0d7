import { describe, expect, it } from 'vitest';
import { compactCode, readDigitCode } from './input.ts';

describe('readDigitCode: a code the way a person types it', () => {
  it.each([
    '123456',
    '123-456',
    '123 456',
    ' 123456 ',
    '１２３４５６',
    '１２３　４５６',
    '１２３－４５６',
    '123ー456',
    '123\u200B456',
  ])('reads %j as 123456', (typed) => {
    expect(readDigitCode(typed)).toEqual({ ok: true, code: '123456' });
  });

  it.each(['', '12345', '1234567', '12345a', 'abcdef', '١٢٣٤٥٦', '1'.repeat(300)])(
    'calls %j a format problem',
    (typed) => {
      expect(readDigitCode(typed)).toEqual({ ok: false, problem: 'format' });
    },
  );

  it('calls a non-string a format problem', () => {
    expect(readDigitCode(123456)).toEqual({ ok: false, problem: 'format' });
  });

  it('compacts letters too (references, recovery codes), keeping their case for the caller', () => {
    expect(compactCode('ｍｍｒ ７ｋｑ２－xh9d')).toBe('mmr7kq2xh9d');
  });
});
