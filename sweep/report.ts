import type { SweepAxes, SweepValue } from '../core/config/sweep.js';
import { formatTime } from '../core/time.js';
import { pointKey } from './points.js';
import { parseResults, type SweepRecord } from './record.js';

/** Files merged into one set of results. */
export interface MergedResults {
  /** One per point, by sweep (first seen first) then index. */
  records: SweepRecord[];
  /** Lines for a point another file (or line) already gave: left out. */
  duplicates: number;
  /** Files whose last line was cut off (an interrupted run): that line left out. */
  truncated: string[];
}

/** Merges the JSONL of several runs (shards, resumed runs): one result per point, sorted. */
export function mergeResults(files: readonly { file: string; text: string }[]): MergedResults {
  const seen = new Map<string, SweepRecord>();
  const sweeps: string[] = [];
  let duplicates = 0;
  const truncated: string[] = [];
  for (const { file, text } of files) {
    const parsed = parseResults(text, file);
    if (parsed.truncated !== undefined) truncated.push(file);
    for (const r of parsed.records) {
      const key = `${r.sweep}\n${pointKey(r.params)}`;
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.set(key, r);
      if (!sweeps.includes(r.sweep)) sweeps.push(r.sweep);
    }
  }
  const records = [...seen.values()].sort(
    (a, b) => sweeps.indexOf(a.sweep) - sweeps.indexOf(b.sweep) || a.index - b.index,
  );
  return { records, duplicates, truncated };
}

const union = (lists: Iterable<string[]>): string[] => {
  const out: string[] = [];
  for (const l of lists) for (const k of l) if (!out.includes(k)) out.push(k);
  return out;
};

/** The columns of a sweep's results: its parameters, then its metrics. */
export function resultColumns(records: readonly SweepRecord[]): { params: string[]; metrics: string[] } {
  return {
    params: union(records.map((r) => Object.keys(r.params))),
    metrics: union(records.map((r) => Object.keys(r.metrics ?? {}))),
  };
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** The rows of one sweep's results for a table or a CSV: parameters, seed, metrics, simulated time, faults, error. */
function rows(
  records: readonly SweepRecord[],
  time: (ps: number) => string,
  value: (v: unknown) => string = text,
): { header: string[]; rows: string[][] } {
  const { params, metrics } = resultColumns(records);
  const header = [...params, 'seed', ...metrics, 'simulated', 'faults', 'error'];
  return {
    header,
    rows: records.map((r) => [
      ...params.map((p) => text(r.params[p])),
      String(r.seed),
      ...metrics.map((m) => value(r.metrics?.[m])),
      r.simulatedPs === null ? '' : time(r.simulatedPs),
      String(r.faults.length),
      r.error ?? '',
    ]),
  };
}

/** Groups records by sweep, in their order. */
export function bySweep(records: readonly SweepRecord[]): Map<string, SweepRecord[]> {
  const m = new Map<string, SweepRecord[]>();
  for (const r of records) m.set(r.sweep, [...(m.get(r.sweep) ?? []), r]);
  return m;
}

/** A metric for a person: integers as they are, other numbers to 4 significant digits. */
const readable = (v: unknown): string =>
  typeof v === 'number' && !Number.isInteger(v) ? String(+v.toPrecision(4)) : text(v);

/** A sweep's results as a plain text table (times as 1.5us, fractions to 4 significant digits; CSV has them whole). */
export function resultTable(
  records: readonly SweepRecord[],
  render: (header: string[], rows: string[][]) => string,
): string {
  const t = rows(records, formatTime, readable);
  return render(t.header, t.rows);
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Results as CSV (RFC 4180; simulated time in ps), one sweep column first so several sweeps share a file. */
export function resultCsv(records: readonly SweepRecord[]): string {
  const t = rows(records, String);
  const header = ['sweep', ...t.header.map((h) => (h === 'simulated' ? 'simulated_ps' : h))];
  return (
    [header, ...t.rows.map((r, i) => [records[i]!.sweep, ...r])].map((r) => r.map(csvCell).join(',')).join('\r\n') +
    '\r\n'
  );
}

// --- the chart ---

const COLORS = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7', '#F0E442'];
const DASHES = ['', '7 3', '2 3', '9 3 2 3', '4 4', '12 4', '1 3', '5 2 1 2'];
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** One line of the chart: the mean metric at each x of one combination of the series parameters. */
export interface ChartSeries {
  name: string;
  points: [number, number][];
}

/**
 * The series a chart draws: records grouped by the series parameters (default: all but x and `seed`), the y
 * metric averaged over points sharing an x (seeds, say). Failed points and non-numeric values are left out.
 */
export function chartSeries(records: readonly SweepRecord[], axes: SweepAxes): ChartSeries[] {
  const { params } = resultColumns(records);
  const seriesKeys = axes.series ?? params.filter((p) => p !== axes.x && p !== 'seed');
  const groups = new Map<string, Map<number, number[]>>();
  for (const r of records) {
    const x = r.params[axes.x];
    const y = r.metrics?.[axes.y];
    if (typeof x !== 'number' || typeof y !== 'number') continue;
    const name = seriesKeys.map((k) => `${k}=${text(r.params[k] as SweepValue | undefined)}`).join(' ') || axes.y;
    const g = groups.get(name) ?? new Map<number, number[]>();
    groups.set(name, g);
    g.set(x, [...(g.get(x) ?? []), y]);
  }
  return [...groups].map(([name, g]) => ({
    name,
    points: [...g]
      .map(([x, ys]): [number, number] => [x, ys.reduce((a, b) => a + b, 0) / ys.length])
      .sort((a, b) => a[0] - b[0]),
  }));
}

function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const base = hi / lo > 1e4 ? 10 : 2;
    const out: number[] = [];
    for (let e = Math.floor(Math.log(lo) / Math.log(base)); base ** e <= hi * 1.0001; e++)
      if (base ** e >= lo / 1.0001) out.push(base ** e);
    return out.length >= 2 ? out : [lo, hi];
  }
  const span = hi - lo || Math.abs(hi) || 1;
  const step0 = 10 ** Math.floor(Math.log10(span / 5));
  const step = [1, 2, 5, 10].map((m) => m * step0).find((s) => span / s <= 6)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

const label = (v: number): string => {
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
  return Math.abs(v) >= 1e7 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1) : String(+v.toPrecision(4));
};

