import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { EVENT_SUMMARIES, type EventType } from '../src/events/catalog.ts';

/** One event of the catalogue as docs/events.md shows it. */
export interface EventDoc {
  type: string;
  summary: string;
  fields: { name: string; type: string; optional: boolean; doc: string }[];
  raisedIn: string[];
  subscribers: string[];
}

const root = new URL('../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

/**
 * Reads `src/events/catalog.ts` with the TypeScript checker: every member of `MamoriEvent`, its `type`
 * literal(s), its fields with their types and doc comments; then finds the files that raise each type
 * (`type: '<event>'` in a `deps.emit(…)` object) and pairs it with `subscriptions` (type → subscriber names).
 */
export function describeEvents(subscriptions: { type: string; name: string }[]): EventDoc[] {
  const file = join(root, 'src/events/catalog.ts');
  const program = ts.createProgram([file], { strict: true, allowImportingTsExtensions: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error('catalog not found');
  const alias = source.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'MamoriEvent',
  );
  if (!alias) throw new Error('MamoriEvent not found');
  const union = checker.getTypeAtLocation(alias.name);
  const members = union.isUnion() ? union.types : [union];
  const sources = sourceFiles(join(root, 'src')).map((p) => ({ p, text: readFileSync(p, 'utf8') }));
  const docs: EventDoc[] = [];
  for (const member of members) {
    const typeProp = member.getProperty('type');
    if (!typeProp) continue;
    const typeOfType = checker.getTypeOfSymbol(typeProp);
    const literals = (typeOfType.isUnion() ? typeOfType.types : [typeOfType])
      .filter((t) => t.isStringLiteral())
      .map((t) => (t as ts.StringLiteralType).value);
    const fields = member
      .getProperties()
      .filter((p) => p.name !== 'type')
      .map((p) => ({
        name: p.name,
        type: checker.typeToString(checker.getTypeOfSymbol(p)).replace(/\|/g, '\\|'),
        optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
        doc: ts.displayPartsToString(p.getDocumentationComment(checker)).replace(/\s+/g, ' '),
      }));
    for (const type of literals) {
      const pattern = new RegExp(`type: [^,}\\n]*'${type.replace('.', '\\.')}'`);
      docs.push({
        type,
        summary: EVENT_SUMMARIES[type as EventType] ?? '',
        fields,
        raisedIn: sources
          .filter((s) => !s.p.includes('/events/') && /\.emit\(/.test(s.text) && pattern.test(s.text))
          .map((s) => relative(root, s.p)),
        subscribers: subscriptions.filter((s) => s.type === type).map((s) => s.name),
      });
    }
  }
  return docs.sort((a, b) => a.type.localeCompare(b.type));
}

/** docs/events.md as text. */
export function renderEventsDoc(events: EventDoc[]): string {
  const body = events
    .map((e) => {
      const fields = e.fields
        .map((f) => `| \`${f.name}\`${f.optional ? ' (optional)' : ''} | \`${f.type}\` | ${f.doc} |`)
        .join('\n');
      return `## \`${e.type}\`

${e.summary}

- Raised in: ${e.raisedIn.length ? e.raisedIn.map((f) => `\`${f}\``).join(', ') : '—'}
- Subscribers (in order): ${e.subscribers.length ? e.subscribers.map((s) => `\`${s}\``).join(', ') : '—'}

| field | type | meaning |
|---|---|---|
${fields}
`;
    })
    .join('\n');
  return `# Domain events

A change raises its events inside its own transaction (\`deps.emit(tx, event)\`); every subscriber runs at once, in
the same transaction, in the order below, so what it writes commits or rolls back with the change. A subscriber
that throws rolls the change back (that is how a pending replacement refuses a change). Raisers never import their
subscribers: \`src/subscriptions.ts\` is the only file that knows both. The outbox wakes the dispatcher after
commit by itself.

Generated from \`src/events/catalog.ts\` and \`src/subscriptions.ts\` by \`npm run docs:events\`; a test fails
when this file is out of date.

${body}`;
}
