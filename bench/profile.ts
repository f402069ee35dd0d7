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

export function summarizeProfile(profile: CpuProfile, root: string, top = 25): ProfileSummary {
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
  let total = 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    total += ms;
    const area = areaOf(node.callFrame, root);
    areas.set(area, (areas.get(area) ?? 0) + ms);
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
