/** CPU accounting from /proc (Linux): per process (all threads) and for the whole machine. */
import { readFileSync } from 'node:fs';

const CLK_TCK = 100; // USER_HZ; 100 on every mainstream Linux build

/** CPU seconds a process has used so far, all threads (utime + stime). */
export function processCpuSeconds(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** Busy CPU seconds of the whole machine so far (everything but idle and iowait), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = v as [number, ...number[]];
  void idle;
  void iowait;
  return (user + nice! + system! + irq! + softirq! + steal!) / CLK_TCK;
}
