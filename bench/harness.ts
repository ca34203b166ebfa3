/** What every benchmark file exports as default: a name and a run that prints through `ctx.log`. */
export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<void>;
}

export interface BenchContext {
  log(line: string): void;
  /** Fewer repetitions (BENCH_QUICK=1), for a smoke run. */
  readonly quick: boolean;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times; returns each run's wall seconds. */
export async function measure(fn: () => unknown, opts: { runs?: number; warmup?: number } = {}): Promise<number[]> {
  const { runs = 5, warmup = 1 } = opts;
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

/** `12.3 M/s`-style rate. */
export function rate(perSecond: number, unit = '/s'): string {
  if (perSecond >= 1e9) return `${(perSecond / 1e9).toFixed(2)} G${unit}`;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M${unit}`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(2)} k${unit}`;
  return `${perSecond.toFixed(2)} ${unit}`;
}

/** `goal >= 1.5: met` or `goal <= 1.5: NOT met`, printed beside each figure. */
export function goal(value: number, op: '>=' | '<=', target: number, unit = ''): string {
  const met = op === '>=' ? value >= target : value <= target;
  return `goal ${op} ${target}${unit}: ${met ? 'met' : 'NOT met'}`;
}

/** Wall seconds of one run of `node ...args` in a fresh process; throws with its stderr when it fails. */
export async function timeProcess(
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ seconds: number; stdout: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited with ${code}: ${err.trim().split('\n')[0]}`));
      else resolve({ seconds, stdout: out });
    });
  });
}

/** `1.20 - 1.35` over a list: the spread of a figure across runs. */
export function spread(xs: readonly number[], digits = 2): string {
  return `${Math.min(...xs).toFixed(digits)} - ${Math.max(...xs).toFixed(digits)}`;
}
