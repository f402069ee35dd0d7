import { writeFileSync } from 'node:fs';
import { en } from '../src/i18n/en.ts';
import { ja } from '../src/i18n/ja.ts';
import { ERROR_STATUS } from '../src/kernel/errors.ts';

/** Writes docs/errors.md from the error registry and the dictionaries (npm run docs:errors). */
const rows = Object.entries(ERROR_STATUS).map(([code, status]) => {
  const key = `error.${code}` as keyof typeof en;
  return `| \`${code}\` | ${status} | ${en[key] ?? ''} | ${ja[key] ?? ''} |`;
});
writeFileSync(
  new URL('../docs/errors.md', import.meta.url),
  `# Error codes

Every API error is \`{ "error": { "code", "message" } }\`. The \`code\` is stable: it is never renamed or
re-purposed once released, so clients branch on it. The \`message\` is localised (\`?lang=\`, the \`mamori_lang\` cookie,
Accept-Language, then the account's language) and may change. A 429 carries \`Retry-After\` in
seconds. Placeholders in braces are filled in per request. \`request.invalid\` from a schema check also carries
\`fields\`, every wrong field (see [api.md](api.md#errors)). Each operation of the OpenAPI document
([openapi.json](openapi.json)) lists the codes it can answer.

Generated from \`src/kernel/errors.ts\` and \`src/i18n/\` by \`npm run docs:errors\`.

| code | HTTP | English | 日本語 |
|---|---|---|---|
${rows.join('\n')}
`,
);
