/** A waveform signal read back from a VCD: its scope path, width and value changes in time order. */
export interface WaveSignal {
  /** 'gpio.gpio5', 'gdma.pair0.rx_state', ... (scopes joined by '.'). */
  name: string;
  width: number;
  /** Change times (ps), ascending; `values[i]` holds from `times[i]` to the next change. */
  times: number[];
  /** Values: a number, or NaN for x (unknown). */
  values: number[];
}

export interface Waveform {
  signals: WaveSignal[];
  endPs: number;
}

/**
 * Reads the VCD the kit's writer produced (core/trace/vcd-writer.ts) back into signals: the page draws
 * exactly what the downloadable VCD holds. Scalars 0/1/x, vectors b..., reals r...; a repeat of a value is dropped.
 */
export function parseVcd(text: string): Waveform {
  const byId = new Map<string, WaveSignal[]>();
  const signals: WaveSignal[] = [];
  const scope: string[] = [];
  let time = 0;
  let end = 0;
  const set = (id: string, v: number): void => {
    for (const s of byId.get(id) ?? []) {
      const n = s.times.length;
      const last = n ? s.values[n - 1]! : undefined;
      if (last !== undefined && (last === v || (Number.isNaN(last) && Number.isNaN(v)))) continue;
      if (n && s.times[n - 1] === time) {
        s.values[n - 1] = v;
        continue;
      }
      s.times.push(time);
      s.values.push(v);
    }
  };
  const lines = text.split('\n');
  let inHeader = true;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!.trim();
    if (line === '') continue;
    if (inHeader) {
      const words = line.split(/\s+/);
      if (words[0] === '$scope') scope.push(words[2]!);
      else if (words[0] === '$upscope') scope.pop();
      else if (words[0] === '$var') {
        const [, , width, id, name] = words;
        const s: WaveSignal = { name: [...scope, name!].join('.'), width: Number(width), times: [], values: [] };
        signals.push(s);
        byId.set(id!, [...(byId.get(id!) ?? []), s]);
      } else if (words[0] === '$enddefinitions') inHeader = false;
      continue;
    }
    const c = line[0];
    if (c === '#') {
      time = Number(line.slice(1));
      if (time > end) end = time;
      continue;
    }
    if (c === '$') continue;
    if (c === 'b' || c === 'B') {
      const sp = line.indexOf(' ');
      const bits = line.slice(1, sp);
      set(line.slice(sp + 1).trim(), /^[01]+$/.test(bits) ? parseInt(bits, 2) : NaN);
    } else if (c === 'r' || c === 'R') {
      const sp = line.indexOf(' ');
      set(line.slice(sp + 1).trim(), Number(line.slice(1, sp)));
    } else if (c === '0' || c === '1' || c === 'x' || c === 'X' || c === 'z' || c === 'Z') {
      set(line.slice(1), c === '0' ? 0 : c === '1' ? 1 : NaN);
    }
  }
  return { signals, endPs: end };
}

/** The value of `s` at `t` (ps): the last change at or before t; NaN (x) before the first. */
export function valueAt(s: WaveSignal, t: number): number {
  let lo = 0;
  let hi = s.times.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s.times[mid]! <= t) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at < 0 ? NaN : s.values[at]!;
}

/** The times (ps) at which a 1-bit signal changes level after its initial value. */
export function edges(s: WaveSignal): number[] {
  return s.times.slice(1);
}
