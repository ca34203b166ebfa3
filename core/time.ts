/** Simulated time is an integer number of picoseconds in a JS number: exact up to 2^53 ps (about 2.5 hours). */
export const PS_PER_NS = 1_000;
/** Picoseconds per microsecond. */
export const PS_PER_US = 1_000_000;
/** Picoseconds per millisecond. */
export const PS_PER_MS = 1_000_000_000;
/** Picoseconds per second. */
export const PS_PER_S = 1_000_000_000_000;

/** Nanoseconds to picoseconds (rounded to a whole picosecond). */
export function ns(n: number): number { return Math.round(n * PS_PER_NS); }
/** Microseconds to picoseconds (rounded to a whole picosecond). */
export function us(n: number): number { return Math.round(n * PS_PER_US); }
/** Milliseconds to picoseconds (rounded to a whole picosecond). */
export function ms(n: number): number { return Math.round(n * PS_PER_MS); }

/** Picoseconds taken by `cycles` cycles of a clock of `hz`, rounded to a whole picosecond. */
export function cyclesToPs(cycles: number, hz: number): number {
  return Math.round((cycles * PS_PER_S) / hz);
}

const UNITS: [string, number][] = [['s', PS_PER_S], ['ms', PS_PER_MS], ['us', PS_PER_US], ['ns', PS_PER_NS], ['ps', 1]];

/** A readable time: `12.345us`, `3ms`, `0ps`. */
export function formatTime(ps: number): string {
  if (ps === 0) return '0ps';
  for (const [unit, scale] of UNITS) {
    if (Math.abs(ps) >= scale) return `${+(ps / scale).toFixed(3)}${unit}`;
  }
  return `${ps}ps`;
}

/** Parses `10ms`, `2.5us`, `100ns`, `7ps`, `1s` (a bare number is picoseconds). Returns undefined when malformed. */
export function parseTime(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|ms|us|µs|ns|ps)?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = m[2] === 'µs' ? 'us' : (m[2] ?? 'ps');
  const scale = UNITS.find(([u]) => u === unit)![1];
  return Math.round(Number(m[1]) * scale);
}
