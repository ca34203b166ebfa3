import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVcd, valuesOf } from '../core/trace/vcd-reader.js';
import { runCli } from '../cli/program.js';

type TraceEvent = Record<string, unknown> & {
  ph: string;
  name: string;
  ts?: number;
  dur?: number;
  tid?: number;
  args?: Record<string, unknown>;
};

async function run(...argv: string[]): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  expect(code, err.join('\n')).to.equal(0);
  return out;
}

describe('run --vcd / --trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trace-'));
  const vcdFile = join(dir, 'chain.vcd');
  const traceFile = join(dir, 'chain.json');
  const copiesTrace = join(dir, 'copies.json');
  let toggleAt = 0;

  before(async () => {
    // the default scenario: timer alarm -> ETM -> GDMA M2M 4096 B; RX EOF -> ETM -> GPIO5 toggle
    await run('run', '--vcd', vcdFile, '--trace', traceFile, '--quiet');
    await run('run', '--scenario', 'async-memcpy-eof-event', '--trace', copiesTrace, '--quiet');
  });

  it('the VCD shows the GPIO toggle, the DMA channel states and bytes pending, and the ETM firings', () => {
    const vcd = parseVcd(readFileSync(vcdFile, 'utf8'));
    expect(vcd.timescale).to.equal('1ps');
    const LATENCY = 50_000; // ETM: 2 cycles of 40 MHz on esp32c6
    const alarms = valuesOf(vcd, 'gptimer.timer0_alarms');
    expect(alarms).to.have.length(2);
    const alarm = alarms[1]![0];
    expect(alarm).to.equal(100_000_000); // the scenario arms the alarm at 100 us
    const tx = valuesOf(vcd, 'gdma.pair0.tx_state');
    expect(tx.map(([, v]) => v)).to.deep.equal([0, 1, 0]); // idle, running, idle
    expect(tx[1]![0]).to.equal(alarm + LATENCY);
    const eof = tx[2]![0];
    // the RX list ends with the EOF descriptor: the RX channel shows idle from the EOF on
    expect(valuesOf(vcd, 'gdma.pair0.rx_state')).to.deep.equal([
      [0, 0],
      [alarm + LATENCY, 1],
      [eof, 0],
    ]);
    const pending = valuesOf(vcd, 'gdma.pair0.bytes_pending');
    expect(pending[1]).to.deep.equal([alarm + LATENCY, 4096]);
    expect(pending.at(-1)).to.deep.equal([eof, 0]);
    expect(valuesOf(vcd, 'gpio.gpio5')).to.deep.equal([
      [0, 0],
      [eof + LATENCY, 1],
    ]);
    expect(valuesOf(vcd, 'etm.ch0_fires')).to.deep.equal([
      [0, 0],
      [alarm + LATENCY, 1],
    ]);
    expect(valuesOf(vcd, 'etm.ch2_fires')).to.deep.equal([
      [0, 0],
      [eof + LATENCY, 1],
    ]);
    toggleAt = eof + LATENCY;
    expect(vcd.end, 'the VCD runs to the end of the run (200 us), not to its last change').to.equal(200_000_000);
  });

  it("the VCD survives GTKWave's vcd2fst and fst2vcd", function () {
    if (spawnSync('vcd2fst', ['--help']).error) {
      if (process.env['CI']) throw new Error('vcd2fst is missing: .ci/run should have installed gtkwave');
      this.skip();
    }
    execFileSync('vcd2fst', [vcdFile, join(dir, 'chain.fst')], { stdio: 'pipe' });
    const back = parseVcd(
      execFileSync('fst2vcd', [join(dir, 'chain.fst')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    const vcd = parseVcd(readFileSync(vcdFile, 'utf8'));
    for (const name of vcd.vars.keys()) expect(valuesOf(back, name), name).to.deep.equal(valuesOf(vcd, name));
    expect(valuesOf(back, 'gpio.gpio5')).to.deep.equal([
      [0, 0],
      [toggleAt, 1],
    ]);
  });

  it('the trace has a track per channel, a slice per transfer, and an arrow from each ETM event to its task', () => {
    const json = JSON.parse(readFileSync(traceFile, 'utf8')) as { traceEvents: TraceEvent[] };
    const ev = json.traceEvents;
    const tracks = new Map(
      ev.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, (e.args as { name: string }).name]),
    );
    for (const t of ['gdma pair0 tx', 'gdma pair0 rx', 'etm ch0', 'etm ch2', 'gpio', 'gptimer0'])
      expect([...tracks.values()]).to.include(t);
    const transfers = ev.filter(
      (e) => e.ph === 'X' && tracks.get(e.tid) === 'gdma pair0 tx' && e.name.startsWith('transfer'),
    );
    expect(transfers).to.have.length(1);
    expect(transfers[0]!.ts).to.equal(100.05); // alarm at 100 us + one ETM latency
    expect(transfers[0]!.dur).to.be.greaterThan(0);
    const outs = ev.filter((e) => e['flow_out'] === true);
    const ins = ev.filter((e) => e['flow_in'] === true);
    expect(outs).to.have.length(3);
    expect(ins.map((e) => e['bind_id']).sort()).to.deep.equal(outs.map((e) => e['bind_id']).sort());
    const eofFlow = outs.find((e) => e.name === 'GDMA_EVT_IN_SUC_EOF_CH0')!;
    const toggle = ins.find((e) => e['bind_id'] === eofFlow['bind_id'])!;
    expect(toggle.name).to.equal('GPIO_TASK_CH0_TOGGLE');
    expect(eofFlow.ts).to.be.closeTo(transfers[0]!.ts! + transfers[0]!.dur!, 1e-9); // raised at the transfer's end
    expect(toggle.ts! - eofFlow.ts!).to.be.closeTo(0.05, 1e-9); // one ETM latency later
  });

  it('the trace counts the async memcpy queue depth and has a slice per copy', () => {
    const ev = (JSON.parse(readFileSync(copiesTrace, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
    const depth = ev.filter((e) => e.ph === 'C' && e.name === 'async memcpy queue depth');
    expect(depth.length).to.be.greaterThan(19);
    expect(Math.max(...depth.map((e) => (e.args as { value: number }).value))).to.be.greaterThan(0);
    expect((depth.at(-1)!.args as { value: number }).value).to.equal(0);
    const copies = ev.filter((e) => e.ph === 'X' && e.name === 'copy 1024 B');
    expect(copies).to.have.length(19);
    // what a slice's begin says (the copy's addresses) stays with the slice
    for (const c of copies) expect(c.args).to.have.all.keys('dst', 'src');
  });
});
