/** Simulated time is an integer number of picoseconds in a JS number: exact up to 2^53 ps (about 2.5 hours). */
export const PS_PER_NS = 1_000;
/** Picoseconds per microsecond. */
export const PS_PER_US = 1_000_000;
/** Picoseconds per millisecond. */
export const PS_PER_MS = 1_000_000_000;
/** Picoseconds per second. */
export const PS_PER_S = 1_000_000_000_000;

/** Nanoseconds to picoseconds (rounded to a whole picosecond). */
export function ns(n: number): number {
  return Math.round(n * PS_PER_NS);
}
/** Microseconds to picoseconds (rounded to a whole picosecond). */
export function us(n: number): number {
  return Math.round(n * PS_PER_US);
}
/** Milliseconds to picoseconds (rounded to a whole picosecond). */
export function ms(n: number): number {
  return Math.round(n * PS_PER_MS);
}

/** Picoseconds taken by `cycles` cycles of a clock of `hz`, rounded to a whole picosecond. */
export function cyclesToPs(cycles: number, hz: number): number {
  return Math.round((cycles * PS_PER_S) / hz);
}

const UNITS: [string, number][] = [
  ['s', PS_PER_S],
  ['ms', PS_PER_MS],
  ['us', PS_PER_US],
  ['ns', PS_PER_NS],
  ['ps', 1],
];

/**
 * A readable time, exact to the picosecond: the largest unit that fits, with every digit that is not zero
 * (`12.345us`, `3ms`, `1.00005ms`, `0ps`). Rounding here would print two different instants alike.
 */
export function formatTime(ps: number): string {
  if (!Number.isFinite(ps)) return `${ps}ps`;
  const sign = ps < 0 ? '-' : '';
  const abs = Math.abs(ps);
  if (!Number.isInteger(abs)) return `${ps}ps`;
  for (const [unit, scale] of UNITS) {
    if (abs >= scale) {
      const whole = Math.floor(abs / scale);
      const frac = abs - whole * scale;
      if (frac === 0) return `${sign}${whole}${unit}`;
      const digits = String(scale).length - 1;
      return `${sign}${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}${unit}`;
    }
  }
  return `${sign}${abs}ps`;
}

/**
 * Parses `10ms`, `2.5us`, `100ns`, `7ps`, `1s` (a bare number is picoseconds), exactly: the digits are read as
 * integers, so what formatTime prints reads back to the same picosecond. Digits finer than a picosecond round
 * to the nearest one. Returns undefined when malformed.
 */
export function parseTime(text: string): number | undefined {
  const m = /^\s*(\d+)(?:\.(\d+))?\s*(s|ms|us|µs|ns|ps)?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = m[3] === 'µs' ? 'us' : (m[3] ?? 'ps');
  const scale = UNITS.find(([u]) => u === unit)![1];
  const digits = String(scale).length - 1;
  const frac = (m[2] ?? '').padEnd(digits + 1, '0');
  const fracPs = Number(frac.slice(0, digits) || '0') + (Number(frac[digits]) >= 5 ? 1 : 0);
  return Number(m[1]) * scale + fracPs;
}
