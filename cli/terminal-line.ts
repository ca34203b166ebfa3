/** How a one-line progress display meets the terminal. */
export interface TerminalLineOptions {
  /** Writes to the terminal (stderr), without a newline. */
  write: (text: string) => void;
  /** Wall clock in ms (performance.now by default). */
  clock?: () => number;
  /** Least wall time between redraws (default 100 ms). */
  intervalMs?: number;
  /** Wall time before the line first shows, so that short work never sees it (default 0). */
  delayMs?: number;
}

/**
 * One line of a terminal redrawn in place (`\r` ... erase to the end), at most every `intervalMs`: what the
 * run's progress bar and the sweep's share. `clear` removes it.
 */
export class TerminalLine {
  private readonly clock: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(private readonly opts: TerminalLineOptions) {
    this.clock = opts.clock ?? (() => performance.now());
    this.start = this.clock();
  }

  /**
   * Wall seconds since the start when a redraw is due (and counts as done), else undefined. `force` makes it
   * due whatever the interval and the delay (a final state).
   */
  due(force = false): number | undefined {
    const t = this.clock();
    if (!force && (t - this.start < (this.opts.delayMs ?? 0) || t - this.lastDraw < (this.opts.intervalMs ?? 100))) {
      return undefined;
    }
    this.lastDraw = t;
    return (t - this.start) / 1000;
  }

  /** Replaces the line with `text`. */
  draw(text: string): void {
    this.drawn = true;
    this.opts.write(`\r${text}\x1b[K`);
  }

  /** Erases the line if anything was drawn. */
  clear(): void {
    if (this.drawn) this.opts.write('\r\x1b[K');
    this.drawn = false;
  }
}

/**
 * `[####------]  25% tail`: a bar of `frac` (0..1) as wide as the terminal leaves beside `tail` (10 to 40
 * columns), its percentage, then the tail.
 */
export function barLine(frac: number, tail: string, columns = 80): string {
  const width = Math.max(10, Math.min(40, columns - tail.length - 10));
  const full = Math.round(frac * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}% ${tail}`;
}
