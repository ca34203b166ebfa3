/** How bad a finding is: `error` is wrong behaviour on silicon, `warning` a likely mistake or a cost, `info` a note. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One diagnosis: which rule fired, at what simulated instant, on which objects, what happened, what to change,
 * and the ESP-IDF / Zephyr documentation or public issue it corresponds to.
 */
export interface Finding {
  /** Rule id, dotted by area: 'dma.trigger-conflict', 'etm.never-enabled', ... */
  readonly rule: string;
  readonly severity: Severity;
  /** Simulated instant, in picoseconds. */
  readonly time: number;
  /** The objects involved, as the user would name them: 'gdma pair 0 RX', 'etm ch3', 'SPI2'. */
  readonly objects: readonly string[];
  /** What happened, with the numbers. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
  /** Documentation or issues: 'esp-idf#10575', 'esp-idf components/esp_hw_support/dma/gdma.c', URLs. */
  readonly refs: readonly string[];
}

/** What a checker or a model reports; the service stamps the time. */
export type FindingReport = Omit<Finding, 'time'>;

/** One line for a terminal: `error  dma.trigger-conflict  1.2us  gdma pair 0 RX: message (fix: ...)`. */
export function formatFinding(f: Finding, formatTime: (ps: number) => string): string {
  const objs = f.objects.length ? `${f.objects.join(', ')}: ` : '';
  const refs = f.refs.length ? ` [${f.refs.join('; ')}]` : '';
  return `${f.severity.padEnd(7)} ${f.rule} at ${formatTime(f.time)}: ${objs}${f.message}\n        fix: ${f.fix}${refs}`;
}
