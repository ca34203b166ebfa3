import type { SimEvent } from '../../core/bus/event-bus.js';
import { findScenario } from '../../core/config/config.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../../core/errors.js';
import { assembleSimulation, type Simulation } from '../../core/simulation.js';
import { us } from '../../core/time.js';
import { traceRecording } from '../../core/trace/trace-recording.js';
import { Etm } from '../../plugins/etm/index.js';
import { applyExperiment, ExperimentError, type Applied } from './apply.js';
import type { Experiment } from './experiment.js';
import { experimentTarget, SCENARIOS } from './targets.js';

/** One bus event as the page logs it: `data` as JSON text. */
export interface LoggedEvent {
  time: number;
  source: string;
  type: string;
  data: string;
}

/** An ETM table row of the target: hardware ID and name. */
export interface EtmTableRow {
  id: number;
  name: string;
}

export interface RunResult {
  target: string;
  events: LoggedEvent[];
  /** Lines a built-in scenario logged (scenario mode). */
  timeline: { time: number; message: string }[];
  faults: { time: number; source: string; message: string }[];
  endPs: number;
  eventsRun: number;
  vcd: string;
  trace: string;
  applied: Applied | undefined;
}

/** Events kept in the page's log at most (a long run would otherwise grow without bound). */
export const MAX_LOGGED_EVENTS = 200_000;

/** JSON of an event's data; typed arrays and other objects JSON cannot take are shown by their kind and size. */
export function eventDataText(data: unknown): string {
  if (data === undefined) return '';
  return (
    JSON.stringify(data, (_k, v: unknown) =>
      ArrayBuffer.isView(v) ? `<${v.constructor.name} ${v.byteLength} B>` : typeof v === 'bigint' ? String(v) : v,
    ) ?? ''
  );
}

export function logEvent(e: SimEvent): LoggedEvent {
  return { time: e.time, source: e.source, type: e.type, data: eventDataText(e.data) };
}

/** Builds the experiment's simulation and sets it up (no run): refusals throw ExperimentError. */
export async function setUpExperiment(
  x: Experiment,
  extra: { vcd?: (t: string) => void; trace?: (t: string) => void } = {},
): Promise<{
  sim: Simulation;
  applied: Applied | undefined;
  timeline: RunResult['timeline'];
  events: LoggedEvent[];
  report?: () => Promise<void>;
}> {
  if (x.untilUs === null && x.scenario === undefined) {
    throw new ExperimentError(
      'untilUs',
      new EspError(
        ESP_ERR_INVALID_ARG,
        'run for: give a simulated time (only a built-in scenario runs until idle: a composed experiment may never get there)',
      ),
    );
  }
  const def = (() => {
    try {
      return experimentTarget(x);
    } catch (e) {
      throw new ExperimentError('target', e);
    }
  })();
  const tracing = extra.vcd !== undefined || extra.trace !== undefined;
  const target = tracing
    ? { ...def, plugins: [...def.plugins, traceRecording({ vcd: extra.vcd, trace: extra.trace })] }
    : def;
  let sim: Simulation;
  try {
    sim = assembleSimulation(target, { seed: x.seed });
  } catch (e) {
    throw new ExperimentError('target', e);
  }
  const events: LoggedEvent[] = [];
  sim.bus.listen((e) => {
    if (events.length < MAX_LOGGED_EVENTS) events.push(logEvent(e));
  });
  const timeline: RunResult['timeline'] = [];
  try {
    if (x.scenario !== undefined) {
      const scenario = (() => {
        try {
          return findScenario({ targets: [], scenarios: [...SCENARIOS] }, x.scenario!);
        } catch (e) {
          throw new ExperimentError('scenario', e);
        }
      })();
      if (scenario.targets && !scenario.targets.includes(def.name)) {
        throw new ExperimentError(
          'scenario',
          new EspError(
            ESP_ERR_INVALID_ARG,
            `scenario "${scenario.name}" runs on ${scenario.targets.join(', ')}, not on "${def.name}"`,
          ),
        );
      }
      const ctx = {
        target: def.name,
        log: (message: string) => {
          timeline.push({ time: sim.now, message });
        },
      };
      try {
        await scenario.setup(sim, ctx);
      } catch (e) {
        throw new ExperimentError('scenario', e);
      }
      // what `soc-fabric run` prints after the run (e.g. dma-vs-cpu-copy's table)
      const report =
        scenario.report &&
        (async () => {
          await scenario.report!(sim, ctx);
        });
      return { sim, applied: undefined, timeline, events, report };
    }
    return { sim, applied: applyExperiment(sim, x), timeline, events };
  } catch (e) {
    await sim.dispose();
    throw e;
  }
}

/** Runs an experiment to its `untilUs`, recording every bus event, the VCD and the Perfetto trace. */
export async function runExperiment(x: Experiment, opts: { trace?: boolean } = {}): Promise<RunResult> {
  const vcd: string[] = [];
  const trace: string[] = [];
  const recording = opts.trace ?? true;
  const { sim, applied, timeline, events, report } = await setUpExperiment(
    x,
    recording ? { vcd: (t) => vcd.push(t), trace: (t) => trace.push(t) } : {},
  );
  await sim.run({ until: x.untilUs === null ? undefined : us(x.untilUs) });
  const endPs = sim.now;
  const eventsRun = sim.eventsRun;
  await report?.();
  await sim.dispose();
  return {
    target: sim.target.name,
    events,
    timeline,
    endPs,
    eventsRun,
    applied,
    faults: sim.faults.map((f) => ({ time: f.time, source: f.source, message: f.error.message })),
    vcd: vcd.join(''),
    trace: trace.join(''),
  };
}

/** The target's ETM tables (every event and task ID some plugin offers), empty where it has no ETM. */
export function etmTables(sim: Simulation, maxId = 511): { events: EtmTableRow[]; tasks: EtmTableRow[] } {
  if (!sim.has(Etm)) return { events: [], tasks: [] };
  const etm = sim.get(Etm);
  const events: EtmTableRow[] = [];
  const tasks: EtmTableRow[] = [];
  for (let id = 1; id <= maxId; id++) {
    const e = etm.eventName(id);
    if (e !== undefined) events.push({ id, name: e });
    const t = etm.taskName(id);
    if (t !== undefined) tasks.push({ id, name: t });
  }
  return { events, tasks };
}
