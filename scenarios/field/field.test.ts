import { expect } from 'chai';
import { runScenario } from '../../cli/run-scenario.js';
import config from '../../sim.config.js';
import { fieldScenarioList } from './index.js';

/** Runs a field scenario with every checker on: its timeline messages and the rules of its findings. */
async function run(name: string): Promise<{ lines: string[]; rules: string[]; errors: number }> {
  const r = await runScenario(config, { scenario: name, checks: true });
  expect(r.faults).to.deep.equal([]);
  return {
    lines: r.timeline.map((l) => l.message),
    rules: r.findings.map((f) => f.rule),
    errors: r.findings.filter((f) => f.severity === 'error').length,
  };
}

describe('field scenarios (scenarios/field): each failure gives wrong bytes or timing and its finding; the fix runs clean', () => {
  it('every field scenario names its public thread and comes with a -fixed twin in sim.config.ts', () => {
    const names = (config.scenarios ?? []).map((s) => s.name);
    for (const s of fieldScenarioList) {
      expect(names).to.include(s.name);
      expect(s.description).to.match(/[\w-]+\/[\w.-]+#\d+/);
      if (!s.name.endsWith('-fixed')) expect(names).to.include(`${s.name}-fixed`);
    }
  });

  it("esp-idf#10575: async memcpy first takes SPI2's trigger 0 and SPI2 returns wrong bytes; SPI first loops the bytes back clean", async () => {
    const broken = await run('field-async-memcpy-before-spi');
    expect(broken.rules).to.deep.equal([
      'dma.m2m-takes-peripheral-id',
      'dma.m2m-takes-peripheral-id',
      'dma.trigger-conflict',
      'dma.trigger-conflict',
      'dma.start-unconnected',
      'dma.start-unconnected',
    ]);
    expect(broken.lines).to.include('app: SPI2 loopback returned wrong bytes');
    const fixed = await run('field-async-memcpy-before-spi-fixed');
    expect(fixed.rules).to.deep.equal([]);
    expect(fixed.lines).to.include('app: SPI2 loopback returned the bytes sent');
  });

  it('esp-hal#3251: the DMA stops at a descriptor the CPU owns and half the stream is missing; handed over in time, all arrives', async () => {
    const broken = await run('field-descriptor-owner-cpu');
    expect(broken.rules).to.deep.equal(['dma.descriptor-error']);
    expect(broken.lines).to.include('app: 1024 of 2048 bytes arrived; RX EOF never raised (the stream hangs)');
    const fixed = await run('field-descriptor-owner-cpu-fixed');
    expect(fixed.rules).to.deep.equal([]);
    expect(fixed.lines).to.include('app: 2048 of 2048 bytes arrived; RX EOF raised');
  });

  it("esp-hal#1365: a task given the event's ID never stops the timer; the driver's task handle stops it at 10", async () => {
    const broken = await run('field-etm-task-id');
    expect(broken.rules).to.deep.equal(['etm.unknown-id']);
    expect(broken.lines.at(-1)).to.include('counter at 100us is 100 (alarm at 10: still counting)');
    const fixed = await run('field-etm-task-id-fixed');
    expect(fixed.rules).to.deep.equal([]);
    expect(fixed.lines.at(-1)).to.include('counter at 100us is 10 (alarm at 10: stopped by the ETM)');
  });

  it('esp-idf#11269: SPI frames in PSRAM are bounced (a warning with its cycles) and take longer than from internal DMA memory', async () => {
    const perTransaction = (lines: string[]): number => {
      const m = /: ([\d.]+)us per spi_device_transmit/.exec(lines.join('\n'));
      return Number(m![1]);
    };
    const broken = await run('field-spi-psram-bounce');
    expect(broken.rules).to.deep.equal(['spi.bounce-buffer']);
    expect(broken.errors).to.equal(0);
    const fixed = await run('field-spi-psram-bounce-fixed');
    expect(fixed.rules).to.deep.equal([]);
    expect(perTransaction(broken.lines)).to.be.greaterThan(perTransaction(fixed.lines));
  });

  it("zephyr#115726: dma_stop leaves block A's EOF latched and dma_start of B reports B complete before it moved; dma_config before the start is clean", async () => {
    const broken = await run('field-zephyr-stale-interrupt');
    expect(broken.rules).to.deep.equal(['dma.stale-interrupt', 'dma.stale-interrupt']);
    expect(broken.lines).to.include(
      'app: block B reported complete 0ps after dma_start; 0 of 2048 bytes of B in place',
    );
    const fixed = await run('field-zephyr-stale-interrupt-fixed');
    expect(fixed.rules).to.deep.equal([]);
    expect(fixed.lines.join('\n')).to.match(
      /app: block B reported complete [\d.]+us after dma_start; 2048 of 2048 bytes of B in place/,
    );
  });
});
