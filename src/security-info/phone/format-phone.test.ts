import { describe, expect, it } from 'vitest';
import { displayPhone } from './format-phone.ts';

describe('displayPhone', () => {
  it('shows Japanese numbers the way they are written at home, others internationally', () => {
    expect(displayPhone('+819012345678')).toBe('090-1234-5678');
    expect(displayPhone('+12015550123')).toBe('+1 201 555 0123');
    expect(displayPhone('not a number')).toBe('not a number');
  });
});
