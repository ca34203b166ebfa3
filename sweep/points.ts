import { findTarget, type SimConfig } from '../core/config/config.js';
import type { SweepDefinition, SweepPointParams, SweepValue } from '../core/config/sweep.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';

/** A point to run: its place in the sweep's list, its parameters, its seed and the key that names it. */
export interface PlannedPoint {
  /** Position in the sweep's (filtered) list of points: what shards split and reports sort by. */
  index: number;
  params: SweepPointParams;
  seed: number;
  /** The parameters as canonical JSON (keys sorted): the same point in any file, shard or order. */
  key: string;
}

/** The parameters as JSON with keys sorted, so that the same point always gives the same text. */
export function pointKey(params: SweepPointParams): string {
  const keys = Object.keys(params).sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, params[k]])));
}

/**
 * A point's seed: a 32-bit hash (FNV-1a over the UTF-16 code units, then murmur3's finaliser) of the sweep's seed
 * and the point's key. It depends on nothing else, so a point gives the same result in any worker and any shard.
 */
export function pointSeed(sweepSeed: number, params: SweepPointParams): number {
  const text = `${sweepSeed >>> 0}|${pointKey(params)}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The sweep's points: the cartesian product of its parameters (the first varying slowest), then its filter.
 * A `target` value the config does not define is refused before anything runs.
 */
export function enumeratePoints(sweep: SweepDefinition, config: SimConfig): PlannedPoint[] {
  for (const t of sweep.params['target'] ?? (sweep.target !== undefined ? [sweep.target] : []))
    findTarget(config, String(t));
  const keys = Object.keys(sweep.params);
  const seed = sweep.seed ?? 1;
  const out: PlannedPoint[] = [];
  const current: Record<string, SweepValue> = {};
  const walk = (depth: number): void => {
    if (depth === keys.length) {
      const params = { ...current };
      if (sweep.filter && !sweep.filter(params, { config })) return;
      out.push({ index: out.length, params, seed: pointSeed(seed, params), key: pointKey(params) });
      return;
    }
    const k = keys[depth]!;
    for (const v of sweep.params[k]!) {
      current[k] = v;
      walk(depth + 1);
    }
  };
  walk(0);
  return out;
}

/** `k=v1,v2` (one --param option) as its key and its values, still text. */
export function parseParamOption(spec: string): [string, string[]] {
  const m = /^([^=\s]+)=(.+)$/.exec(spec);
  if (!m)
    throw new EspError(ESP_ERR_INVALID_ARG, `--param ${spec}: expected NAME=VALUE[,VALUE...], such as size=64,256`);
  const values = m[2]!.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) throw new EspError(ESP_ERR_INVALID_ARG, `--param ${spec}: a value is empty`);
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  if (dup !== undefined) throw new EspError(ESP_ERR_INVALID_ARG, `--param ${spec}: value "${dup}" is listed twice`);
  return [m[1]!, values];
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Text from the command line as a value: a number or boolean where it reads as one (or must: `like` says). */
function parseValue(key: string, text: string, like: readonly SweepValue[] | undefined): SweepValue {
  const kind = like && like.length > 0 && like.every((v) => typeof v === typeof like[0]) ? typeof like[0] : undefined;
  if (kind === 'string') return text;
  if (kind === 'number' || (kind === undefined && NUMBER.test(text))) {
    const n = Number(text);
    if (!NUMBER.test(text) || !Number.isFinite(n))
      throw new EspError(ESP_ERR_INVALID_ARG, `--param ${key}: "${text}" is not a number`);
    return n;
  }
  if (kind === 'boolean' || (kind === undefined && (text === 'true' || text === 'false'))) {
    if (text !== 'true' && text !== 'false')
      throw new EspError(ESP_ERR_INVALID_ARG, `--param ${key}: "${text}" is not true or false`);
    return text === 'true';
  }
  return text;
}

/**
 * The sweep with parameters replaced from the command line (`--param k=v1,v2`) and, when given, another seed.
 * A sweep declared with parameters takes only those (typed as declared); a scenario's takes any.
 */
export function overrideSweep(
  sweep: SweepDefinition,
  raw: Readonly<Record<string, readonly string[]>>,
  seed?: number,
  open = false,
): SweepDefinition {
  const params: Record<string, readonly SweepValue[]> = { ...sweep.params };
  for (const [k, texts] of Object.entries(raw)) {
    if (!open && !(k in sweep.params)) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `--param ${k}: sweep "${sweep.name}" has no parameter "${k}"; it has ${Object.keys(sweep.params).join(', ') || 'none'}`,
      );
    }
    params[k] = texts.map((t) => parseValue(k, t, sweep.params[k]));
  }
  return { ...sweep, params, seed: seed ?? sweep.seed };
}
