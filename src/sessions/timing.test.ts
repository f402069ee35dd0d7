import { describe, expect, it } from 'vitest';
import { TimingEqualizer } from './timing.ts';

describe('TimingEqualizer', () => {
  it('pads a fast failure up to the average success time, and never beyond the cap', async () => {
    const eq = new TimingEqualizer(30);
    for (let i = 0; i < 5; i++) eq.recordSuccess(20);
    expect(eq.averageMs).toBeCloseTo(20);
    const start = performance.now();
    await eq.padFailure(start);
    expect(performance.now() - start).toBeGreaterThanOrEqual(18);
    const capped = new TimingEqualizer(5);
    capped.recordSuccess(1000);
    const s2 = performance.now();
    await capped.padFailure(s2);
    expect(performance.now() - s2).toBeLessThan(200);
  });
});
