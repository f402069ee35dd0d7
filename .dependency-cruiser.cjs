/**
 * Import boundaries of Mamori, checked in CI (`npm run lint:deps`). The layers and the reasons are drawn in
 * docs/architecture.md. A capability is a folder of src/; its HTTP edge is its `http/` subfolder.
 */
const CAPABILITIES =
  'accounts|sessions|security-info|verification|organisations|recovery|replacement|recovery-form|checkup|notices|operator|apps|activity|abuse|notifications|events';

/** The composition root and the entry points: the only files that build the whole Deps and wire adapters. */
const COMPOSITION = '^src/(app|main|subscriptions|exhaustive-labels)\\.ts$|-cli\\.ts$';

/** Lower layers first: a folder may import its own layer and the ones before it, never a later one. */
const LAYERS = [
  ['kernel', 'i18n'],
  ['config'],
  ['activity'],
  ['events'],
  // The core: one module in practice (a sign-in needs the account, its methods and a code; a change of
  // security info needs the session's step-up). Within it, files may import each other, never in a cycle.
  ['abuse', 'notifications', 'accounts', 'sessions', 'security-info', 'verification', 'organisations'],
  ['recovery', 'replacement', 'recovery-form', 'checkup', 'notices', 'operator'],
  // Applications signing in through Mamori (OpenID Connect, webhooks, shared signals): they use the core.
  ['apps'],
];

const layerRules = LAYERS.flatMap((layer, i) => {
  const higher = LAYERS.slice(i + 1).flat();
  if (higher.length === 0) return [];
  return [
    {
      name: `layer-${layer.join('-')}`,
      comment: `${layer.join(', ')} must not import a higher layer (${higher.join(', ')}): react to its events instead`,
      severity: 'error',
      from: { path: `^src/(${layer.join('|')})/`, pathNot: '/http/' },
      to: {
        path: `^src/(${higher.join('|')})/`,
        // config checks the operator's email templates at start (every problem at once, with the rest).
        pathNot: layer.includes('config') ? '^src/notifications/(overrides\\.ts|catalogue/)' : undefined,
      },
    },
  ];
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-not-to-edge',
      comment: 'Only a capability\'s http/ folder, src/web/, src/api/ and the composition root speak HTTP.',
      severity: 'error',
      from: { path: `^src/(${CAPABILITIES}|kernel|i18n|config|storage|adapters)/`, pathNot: '/http/' },
      to: { path: ['^src/(web|api)/', '/http/', '^node_modules/(fastify|@fastify)/'] },
    },
    {
      name: 'domain-not-to-infrastructure',
      comment:
        'Capabilities reach storage and adapters only through the ports in kernel/ (Sql, Db) and notifications/ports.ts; the composition root (app.ts), entry points and *-cli.ts wire the real ones.',
      severity: 'error',
      from: { path: `^src/(${CAPABILITIES}|kernel|i18n|web|api)/`, pathNot: '-cli\\.ts$' },
      to: { path: '^src/(storage|adapters)/' },
    },
    {
      name: 'kernel-is-domain-free',
      comment: 'kernel/ knows no capability.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: `^src/(?!kernel/)` },
    },
    {
      name: 'edge-of-one-capability',
      comment: "A capability's http/ folder may use other capabilities' services, never their http/ folders.",
      severity: 'error',
      from: { path: '^src/([^/]+)/http/' },
      to: { path: '^src/[^/]+/http/', pathNot: '^src/$1/http/' },
    },
    {
      name: 'deps-types-only',
      comment:
        'src/deps.ts is the shape of what the composition root injects (Deps), in no layer: a service names it as a type (import type, Pick<Deps, …>); only the composition root may import values from it.',
      severity: 'error',
      from: { pathNot: COMPOSITION },
      to: { path: '^src/deps\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'deps-holds-types-only',
      comment:
        'src/deps.ts only names the ports the composition root fills: it imports types, never values (no capability code runs because a service names Deps).',
      severity: 'error',
      from: { path: '^src/deps\\.ts$' },
      to: { dependencyTypesNot: ['type-only'] },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: ['^src/', '^node_modules/(fastify|@fastify)/'],
    exclude: { path: '\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
