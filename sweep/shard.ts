import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';

/** A slice of a sweep: the points whose index is `index` modulo `count` (index from 0). */
export interface Shard {
  index: number;
  count: number;
  /** Where it came from: `--shard`, or the environment variables of the job engine. */
  source: string;
}

function shardOf(index: number, count: number, source: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new EspError(ESP_ERR_INVALID_ARG, `${source}: the shard count must be a whole number >= 1, got ${count}`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `${source}: the shard index must be a whole number from 0 to ${count - 1}, got ${index}`,
    );
  }
  return { index, count, source };
}

const whole = (text: string | undefined): number =>
  text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;

/** `--shard i/N`: the i-th of N shards, i from 0. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m)
    throw new EspError(ESP_ERR_INVALID_ARG, `--shard ${text}: expected INDEX/COUNT with INDEX from 0, such as 0/4`);
  return shardOf(Number(m[1]), Number(m[2]), `--shard ${text}`);
}

/**
 * The shard the job engine gives this process, or undefined when none does:
 * Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX (from 0; the count is the Job's `completions`, which it does not
 * export, so the manifest passes it as JOB_COMPLETIONS); Slurm job arrays set SLURM_ARRAY_TASK_ID,
 * SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN (the first ID: `--array=1-8` numbers tasks from 1) and
 * SLURM_ARRAY_TASK_STEP (`--array=0-14:2`).
 */
export function shardFromEnv(env: Readonly<Record<string, string | undefined>>): Shard | undefined {
  if (env['JOB_COMPLETION_INDEX'] !== undefined) {
    const src = 'JOB_COMPLETION_INDEX/JOB_COMPLETIONS';
    if (env['JOB_COMPLETIONS'] === undefined) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not: set it to the Job's spec.completions`,
      );
    }
    return shardOf(whole(env['JOB_COMPLETION_INDEX']), whole(env['JOB_COMPLETIONS']), src);
  }
  if (env['SLURM_ARRAY_TASK_ID'] !== undefined) {
    const src = 'SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT';
    if (env['SLURM_ARRAY_TASK_COUNT'] === undefined)
      throw new EspError(ESP_ERR_INVALID_ARG, 'SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not');
    const min = env['SLURM_ARRAY_TASK_MIN'] === undefined ? 0 : whole(env['SLURM_ARRAY_TASK_MIN']);
    const step = env['SLURM_ARRAY_TASK_STEP'] === undefined ? 1 : whole(env['SLURM_ARRAY_TASK_STEP']);
    return shardOf((whole(env['SLURM_ARRAY_TASK_ID']) - min) / step, whole(env['SLURM_ARRAY_TASK_COUNT']), src);
  }
  return undefined;
}

/** The points of one shard: every `count`-th, from `index`. */
export function inShard<T extends { index: number }>(points: readonly T[], shard: Shard | undefined): T[] {
  return shard ? points.filter((p) => p.index % shard.count === shard.index) : [...points];
}
