import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../cli/run-scenario.js';
import config from '../../sim.config.js';
import { cli, repoRoot } from '../../test/helpers/cli.js';
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

  it("soc-fabric scenarios lists every field scenario with its thread, and README.md's field table has a row for each", async () => {
    const r = await cli('scenarios');
    expect(r.code).to.equal(0);
    const listed = r.out.join('\n');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('### Field scenarios'),
      readme.indexOf('\n## ', readme.indexOf('### Field scenarios')),
    );
    for (const s of fieldScenarioList) {
      expect(listed).to.match(new RegExp(`^${s.name}\\s`, 'm'));
      if (s.name.endsWith('-fixed')) continue;
      const thread = /^([\w-]+\/[\w.-]+#\d+)/.exec(s.description!)![1]!;
      const row = section.split('\n').find((l) => l.startsWith(`| \`${s.name}\` |`));
      expect(row, `README.md "Field scenarios" has no row for ${s.name}`).to.be.a('string');
      expect(row).to.include(thread);
    }
  });

  // every case, whoever adds it: the broken twin reports the rules its summary names (the parenthesis that ends
  // it) and the corrected twin runs clean; the case's own test below checks its wrong bytes or timing
  for (const s of fieldScenarioList.filter((x) => !x.name.endsWith('-fixed'))) {
    it(`${s.name}: the rules its summary names fire; ${s.name}-fixed reports nothing`, async () => {
      const named = /\(([\w.-]+(?:, [\w.-]+)*)\)$/.exec(s.description!);
      expect(named, `${s.name}: the summary should end with the rule ids in parentheses`).to.not.equal(null);
      const broken = await run(s.name);
      for (const rule of named![1]!.split(', ')) expect(broken.rules).to.include(rule);
      expect(broken.lines.length, `${s.name} logs its symptom`).to.be.greaterThan(0);
      const fixed = await run(`${s.name}-fixed`);
      expect(fixed.rules).to.deep.equal([]);
      expect(fixed.lines.length).to.be.greaterThan(0);
    });
  }

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

  it('zephyr#82819: a 6000-byte block in one descriptor keeps 1904 (12 bits) and the copy completes 4096 bytes short; split at 4092, all arrive', async () => {
    const broken = await run('field-descriptor-too-long');
    expect(broken.rules).to.deep.equal(['dma.descriptor-too-long', 'dma.descriptor-too-long']); // TX and RX
    expect(broken.lines).to.include('app: 1904 of 6000 bytes copied; RX EOF raised');
    const fixed = await run('field-descriptor-too-long-fixed');
    expect(fixed.rules).to.deep.equal([]);
    expect(fixed.lines).to.include('app: 6000 of 6000 bytes copied; RX EOF raised');
  });

  it('esp-hal#5623: a chunk appended by rewriting the running list is lost (the DMA had read it); appended in a new transfer, it arrives', async () => {
    const broken = await run('field-descriptor-append-running');
    expect(broken.rules).to.deep.equal(['dma.descriptor-modified']);
    expect(broken.lines).to.include('app: 2048 of 3072 bytes copied; 1 RX EOF');
    const fixed = await run('field-descriptor-append-running-fixed');
    expect(fixed.rules).to.deep.equal([]);
    expect(fixed.lines).to.include('app: 3072 of 3072 bytes copied; 2 RX EOF');
  });

  it('esp-hal#674: a GDMA TX descriptor pointing into DROM is refused and MOSI sends 0x00; copied to SRAM first, the table goes out', async () => {
    const broken = await run('field-dma-from-flash');
    expect(broken.rules).to.deep.equal(['dma.descriptor-error']);
    expect(broken.lines).to.deep.equal([
      'spi: MOSI sent 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 (0 of 16 bytes from the DMA: not the table)',
    ]);
    const r = await runScenario(config, { scenario: 'field-dma-from-flash', checks: true });
    expect(r.findings[0]!.message).to.include('buffer 0x3c004000 is in drom, which this DMA cannot read');
    const fixed = await run('field-dma-from-flash-fixed');
    expect(fixed.rules).to.deep.equal([]);
    expect(fixed.lines).to.deep.equal([
      'spi: MOSI sent a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af (16 of 16 bytes from the DMA: the table)',
    ]);
  });

  it('T-Display-P4#13: polls from a PSRAM task stack are bounced every time and take longer; persistent internal buffers are not', async () => {
    const parse = (lines: string[]): { us: number; bounced: number } => {
      const m = /: ([\d.]+)us per spi_device_transmit, (\d+) bounced/.exec(lines.join('\n'))!;
      return { us: Number(m[1]), bounced: Number(m[2]) };
    };
    const broken = await run('field-spi-psram-stack');
    expect(broken.rules).to.deep.equal(['spi.bounce-buffer']);
    expect(broken.errors).to.equal(0);
    const fixed = await run('field-spi-psram-stack-fixed');
    expect(fixed.rules).to.deep.equal([]);
    const b = parse(broken.lines);
    const f = parse(fixed.lines);
    expect(b.bounced).to.equal(20); // every one of the 20 polls
    expect(f.bounced).to.equal(0);
    expect(b.us).to.be.greaterThan(f.us);
  });

  it('esp-bsp#491: a flush from a PSRAM draw buffer takes a 32 KiB copy out of internal RAM while it runs; from internal memory it takes none', async () => {
    const taken = (lines: string[]): [number, number, number, number] => {
      const m =
        /block (\d+) bytes before the flush, (\d+) during it \((\d+) bytes taken by the SPI driver\), (\d+) after/.exec(
          lines.join('\n'),
        )!;
      return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    };
    const broken = await run('field-lcd-psram-draw-buffer');
    expect(broken.rules).to.deep.equal(['spi.bounce-buffer']);
    const [before, during, bytes, after] = taken(broken.lines);
    expect(bytes).to.equal(32_768); // the thread's heap trace: 32768 bytes from setup_priv_desc
    expect(before - during).to.equal(bytes);
    expect(after).to.equal(before); // freed when the transaction is done
    const fixed = await run('field-lcd-psram-draw-buffer-fixed');
    expect(fixed.rules).to.deep.equal([]);
    expect(taken(fixed.lines)[2]).to.equal(0);
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
