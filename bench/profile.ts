/** Condenses a V8 CPU profile (Profiler.stop) into self time by area and the hottest functions. */
import type { ProfileSummary } from './protocol.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export function areaOf(frame: CallFrame, root: string): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return 'V8 garbage collector';
    if (functionName === '(program)') return 'V8/native (program)';
    if (functionName === '(root)') return '(root)';
    return 'native builtins';
  }
  if (url.startsWith('wasm://')) return 'PGlite WASM (PostgreSQL)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return `pkg ${pkg}`;
  }
  if (url.startsWith('node:')) {
    if (/node:internal\/(http|_http)|node:_http|node:http/.test(url)) return 'node http';
    if (/net|stream|tcp|socket/.test(url)) return 'node net/streams';
    return 'node core (other)';
  }
  const src = url.indexOf(`${root}/src/`);
  if (src >= 0) {
    const rel = url.slice(src + root.length + 5).split('/');
    return `mamori src/${rel.length > 1 ? rel[0] : rel[0]?.replace(/\?.*$/, '')}`;
  }
  if (url.includes(`${root}/bench/`)) return 'bench harness';
  return 'other';
}

/**
 * `inclusive` names functions as "name@path" (a path fragment of the script URL, e.g.
 * "verifyTotp@/src/security-info/totp/totp.ts"); the summary then also gives the time spent inside each,
 * callees included.
 */
export function summarizeProfile(
  profile: CpuProfile,
  root: string,
  inclusive: string[] = [],
  top = 25,
): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attribute the gap to the next sample.
    const dt = (deltas[i + 1] ?? 0) / 1000;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + dt);
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const special = new Set(['(idle)', '(garbage collector)', '(program)', '(root)']);
  /**
   * Native builtins and Node's own non-HTTP internals (fs, timers, buffers) are counted for the nearest caller
   * outside them: an fstat that PGlite makes through node:fs is PGlite's time.
   */
  const callerArea = (node: ProfileNode): string => {
    const own = areaOf(node.callFrame, root);
    let n: ProfileNode | undefined = node;
    for (;;) {
      if (!n || special.has(n.callFrame.functionName)) return own;
      const a = areaOf(n.callFrame, root);
      if (a !== 'native builtins' && a !== 'node core (other)') return a;
      const up = parent.get(n.id);
      n = up === undefined ? undefined : byId.get(up);
    }
  };
  const targets = inclusive.map((spec) => {
    const at = spec.indexOf('@');
    return { spec, fn: spec.slice(0, at), path: spec.slice(at + 1), ms: 0 };
  });
  const insideOf = (node: ProfileNode) => {
    const hit = new Set<(typeof targets)[number]>();
    for (let n: ProfileNode | undefined = node; n; ) {
      for (const t of targets)
        if (n.callFrame.functionName === t.fn && n.callFrame.url.includes(t.path)) hit.add(t);
      const up = parent.get(n.id);
      n = up === undefined ? undefined : byId.get(up);
    }
    return hit;
  };
  let total = 0;
  const areas = new Map<string, number>();
  const callerAreas = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    total += ms;
    const area = areaOf(node.callFrame, root);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    if (targets.length) for (const t of insideOf(node)) t.ms += ms;
    const ca = callerArea(node);
    callerAreas.set(ca, (callerAreas.get(ca) ?? 0) + ms);
    const where = `${shortUrl(node.callFrame.url, root)}:${node.callFrame.lineNumber + 1}`;
    const name = node.callFrame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const f = fns.get(key) ?? { fn: name, where, ms: 0 };
    f.ms += ms;
    fns.set(key, f);
  }
  const share = (ms: number) => (total ? ms / total : 0);
  return {
    totalMs: total,
    byArea: [...areas].map(([area, ms]) => ({ area, ms, share: share(ms) })).sort((a, b) => b.ms - a.ms),
    byCallerArea: [...callerAreas]
      .map(([area, ms]) => ({ area, ms, share: share(ms) }))
      .sort((a, b) => b.ms - a.ms),
    inclusive: targets.map((t) => ({ fn: t.spec, ms: t.ms, share: share(t.ms) })),
    topFunctions: [...fns.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, share: share(f.ms) })),
  };
}

function shortUrl(url: string, root: string): string {
  if (!url) return '';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  return url.replace(`file://${root}/`, '').replace(/\?.*$/, '');
}
