import { defineContributionPoint } from '../plugin/tokens.js';
import type { FindingReport } from './finding.js';

/** A rule a checker may fire: its id, default severity and a one-line summary (`soc-fabric run --check` lists them). */
export interface RuleInfo {
  readonly id: string;
  readonly summary: string;
}

/** What a checker gets when checks are on. */
export interface CheckerContext {
  /** Files a finding at the current simulated instant (dropped when its rule is not selected). */
  report(finding: FindingReport): void;
  /** Whether `rule` is selected (a checker may skip costly work for rules nobody asked for). */
  selected(rule: string): boolean;
}

/**
 * A checker: a set of rules watching the bus and the models. Contributed by plugins to `Checkers`; resolved
 * and started only when the simulation was created with `checks`, so that with checks off a checker costs
 * nothing (its factory never runs, it subscribes to nothing).
 */
export interface Checker {
  /** Name used to select it (`checks: ['dma-trigger']`). */
  readonly name: string;
  readonly rules: readonly RuleInfo[];
  /** Subscribes to what it watches; returns its teardown (run at dispose). */
  start(ctx: CheckerContext): (() => void) | void;
  /** Runs at the end of every `sim.run()`: rules about the state at the end (a channel never enabled). */
  endOfRun?(ctx: CheckerContext): void;
}

/** The contribution point of checkers (multi-injection, as TraceModels). */
export const Checkers = defineContributionPoint<Checker>('Checker');
