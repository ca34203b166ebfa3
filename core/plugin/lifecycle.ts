import { defineContributionPoint } from './tokens.js';
import type { SimEvent } from '../bus/event-bus.js';

/**
 * Contributed by plugins that must act when the simulation is assembled (subscribe to the bus, create their
 * hardware eagerly) or torn down. `start` runs once, in plugin order, at the end of createSimulation;
 * `dispose` in reverse order from `sim.dispose()`.
 */
export interface LifecycleContribution {
  start?(): void;
  dispose?(): void | Promise<void>;
}
export const Lifecycle = defineContributionPoint<LifecycleContribution>('Lifecycle');

/** Contributed by trace writers: every bus event, in time order; `close` at dispose. */
export interface TraceSink {
  onEvent(event: SimEvent): void;
  close?(): void | Promise<void>;
}
export const TraceSinks = defineContributionPoint<TraceSink>('TraceSink');
