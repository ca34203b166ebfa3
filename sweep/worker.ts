/**
 * The worker-thread side of a sweep (a piscina task module): loads the same config as the main thread (once per
 * worker), resolves the same sweep, and runs the points it is sent.
 */
import 'reflect-metadata';
import type { SimConfig } from '../core/config/config.js';
import type { SweepDefinition } from '../core/config/sweep.js';
import { loadConfigFile } from '../core/config/load-config.js';
import { loadDefaultConfig } from '../create-simulation.js';
import type { MessagePort } from 'node:worker_threads';
import type { PlannedPoint } from './points.js';
import type { SweepRecord } from './record.js';
import { resolveSweep, type SweepRequest } from './resolve.js';
import { runPoint } from './run-point.js';

/** What the main thread sends for each point. */
export interface PointTask {
  /** The config file; undefined for the package's own sim.config.ts. */
  configPath?: string;
  request: SweepRequest;
  point: PlannedPoint;
  /** Told (one message) when the point begins, after the config is loaded: a --timeout's clock starts then. */
  started?: MessagePort;
}

let loaded: { id: string; config: SimConfig; sweep: SweepDefinition } | undefined;

async function sweepFor(task: PointTask): Promise<{ config: SimConfig; sweep: SweepDefinition }> {
  const id = JSON.stringify([task.configPath ?? null, task.request]);
  if (loaded?.id !== id) {
    const config = task.configPath === undefined ? await loadDefaultConfig() : await loadConfigFile(task.configPath);
    loaded = { id, config, sweep: await resolveSweep(config, task.request) };
  }
  return loaded;
}

export default async function runTask(task: PointTask): Promise<SweepRecord> {
  const { config, sweep } = await sweepFor(task);
  task.started?.postMessage(0);
  task.started?.close();
  return runPoint(config, sweep, task.point);
}