/** A sweep's results as an SVG line chart: y metric against x parameter, one series per combination. */
export function resultChartSvg(sweep: string, records: readonly SweepRecord[], axes: SweepAxes): string {
  const series = chartSeries(records, axes);
  const W = 900;
  const L = 90;
  const T = 60;
  const PW = 560;
  const PH = 380;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const logX = !!axes.logX && xs.every((v) => v > 0);
  const logY = !!axes.logY && ys.every((v) => v > 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${T + PH + 70}" viewBox="0 0 ${W} ${T + PH + 70}" font-family="Helvetica, Arial, sans-serif" fill="#222">`,
    `<title>${esc(`${sweep}: ${axes.y} against ${axes.x}`)}</title>`,
    `<rect width="${W}" height="${T + PH + 70}" fill="white"/>`,
    `<text x="${L + PW / 2}" y="30" text-anchor="middle" font-size="16" font-weight="bold">${esc(`${sweep}: ${axes.y} against ${axes.x}`)}</text>`,
  ];
  if (xs.length === 0) {
    out.push(
      `<text x="${L + PW / 2}" y="${T + PH / 2}" text-anchor="middle">no point has a numeric ${esc(axes.x)} and ${esc(axes.y)}</text>`,
      '</svg>',
      '',
    );
    return out.join('\n');
  }
  const scale = (lo: number, hi: number, log: boolean, a: number, b: number) => {
    const f = log ? Math.log : (v: number) => v;
    const [l, h] = lo === hi ? [f(lo) - 1, f(hi) + 1] : [f(lo), f(hi)];
    return (v: number): number => a + ((f(v) - l) / (h - l)) * (b - a);
  };
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys, logY ? Infinity : 0), Math.max(...ys)];
  const x = scale(x0, x1, logX, L, L + PW);
  const y = scale(y0, y1, logY, T + PH, T);
  for (const v of ticks(x0, x1, logX)) {
    out.push(
      `<line class="x-tick" x1="${n1(x(v))}" y1="${T}" x2="${n1(x(v))}" y2="${T + PH + 5}" stroke="#ddd"/>`,
      `<text x="${n1(x(v))}" y="${T + PH + 20}" text-anchor="middle" font-size="12">${label(v)}</text>`,
    );
  }
  for (const v of ticks(y0, y1, logY)) {
    out.push(
      `<line class="y-tick" x1="${L - 5}" y1="${n1(y(v))}" x2="${L + PW}" y2="${n1(y(v))}" stroke="#ddd"/>`,
      `<text x="${L - 8}" y="${n1(y(v))}" dy="4" text-anchor="end" font-size="12">${label(v)}</text>`,
    );
  }
  out.push(
    `<rect x="${L}" y="${T}" width="${PW}" height="${PH}" fill="none" stroke="#444"/>`,
    `<text x="${L + PW / 2}" y="${T + PH + 45}" text-anchor="middle" font-size="13">${esc(axes.x)}${logX ? ' (log)' : ''}</text>`,
    `<text x="${L - 60}" y="${T + PH / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 ${L - 60} ${T + PH / 2})">${esc(axes.y)}${logY ? ' (log)' : ''}</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const dash = DASHES[i % DASHES.length]!;
    const d = s.points.map(([px, py], j) => `${j ? 'L' : 'M'}${n1(x(px))},${n1(y(py))}`).join('');
    out.push(
      `<g class="series" data-series="${esc(s.name)}">`,
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      ...s.points.map(
        ([px, py]) =>
          `<circle class="point" data-x="${px}" data-y="${py}" cx="${n1(x(px))}" cy="${n1(y(py))}" r="3" fill="${color}"/>`,
      ),
      '</g>',
    );
    const ly = T + 10 + i * 20;
    out.push(
      `<g class="legend-entry"><line x1="${L + PW + 20}" y1="${ly}" x2="${L + PW + 50}" y2="${ly}" stroke="${color}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      `<text x="${L + PW + 56}" y="${ly}" dy="4" font-size="12">${esc(s.name)}</text></g>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
