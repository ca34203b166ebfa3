import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/program.js';
import { parseVcd, valuesOf, type ParsedVcd } from '../core/trace/vcd-reader.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAVE_FILE = join(root, 'docs', 'default-scenario.gtkw');

/** The traces a GTKWave save file lists: `scope.name` and the bit range GTKWave gives vectors (`[31:0]`). */
export function gtkwSignals(text: string): { name: string; width: number }[] {
  const out: { name: string; width: number }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // [section] settings, *zoom/markers, @flags, -comment traces
    if (line === '' || /^[[*@-]/.test(line)) continue;
    const m = /^(.*?)(?:\[(\d+):(\d+)\])?$/.exec(line)!;
    out.push({ name: m[1]!, width: m[2] === undefined ? 1 : Number(m[2]) - Number(m[3]) + 1 });
  }
  return out;
}

describe('docs/default-scenario.gtkw (the GTKWave picture in the README)', () => {
  let vcd: ParsedVcd;
  let signals: { name: string; width: number }[];

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtkw-'));
    try {
      const err: string[] = [];
      const code = await runCli(['run', '--quiet', '--vcd', join(dir, 'default.vcd')], {
        out: () => undefined,
        err: (l) => err.push(l),
      });
      expect(code, err.join('\n')).to.equal(0);
      vcd = parseVcd(readFileSync(join(dir, 'default.vcd'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    signals = gtkwSignals(readFileSync(SAVE_FILE, 'utf8'));
  });

  it('reads signal lines and bit ranges, and skips settings, flags and comments', () => {
    expect(
      gtkwSignals('[size] 1 2\n*-2.0 -1\n@28\n-a comment\ngpio.gpio5\n@24\ngdma.pair0.tx_state[1:0]\n'),
    ).to.deep.equal([
      { name: 'gpio.gpio5', width: 1 },
      { name: 'gdma.pair0.tx_state', width: 2 },
    ]);
  });

  it("names only signals that the default scenario's VCD has, with their widths", () => {
    expect(signals.length).to.be.greaterThan(0);
    for (const s of signals) {
      const v = vcd.vars.get(s.name);
      expect(v, `${s.name} is not in the VCD`).to.not.equal(undefined);
      expect(v!.width, s.name).to.equal(s.width);
    }
  });

  it('shows the chain: the toggled pin, the GDMA pair, the ETM channels and the timer alarm, each changing in the run', () => {
    const names = signals.map((s) => s.name);
    for (const n of [
      'gpio.gpio5',
      'gdma.pair0.tx_state',
      'gdma.pair0.rx_state',
      'gdma.pair0.bytes_pending',
      'gptimer.timer0_alarms',
    ]) {
      expect(names, n).to.include(n);
    }
    expect(names.filter((n) => /^etm\.ch\d+_fires$/.test(n))).to.have.length.greaterThan(0);
    for (const n of names)
      expect(valuesOf(vcd, n).length, `${n} never changes in the default scenario`).to.be.greaterThan(1);
  });
});
