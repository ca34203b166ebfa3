import type { EventBus, EventSource } from '../bus/event-bus.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../errors.js';
import type { Checker, CheckerContext, RuleInfo } from './checker.js';
import type { Finding, FindingReport, Severity } from './finding.js';

/** The bus events of source 'diagnostics'. */
export type DiagnosticsEvents = { finding: Finding };

/** Which checks run: every rule, or the listed rule ids, dotted prefixes ('dma', 'etm.loop') or checker names. */
export type ChecksOption = boolean | readonly string[];

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/**
 * Collects findings: from checkers (started here) and from models reporting directly. Each finding is kept
 * (`findings`, in time order) and published on the bus as `diagnostics`/`finding`.
 */
export class DiagnosticsService {
  private readonly list: Finding[] = [];
  private readonly events: EventSource<DiagnosticsEvents>;
  private readonly selection: readonly string[] | undefined;
  private checkers: Checker[] = [];
  private readonly teardowns: (() => void)[] = [];
  private readonly ctx: CheckerContext;

  constructor(
    private readonly now: () => number,
    bus: EventBus,
    checks: ChecksOption,
  ) {
    this.events = bus.source<DiagnosticsEvents>('diagnostics');
    this.selection = checks === true ? undefined : [...(checks as readonly string[])];
    this.ctx = { report: (f) => this.report(f), selected: (r) => this.selected(r) };
  }

  /** Findings so far, in the order they were reported (time order). */
  get findings(): readonly Finding[] {
    return this.list;
  }

  /** Whether findings of `rule` are kept. */
  selected(rule: string): boolean {
    const sel = this.selection;
    if (sel === undefined) return true;
    for (const s of sel) {
      if (rule === s || rule.startsWith(s + '.')) return true;
      if (this.checkers.some((c) => c.name === s && c.rules.some((r) => r.id === rule))) return true;
    }
    return false;
  }

  /** Files a finding at the current instant (nothing when its rule is not selected). */
  report(f: FindingReport): void {
    if (!this.selected(f.rule)) return;
    if (!SEVERITIES.includes(f.severity))
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `diagnostics: severity must be error, warning or info, got ${String(f.severity)}`,
      );
    const finding: Finding = Object.freeze({
      rule: f.rule,
      severity: f.severity,
      time: this.now(),
      objects: Object.freeze([...f.objects]),
      message: f.message,
      fix: f.fix,
      refs: Object.freeze([...f.refs]),
    });
    this.list.push(finding);
    this.events.emit('finding', finding);
  }

  /** Every rule the checkers declare. */
  get rules(): readonly RuleInfo[] {
    return this.checkers.flatMap((c) => c.rules);
  }

  /**
   * @internal Starts the checkers a selection asks for. A selection naming no known rule, prefix or checker is
   * ESP_ERR_INVALID_ARG listing what exists (nothing is started then).
   */
  start(checkers: readonly Checker[]): void {
    this.checkers = [...checkers];
    if (this.selection !== undefined) {
      for (const s of this.selection) {
        const known = this.checkers.some(
          (c) => c.name === s || c.rules.some((r) => r.id === s || r.id.startsWith(s + '.')),
        );
        if (!known) {
          const ids = this.checkers.flatMap((c) => [c.name, ...c.rules.map((r) => r.id)]);
          throw new EspError(
            ESP_ERR_INVALID_ARG,
            `checks: "${s}" is no checker or rule of this target (has ${ids.join(', ') || 'none'})`,
          );
        }
      }
    }
    for (const c of this.checkers) {
      if (!c.rules.some((r) => this.selected(r.id))) continue;
      const t = c.start(this.ctx);
      if (t) this.teardowns.push(t);
    }
  }

  /** @internal Runs the checkers' end-of-run rules (after every `sim.run()`). */
  endOfRun(): void {
    for (const c of this.checkers) {
      if (c.endOfRun && c.rules.some((r) => this.selected(r.id))) c.endOfRun(this.ctx);
    }
  }

  /** @internal Stops the checkers. */
  dispose(): void {
    for (const t of this.teardowns.splice(0)) t();
  }
}
