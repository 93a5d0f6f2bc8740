/** Lets a test wait until a local stand-in (mock Slack, fake Discord) has recorded what it expects. */
export class Waiter {
  private waiters: (() => void)[] = [];

  /** Wake everything waiting: call when something was recorded. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolve with the probe's first truthy value, re-checked on each notify (and every 25 ms). */
  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000, what = "the stand-in"): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 25);
      });
    }
  }
}
