/**
 * Makes failed sign-ins take as long as successful ones, so the answer time does not tell an unknown
 * account from a wrong password from a right one. Keeps a moving average of successful sign-in times and
 * lets a failure wait until that much time has passed since the request began (capped).
 */
export class TimingEqualizer {
  private average = 0;
  constructor(
    private readonly maxPadMs = 100,
    private readonly weight = 0.1,
  ) {}

  recordSuccess(elapsedMs: number): void {
    this.average = this.average === 0 ? elapsedMs : this.average + this.weight * (elapsedMs - this.average);
  }

  /** Waits until the request has taken about as long as a success does. */
  async padFailure(startedAt: number): Promise<void> {
    const wait = Math.min(this.maxPadMs, this.average - (performance.now() - startedAt));
    if (wait > 0.5) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  get averageMs(): number {
    return this.average;
  }
}
