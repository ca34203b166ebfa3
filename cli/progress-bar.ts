import { formatTime } from '../core/time.js';

export interface ProgressBarOptions {
  /** The absolute simulated time the run goes to, when known (--until). */
  untilPs?: number;
  /** Writes to the terminal (stderr), without a newline. */
  write: (text: string) => void;
  /** Wall clock in ms (performance.now by default). */
  clock?: () => number;
  /** Wall time before the bar first shows: short runs never see it (default 1000 ms). */
  delayMs?: number;
  /** Least wall time between redraws (default 100 ms). */
  intervalMs?: number;
  /** Terminal width (default 80). */
  columns?: number;
}

/**
 * A one-line progress display in simulated time for long runs on a terminal: a bar when the end time is known,
 * the simulated time and event rate otherwise. `update` is cheap when nothing is drawn; `clear` removes the line.
 */
export class ProgressBar {
  private readonly clock: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(private readonly opts: ProgressBarOptions) {
    this.clock = opts.clock ?? (() => performance.now());
    this.start = this.clock();
  }

  update(nowPs: number, events: number): void {
    const t = this.clock();
    if (t - this.start < (this.opts.delayMs ?? 1000) || t - this.lastDraw < (this.opts.intervalMs ?? 100)) return;
    this.lastDraw = t;
    this.drawn = true;
    this.opts.write(`\r${this.render(nowPs, events, (t - this.start) / 1000)}\x1b[K`);
  }

  /** The line for a state (exposed for tests). */
  render(nowPs: number, events: number, wallSeconds: number): string {
    const rate = events / Math.max(wallSeconds, 1e-9);
    const tail =
      `${formatTime(nowPs)}${this.opts.untilPs !== undefined ? ` / ${formatTime(this.opts.untilPs)}` : ''} simulated, ` +
      `${(rate / 1e6).toFixed(2)} M events/s`;
    if (this.opts.untilPs === undefined || this.opts.untilPs <= 0) return `running: ${tail}`;
    const frac = Math.min(1, Math.max(0, nowPs / this.opts.untilPs));
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
