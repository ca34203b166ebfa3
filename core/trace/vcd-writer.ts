/** One VCD variable. `scope` is the path of nested modules ('gpio', 'dma/ch0', ...). */
export interface VcdVariable {
  scope: string;
  name: string;
  /** Bits (1 for a wire); ignored for reals. */
  width: number;
  type?: 'wire' | 'reg' | 'integer' | 'real' | 'event';
}

export interface VcdSignal {
  readonly id: string;
  /** Position in declaration order. */
  readonly index: number;
  readonly variable: VcdVariable;
}

/** The VCD identifier code of the n-th variable: base-94 over printable ASCII '!'..'~'. */
function idCode(n: number): string {
  let s = '';
  do {
    s += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94);
  } while (n > 0);
  return s;
}

function escapeName(name: string): string {
  return name.replace(/\s+/g, '_');
}

/**
 * A streaming IEEE 1364 VCD writer, timescale 1 ps. Declare every variable first, then `begin()` writes the
 * header and initial values; value changes follow in non-decreasing time order and go straight to `out`.
 * A change to the value a signal already has writes nothing.
 */
export class VcdWriter {
  private readonly signals: VcdSignal[] = [];
  private readonly last: (string | undefined)[] = [];
  private started = false;
  private time = -1;

  constructor(
    private readonly out: (text: string) => void,
    private readonly opts: { version?: string; date?: string } = {},
  ) {}

  declare(variable: VcdVariable): VcdSignal {
    if (this.started)
      throw new Error(`VCD variable ${variable.scope}.${variable.name} declared after the header was written`);
    if (!Number.isInteger(variable.width) || variable.width < 1)
      throw new Error(`VCD variable ${variable.name}: width must be a positive integer`);
    const s: VcdSignal = { id: idCode(this.signals.length), index: this.signals.length, variable };
    this.signals.push(s);
    this.last.push(undefined);
    return s;
  }

  /** Writes the header, the scopes and an initial value for every variable (x, or `initial`). */
  begin(initial: (s: VcdSignal) => number | undefined = () => undefined): void {
    if (this.started) return;
    this.started = true;
    const lines: string[] = [];
    if (this.opts.date) lines.push(`$date ${this.opts.date} $end`);
    lines.push(`$version ${this.opts.version ?? 'soc-fabric'} $end`, '$timescale 1ps $end');
    // group by scope path, nesting a/b as a then b
    const byScope = new Map<string, VcdSignal[]>();
    for (const s of this.signals) {
      const list = byScope.get(s.variable.scope) ?? [];
      list.push(s);
      byScope.set(s.variable.scope, list);
    }
    let open: string[] = [];
    for (const scope of [...byScope.keys()].sort()) {
      const path = scope.split('/').filter(Boolean).map(escapeName);
      let common = 0;
      while (common < open.length && common < path.length && open[common] === path[common]) common++;
      for (let i = open.length; i > common; i--) lines.push('$upscope $end');
      for (let i = common; i < path.length; i++) lines.push(`$scope module ${path[i]} $end`);
      open = path;
      for (const s of byScope.get(scope)!) {
        const v = s.variable;
        const type = v.type ?? (v.width === 1 ? 'wire' : 'reg');
        const width = type === 'real' ? 64 : v.width;
        lines.push(`$var ${type} ${width} ${s.id} ${escapeName(v.name)} $end`);
      }
    }
    for (let i = open.length; i > 0; i--) lines.push('$upscope $end');
    lines.push('$enddefinitions $end', '#0', '$dumpvars');
    for (const s of this.signals) {
      const v = initial(s);
      const text = this.format(s, v);
      this.last[s.index] = text;
      lines.push(text);
    }
    lines.push('$end');
    this.time = 0;
    this.out(`${lines.join('\n')}\n`);
  }

  /** Sets `signal` to `value` (undefined: x) at `timePs`. */
  change(signal: VcdSignal, timePs: number, value: number | undefined): void {
    if (!this.started) throw new Error('VCD change before begin()');
    if (timePs < this.time) throw new Error(`VCD time went backwards: ${timePs} after ${this.time}`);
    const i = signal.index;
    const text = this.format(signal, value);
    if (this.last[i] === text) return;
    this.last[i] = text;
    if (timePs !== this.time) {
      this.time = timePs;
      this.out(`#${timePs}\n${text}\n`);
    } else {
      this.out(`${text}\n`);
    }
  }

  /**
   * Marks the end of the run: a last time stamp when it is later than the last change, so viewers show the
   * whole run rather than stopping at the last value change.
   */
  end(timePs: number): void {
    if (!this.started || timePs <= this.time) return;
    this.time = timePs;
    this.out(`#${timePs}\n`);
  }

  private format(s: VcdSignal, value: number | undefined): string {
    const v = s.variable;
    if (v.type === 'real') return `r${value === undefined ? 'nan' : value} ${s.id}`;
    if (v.type === 'event') return `${value ? '1' : '0'}${s.id}`;
    if (v.width === 1) return `${value === undefined ? 'x' : value ? '1' : '0'}${s.id}`;
    if (value === undefined) return `bx ${s.id}`;
    if (!Number.isInteger(value) || value < 0) throw new Error(`VCD ${v.name}: ${value} is not a non-negative integer`);
    return `b${value.toString(2)} ${s.id}`;
  }
}
