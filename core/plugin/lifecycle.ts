import { defineContributionPoint } from './tokens.js';
import type { SimEvent } from '../bus/event-bus.js';

/**
 * Contributed by plugins that must act when the simulation is assembled (subscribe to the bus, create their
 * hardware eagerly) or torn down. `start` runs once, in plugin order, at the end of createSimulation;
 * `dispose` in reverse order from `sim.dispose()`.
 */
export interface LifecycleContribution {
  /** Runs once, in plugin order, at the end of createSimulation; a throw fails it naming the plugin. */
  start?(): void;
  /** Runs at `sim.dispose()`, in reverse plugin order. */
  dispose?(): void | Promise<void>;
}
/** The contribution point of plugins that act at simulation start and dispose. */
export const Lifecycle = defineContributionPoint<LifecycleContribution>('Lifecycle');

/** Contributed by trace writers: every bus event, in time order; `close` at dispose. */
export interface TraceSink {
  /** Every bus event, in time order. */
  onEvent(event: SimEvent): void;
  /** Runs at `sim.dispose()`. */
  close?(): void | Promise<void>;
}
/** The contribution point of trace writers. */
export const TraceSinks = defineContributionPoint<TraceSink>('TraceSink');
