import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { formSchema, readForm, text } from './form-kit.tsx';

const req = (body: unknown) => ({ body }) as FastifyRequest;

describe('readForm', () => {
  const schema = formSchema({ email: text(), label: text() });

  it('passes on the declared text fields and nothing else', () => {
    const b = readForm(req({ email: 'a@example.jp', label: '仕事', _csrf: 'x', isAdmin: 'true' }), schema);
    expect(b).toEqual({ email: 'a@example.jp', label: '仕事' });
  });

  it('a field sent twice or as anything but text is absent, not its first value', () => {
    const b = readForm(req({ email: ['a@example.jp', 'b@example.jp'], label: { x: 1 } }), schema);
    expect(b).toEqual({ email: undefined, label: undefined });
  });

  it('a missing or non-object body reads as every field absent', () => {
    expect(readForm(req(undefined), schema)).toEqual({ email: undefined, label: undefined });
    expect(readForm(req('email=a'), schema)).toEqual({ email: undefined, label: undefined });
  });
});
