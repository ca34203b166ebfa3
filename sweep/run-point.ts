import { findTarget, type SimConfig } from '../core/config/config.js';
import type { SweepDefinition, SweepMetrics } from '../core/config/sweep.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE } from '../core/errors.js';
import { assembleSimulation, type Simulation } from '../core/simulation.js';
import type { PlannedPoint } from './points.js';
import type { SweepRecord } from './record.js';

/** The target a point runs on: its `target` parameter, else the sweep's, else the config's default. */
export function pointTarget(sweep: SweepDefinition, config: SimConfig, point: PlannedPoint): string {
  const t = point.params['target'] ?? sweep.target ?? config.defaultTarget;
  if (t === undefined)
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `sweep "${sweep.name}": the point has no target parameter and the config no defaultTarget`,
    );
  return String(t);
}

function checkMetrics(m: unknown, sweep: string): SweepMetrics {
  if (m === null || typeof m !== 'object' || Array.isArray(m))
    throw new EspError(ESP_ERR_INVALID_STATE, `sweep "${sweep}": run must return an object of metrics`);
  for (const [k, v] of Object.entries(m)) {
    if (!(
      v === null ||
      typeof v === 'string' ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v))
    )) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `sweep "${sweep}": metric "${k}" is ${typeof v === 'number' ? v : typeof v}; metrics are finite numbers, strings, booleans or null`,
      );
    }
  }
  return m as SweepMetrics;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs one point on a fresh simulation seeded with the point's seed and returns its result. Whatever the run
 * throws becomes the result's error: a sweep goes on past a failing point.
 */
export async function runPoint(config: SimConfig, sweep: SweepDefinition, point: PlannedPoint): Promise<SweepRecord> {
  const t0 = performance.now();
  let sim: Simulation | undefined;
  let metrics: SweepMetrics | null = null;
  let error: string | undefined;
  try {
    const target = pointTarget(sweep, config, point);
    sim = assembleSimulation(findTarget(config, target), { seed: point.seed });
    metrics = checkMetrics(await sweep.run(sim, point.params, { seed: point.seed, target, config }), sweep.name);
  } catch (e) {
    error = message(e);
    metrics = null;
  }
  if (sim) {
    try {
      await sim.dispose();
    } catch (e) {
      error ??= `dispose: ${message(e)}`;
    }
  }
  const record: SweepRecord = {
    sweep: sweep.name,
    index: point.index,
    params: point.params,
    seed: point.seed,
    metrics,
    simulatedPs: sim ? sim.now : null,
    wallMs: performance.now() - t0,
    faults: (sim?.faults ?? []).map((f) => ({ time: f.time, source: f.source, message: f.error.message })),
  };
  if (error !== undefined) record.error = error;
  return record;
}
