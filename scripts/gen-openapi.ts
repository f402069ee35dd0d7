import { writeFileSync } from 'node:fs';
import { documentText, generateOpenApiDocument } from './openapi-document.ts';

/** Writes docs/openapi.json, the document /api/openapi.json serves (npm run docs:openapi). */
writeFileSync(new URL('../docs/openapi.json', import.meta.url), documentText(await generateOpenApiDocument()));
