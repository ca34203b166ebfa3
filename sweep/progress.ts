export interface SweepProgressOptions {
  /** Writes to the terminal (stderr), without a newline. */
  write: (text: string) => void;
  /** Wall clock in ms (performance.now by default). */
  clock?: () => number;
  /** Least wall time between redraws (default 100 ms). */
  intervalMs?: number;
  /** Terminal width (default 80). */
  columns?: number;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * A sweep's one-line progress on a terminal: a bar, points done of the total, points per second and the time
 * left at that rate. The CLI makes one only when stderr is a terminal; `clear` removes the line.
 */
export class SweepProgress {
  private readonly clock: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(private readonly opts: SweepProgressOptions) {
    this.clock = opts.clock ?? (() => performance.now());
    this.start = this.clock();
  }

  update(done: number, total: number): void {
    const t = this.clock();
    if (done < total && t - this.lastDraw < (this.opts.intervalMs ?? 100)) return;
    this.lastDraw = t;
    this.drawn = true;
    this.opts.write(`\r${this.render(done, total, (t - this.start) / 1000)}\x1b[K`);
  }

  /** The line for a state (exposed for tests). */
  render(done: number, total: number, wallSeconds: number): string {
    const rate = done / Math.max(wallSeconds, 1e-9);
    const eta = done === 0 ? Infinity : (total - done) / rate;
    const tail = `${done}/${total} points, ${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} points/s, ETA ${duration(eta)}`;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const width = Math.max(10, Math.min(40, (this.opts.columns ?? 80) - tail.length - 10));
    const full = Math.round(frac * width);
    return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}% ${tail}`;
  }

  /** Erases the line if anything was drawn. */
  clear(): void {
    if (this.drawn) this.opts.write('\r\x1b[K');
    this.drawn = false;
  }
}
