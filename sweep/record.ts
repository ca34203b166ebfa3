import type { SweepMetrics, SweepPointParams } from '../core/config/sweep.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';

/** One point's result: one line of a sweep's JSONL output. */
export interface SweepRecord {
  sweep: string;
  /** The point's position in the sweep's list (reports sort by it). */
  index: number;
  params: SweepPointParams;
  seed: number;
  /** What the sweep's run returned; null when the point failed. */
  metrics: SweepMetrics | null;
  /** Simulated time at the end of the point (ps); null when no simulation was made. */
  simulatedPs: number | null;
  /** Wall time of the point in its worker (ms): the one field that differs from run to run. */
  wallMs: number;
  faults: { time: number; source: string; message: string }[];
  /** Why the point failed (what its run threw), when it did. */
  error?: string;
}

/** The fields every line must have, with their JSON types. */
const FIELDS: [keyof SweepRecord, string][] = [
  ['sweep', 'string'],
  ['index', 'number'],
  ['params', 'object'],
  ['seed', 'number'],
  ['wallMs', 'number'],
];

function checkRecord(v: unknown, where: string): SweepRecord {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new EspError(ESP_ERR_INVALID_ARG, `${where}: not a sweep result (a JSON object)`);
  const r = v as Record<string, unknown>;
  for (const [k, type] of FIELDS) {
    if (typeof r[k] !== type || r[k] === null)
      throw new EspError(ESP_ERR_INVALID_ARG, `${where}: not a sweep result (${k} should be a ${type})`);
  }
  if (!Array.isArray(r['faults']))
    throw new EspError(ESP_ERR_INVALID_ARG, `${where}: not a sweep result (faults should be a list)`);
  return v as SweepRecord;
}

/** UTF-8 length of a text (TextEncoder, not Buffer: this file is type-checked for the browser playground too). */
const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** What a JSONL file holds: its results, and the length of its text up to the last whole line. */
export interface ParsedResults {
  records: SweepRecord[];
  /** Bytes of complete lines (a resumed run cuts the file here before appending). */
  completeBytes: number;
  /** The cut-off last line of an interrupted run, when there is one (it is not a result). */
  truncated?: string;
}

/**
 * Parses a sweep's JSONL output. A last line without its newline that does not parse is what an interrupted run
 * leaves: it is reported as `truncated`, not as an error. Any other bad line is an error naming file and line.
 */
export function parseResults(text: string, file: string): ParsedResults {
  const records: SweepRecord[] = [];
  let pos = 0;
  let line = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const body = text.slice(pos, end);
    line++;
    if (body.trim() !== '') {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        if (nl < 0) return { records, completeBytes: utf8Length(text.slice(0, pos)), truncated: body };
        throw new EspError(ESP_ERR_INVALID_ARG, `${file}:${line}: not JSON (a sweep writes one JSON object per line)`);
      }
      records.push(checkRecord(value, `${file}:${line}`));
    }
    pos = nl < 0 ? text.length : nl + 1;
  }
  return { records, completeBytes: utf8Length(text.slice(0, pos)) };
}

/** A record as its line (without the newline); keys in a fixed order. */
export function recordLine(r: SweepRecord): string {
  const { sweep, index, params, seed, metrics, simulatedPs, wallMs, faults, error } = r;
  return JSON.stringify(
    error === undefined
      ? { sweep, index, params, seed, metrics, simulatedPs, wallMs, faults }
      : { sweep, index, params, seed, metrics, simulatedPs, wallMs, faults, error },
  );
}
