import { formatTime } from '../core/time.js';
import { barLine, TerminalLine } from './terminal-line.js';

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
  private readonly line: TerminalLine;

  constructor(private readonly opts: ProgressBarOptions) {
    this.line = new TerminalLine({ ...opts, delayMs: opts.delayMs ?? 1000 });
  }

  update(nowPs: number, events: number): void {
    const wallSeconds = this.line.due();
    if (wallSeconds !== undefined) this.line.draw(this.render(nowPs, events, wallSeconds));
  }

  /** The line for a state (exposed for tests). */
  render(nowPs: number, events: number, wallSeconds: number): string {
    const rate = events / Math.max(wallSeconds, 1e-9);
    const tail =
      `${formatTime(nowPs)}${this.opts.untilPs !== undefined ? ` / ${formatTime(this.opts.untilPs)}` : ''} simulated, ` +
      `${(rate / 1e6).toFixed(2)} M events/s`;
    if (this.opts.untilPs === undefined || this.opts.untilPs <= 0) return `running: ${tail}`;
    return barLine(Math.min(1, Math.max(0, nowPs / this.opts.untilPs)), tail, this.opts.columns);
  }

  /** Erases the line if anything was drawn. */
  clear(): void {
    this.line.clear();
  }
}
