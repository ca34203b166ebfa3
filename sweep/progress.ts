import { barLine, TerminalLine } from '../cli/terminal-line.js';

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
  private readonly line: TerminalLine;

  constructor(private readonly opts: SweepProgressOptions) {
    this.line = new TerminalLine(opts);
  }

  update(done: number, total: number): void {
    // the last point always draws, so the line ends at 100%
    const wallSeconds = this.line.due(done >= total);
    if (wallSeconds !== undefined) this.line.draw(this.render(done, total, wallSeconds));
  }

  /** The line for a state (exposed for tests). */
  render(done: number, total: number, wallSeconds: number): string {
    const rate = done / Math.max(wallSeconds, 1e-9);
    const eta = done === 0 ? Infinity : (total - done) / rate;
    const tail = `${done}/${total} points, ${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} points/s, ETA ${duration(eta)}`;
    return barLine(total > 0 ? Math.min(1, done / total) : 1, tail, this.opts.columns);
  }

  /** Erases the line if anything was drawn. */
  clear(): void {
    this.line.clear();
  }
}
