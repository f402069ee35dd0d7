/**
 * One text field of a parsed query string or form body (`req.query`, `req.body`): the value when the source is
 * an object that has the field as its own property and the value is a string, else undefined (absent, sent
 * twice — an array —, an object from `a[b]=`, or not a string). The lowest piece of the form kit
 * (src/web/form-kit.tsx), also used where the kit cannot be imported (plumbing, the page frame).
 */
export function textField(source: unknown, name: string): string | undefined {
  if (!source || typeof source !== 'object' || Array.isArray(source)) return undefined;
  const v: unknown = Object.getOwnPropertyDescriptor(source, name)?.value;
  return typeof v === 'string' ? v : undefined;
}
