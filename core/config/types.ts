import type { Simulation } from '../simulation.js';
import type { TargetDefinition } from '../target/target.js';

// The config's and the sweeps' types, in one module: each refers to the other (a sweep's context carries its
// config, a config lists its sweeps), while the schemas that check them live in config.ts and sweep.ts.

/** What a scenario gets besides the simulation. */
export interface ScenarioContext {
  /** The target the scenario runs on. */
  readonly target: string;
  /** Adds a line to the run's timeline, stamped with the current simulated time. */
  log(message: string): void;
  /** When the scenario runs as a point of a sweep (`soc-fabric sweep SCENARIO --param k=v1,v2`): the point. */
  readonly params?: SweepPointParams;
  /** When the scenario runs as a point of a sweep: records a metric of the point's result line. */
  metric?(name: string, value: number | string | boolean | null): void;
}

/**
 * An experiment `soc-fabric run` can run. `setup` spawns tasks and wires events; the runner then runs the
 * simulation (to idle, or to `--until`); `report` prints results from the final state.
 */
export interface Scenario {
  name: string;
  description: string;
  /** The target it runs on when none is given (default: the config's defaultTarget). */
  target?: string;
  /** Targets it can run on (default: any). */
  targets?: string[];
  /** Runs with the data cache coherency model (createSimulation's `cache`), whatever the command line says. */
  cache?: boolean;
  /** Spawns tasks and wires events before the run. */
  setup(sim: Simulation, ctx: ScenarioContext): void | Promise<void>;
  /** Prints results from the final state, after the run. */
  report?(sim: Simulation, ctx: ScenarioContext): void | Promise<void>;
}

/** A configuration (`sim.config.ts`): targets, scenarios and the defaults `soc-fabric run` uses. */
export interface SimConfig {
  targets: TargetDefinition[];
  scenarios?: Scenario[];
  /** Design-space experiments `soc-fabric sweep NAME` runs (defineSweep). */
  sweeps?: SweepDefinition[];
  /** The target createSimulation and `run` use when none is named. */
  defaultTarget?: string;
  /** The scenario `npm start` / `soc-fabric run` runs when none is named. */
  defaultScenario?: string;
}

/** A value a sweep parameter takes: what survives a JSON round trip and a command line unchanged. */
export type SweepValue = string | number | boolean;

/** One point of a sweep: a value for each parameter. */
export type SweepPointParams = Readonly<Record<string, SweepValue>>;

/** The metrics a point's run returns: a flat JSON object (numbers, strings, booleans, null). */
export type SweepMetrics = Record<string, number | string | boolean | null>;

/** What a point's run gets besides the simulation and the point. */
export interface SweepPointContext {
  /** The point's seed (the simulation's too), derived from the sweep's seed and the point's parameters. */
  readonly seed: number;
  /** The target the simulation was made of. */
  readonly target: string;
  /** The config the sweep came from. */
  readonly config: SimConfig;
}

/** Which parameter and metric `soc-fabric sweep-report --svg` draws. */
export interface SweepAxes {
  /** A numeric parameter along x. */
  x: string;
  /** A metric along y. */
  y: string;
  /** Parameters whose combinations make one series each (default: every parameter but x and `seed`). */
  series?: string[];
  logX?: boolean;
  logY?: boolean;
}

/**
 * A design-space experiment: the cartesian product of `params` (optionally filtered), each point run by `run` on a
 * fresh simulation seeded from the sweep's seed and the point. A parameter named `target` picks the point's target.
 */
export interface SweepDefinition<P extends SweepPointParams = SweepPointParams> {
  name: string;
  description?: string;
  /** Values of each parameter; points are their cartesian product, the first parameter varying slowest. */
  params: { readonly [K in keyof P]: readonly P[K][] };
  /** Keeps only the points it returns true for. */
  filter?(point: P, ctx: { readonly config: SimConfig }): boolean;
  /** The sweep's seed, from which each point's seed derives (an unsigned 32-bit integer, default 1). */
  seed?: number;
  /** The target of points that have no `target` parameter (default: the config's defaultTarget). */
  target?: string;
  /** Runs one point and returns its metrics; the simulation is disposed afterwards. A throw is the point's error. */
  run(sim: Simulation, point: P, ctx: SweepPointContext): SweepMetrics | Promise<SweepMetrics>;
  /** What the report's chart draws. */
  axes?: SweepAxes;
}
