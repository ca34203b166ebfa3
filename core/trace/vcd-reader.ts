/** A small VCD reader (tests and tools read the writer's output back): variables by scope path and each one's value changes. */
export interface ParsedVcd {
  timescale: string;
  vars: Map<string, { id: string; width: number; type: string }>;
  /** scope.path.name -> [time, value] in file order (value: '0','1','x', 'b101', 'r1.5' text). */
  changes: Map<string, [number, string][]>;
  /** The last time stamp in the file (the end of the run when the writer marks it). */
  end: number;
}

export function parseVcd(text: string): ParsedVcd {
  const tokens = text.split(/\s+/).filter(Boolean);
  const vars = new Map<string, { id: string; width: number; type: string }>();
  const byId = new Map<string, string[]>();
  const changes = new Map<string, [number, string][]>();
  const scope: string[] = [];
  let timescale = '';
  let time = 0;
  let i = 0;
  const until = (end: string): string[] => {
    const out: string[] = [];
    while (tokens[i] !== end) out.push(tokens[i++]!);
    i++;
    return out;
  };
  while (i < tokens.length) {
    const t = tokens[i++]!;
    if (t === '$timescale') timescale = until('$end').join('');
    else if (t === '$scope') {
      const [, name] = until('$end');
      scope.push(name!);
    } else if (t === '$upscope') {
      until('$end');
      scope.pop();
    } else if (t === '$var') {
      const [type, width, id, name] = until('$end');
      const full = [...scope, name!].join('.');
      vars.set(full, { id: id!, width: Number(width), type: type! });
      byId.set(id!, [...(byId.get(id!) ?? []), full]);
      changes.set(full, []);
    } else if (t.startsWith('$')) {
      if (t !== '$dumpvars' && t !== '$end' && t !== '$dumpall' && t !== '$dumpon' && t !== '$dumpoff') until('$end');
    } else if (t.startsWith('#')) {
      time = Number(t.slice(1));
    } else {
      let value: string;
      let id: string;
      if (t[0] === 'b' || t[0] === 'B' || t[0] === 'r' || t[0] === 'R') {
        value = t.toLowerCase();
        id = tokens[i++]!;
      } else {
        value = t[0]!.toLowerCase();
        id = t.slice(1);
      }
      for (const name of byId.get(id) ?? []) changes.get(name)!.push([time, value]);
    }
  }
  return { timescale, vars, changes, end: time };
}

/** The value of a 1-bit or vector signal over time, with repeats dropped and vectors read as numbers. */
export function valuesOf(vcd: ParsedVcd, name: string): [number, number | string][] {
  const out: [number, number | string][] = [];
  for (const [t, v] of vcd.changes.get(name) ?? []) {
    const val: number | string =
      v[0] === 'b'
        ? /^b[01]+$/.test(v)
          ? parseInt(v.slice(1), 2)
          : /^bx+$/.test(v)
            ? 'bx'
            : v
        : v === '0' || v === '1'
          ? Number(v)
          : v;
    if (out.length && out[out.length - 1]![1] === val) continue;
    if (out.length && out[out.length - 1]![0] === t) out.pop();
    out.push([t, val]);
  }
  return out;
}
