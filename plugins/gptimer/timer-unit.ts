import type { Kernel, ScheduledEvent } from '../../core/kernel/kernel.js';

/**
 * One timer of a timer group, as hardware: a counter that counts ticks of (source clock / prescale) while
 * enabled, an alarm comparator with its enable bit, auto-reload, and a capture register.
 *
 * The count is not stepped tick by tick: it is `refCount` ± the ticks elapsed since `refTime`, and the alarm
 * is one kernel event at the instant the count reaches the alarm value. Tick n after `refTime` falls at
 * `round(refTime + n * tickPs)`, and an auto-reload restarts from the alarm's exact tick, so a tick that is not
 * a whole number of picoseconds does not drift. (Software and ETM writes restart the tick phase at `now`.)
 */
export class TimerUnit {
  tickPs = 1;
  up = true;
  counting = false;
  alarmEnabled = false;
  autoReload = false;
  alarmCount = 0;
  reloadCount = 0;
  captured = 0;
  /** Instant (ps, possibly fractional: an alarm's exact tick) from which the count runs on from refCount. */
  private refTime = 0;
  private refCount = 0;
  private pending: ScheduledEvent | null = null;
  /** The exact (unrounded) instant of the pending alarm: auto-reload keeps the tick phase from it. */
  private pendingExact = 0;

  constructor(
    private readonly kernel: Kernel,
    readonly index: number,
    /** Called at the alarm instant, after the hardware disabled the alarm and (with auto-reload) reloaded. */
    private readonly onAlarm: (alarmValue: number) => void,
    private readonly source: string,
  ) {}

  /** The count now. */
  count(): number {
    if (!this.counting) return this.refCount;
    const n = this.ticksSince(this.kernel.now);
    return this.up ? this.refCount + n : this.refCount - n;
  }

  setCount(v: number): void {
    this.refCount = v;
    this.refTime = this.kernel.now;
    this.reschedule();
  }

  setCounting(on: boolean): void {
    if (on === this.counting) return;
    const c = this.count();
    this.counting = on;
    this.refCount = c;
    this.refTime = this.kernel.now;
    this.reschedule();
  }

  setAlarmEnabled(on: boolean): void {
    this.alarmEnabled = on;
    this.reschedule();
  }

  /** Counter := reload value (the RELOAD task; also what auto-reload does at an alarm). */
  reload(): void {
    this.setCount(this.reloadCount);
  }

  capture(): void {
    this.captured = this.count();
  }

  /** Alarm, reload value or auto-reload changed: re-arm. */
  configure(alarmCount: number, reloadCount: number, autoReload: boolean): void {
    this.alarmCount = alarmCount;
    this.reloadCount = reloadCount;
    this.autoReload = autoReload;
    this.reschedule();
  }

  /** Stops everything (timer deleted or simulation disposed). */
  halt(): void {
    this.counting = false;
    this.alarmEnabled = false;
    this.pending?.cancel();
    this.pending = null;
  }

  /**
   * Arms the one pending alarm event. A count already at or past the alarm value (in the counting direction)
   * alarms at once, as the hardware comparator does.
   */
  private reschedule(): void {
    this.pending?.cancel();
    this.pending = null;
    if (!this.counting || !this.alarmEnabled) return;
    const c = this.count();
    const distance = this.up ? this.alarmCount - c : c - this.alarmCount;
    let delay = 0;
    this.pendingExact = this.kernel.now;
    if (distance > 0) {
      const elapsed = this.ticksSince(this.kernel.now);
      this.pendingExact = this.refTime + (elapsed + distance) * this.tickPs;
      delay = Math.round(this.pendingExact) - this.kernel.now;
    }
    this.pending = this.kernel.schedule(delay, this.fire, this.source);
  }

  private readonly fire = (): void => {
    this.pending = null;
    if (!this.counting || !this.alarmEnabled) return;
    const alarmValue = this.alarmCount;
    this.alarmEnabled = false; // the hardware clears the alarm enable at an alarm
    if (this.autoReload) {
      this.refCount = this.reloadCount;
      this.refTime = this.pendingExact;
    }
    this.onAlarm(alarmValue);
  };

  /** Whole ticks between refTime and t. */
  private ticksSince(t: number): number {
    const r = this.refTime;
    if (t <= r) return 0;
    let n = Math.floor((t - r) / this.tickPs);
    while (Math.round(r + (n + 1) * this.tickPs) <= t) n++;
    while (n > 0 && Math.round(r + n * this.tickPs) > t) n--;
    return n;
  }
}
