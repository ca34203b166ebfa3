import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import type { Simulation } from '../../core/simulation.js';
import { type EspError, ESP_ERR_INVALID_ARG } from '../../core/errors.js';
import { AsyncMemcpy } from './index.js';
import { Spi } from '../spi/index.js';

function refused(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
    return;
  }
  expect.fail('expected ESP_ERR_INVALID_ARG');
}

describe('diagnostics: alignment and capability explained', () => {
  let sim: Simulation;
  afterEach(() => sim.dispose());

  it('a PSRAM destination not aligned to dma_burst_size 64 on the ESP32-S3 names the rule with the numbers; aligned is clean', async () => {
    sim = await createSimulation({ target: 'esp32s3', checks: ['dma.align', 'dma.unreachable'] });
    const drv = sim.get(AsyncMemcpy).install({ dmaBurstSize: 64 });
    const src = sim.memory.alloc(256, { caps: ['dma', 'internal'], align: 64 });
    const dst = sim.memory.alloc(512, { caps: ['spiram'], align: 64 });
    const p = drv.memcpy(dst, src, 128);
    await sim.run();
    await p;
    expect(sim.diagnostics).to.deep.equal([]);
    refused(() => drv.memcpy(dst + 16, src, 128));
    expect(sim.diagnostics.map((f) => f.rule)).to.deep.equal(['dma.align']);
    const m = sim.diagnostics[0]!.message;
    expect(m).to.include(`dst 0x${(dst + 16).toString(16)} % 64 = 16 != 0: PSRAM destination with dma_burst_size 64`);
    expect(sim.diagnostics[0]!.fix).to.include('dma_burst_size 0');
  });

  it('an unaligned size in internal SRAM with burst on AHB GDMA v1 (ESP32-C3) says 4-byte rule; burst 0 is clean', async () => {
    sim = await createSimulation({ target: 'esp32c3', checks: ['dma.align'] });
    const src = sim.memory.alloc(64, { caps: ['dma'] });
    const dst = sim.memory.alloc(64, { caps: ['dma'] });
    refused(() => sim.get(AsyncMemcpy).install().memcpy(dst, src, 30));
    expect(sim.diagnostics[0]!.message).to.include(
      'n 30 % 4 = 2 != 0: internal destination with dma_burst_size 16 on AHB GDMA v1',
    );
    const p = sim.get(AsyncMemcpy).install({ dmaBurstSize: 0 }).memcpy(dst, src, 30);
    await sim.run();
    await p;
    expect(sim.diagnostics).to.have.length(1);
  });

  it('a buffer the CP DMA cannot reach (ESP32-S2 PSRAM) is dma.unreachable naming the region; SRAM is clean', async () => {
    sim = await createSimulation({ target: 'esp32s2', checks: ['dma.align', 'dma.unreachable'] });
    const drv = sim.get(AsyncMemcpy).install();
    const src = sim.memory.alloc(64, { caps: ['dma'] });
    const ext = sim.memory.alloc(64, { caps: ['spiram'] });
    const dst = sim.memory.alloc(64, { caps: ['dma'] });
    const p = drv.memcpy(dst, src, 64);
    await sim.run();
    await p;
    expect(sim.diagnostics).to.deep.equal([]);
    refused(() => drv.memcpy(ext, src, 64));
    expect(sim.diagnostics.map((f) => [f.rule, f.severity])).to.deep.equal([['dma.unreachable', 'error']]);
    expect(sim.diagnostics[0]!.message).to.match(/destination 0x[0-9a-f]+ is in psram/);
  });

  it('an SPI buffer in PSRAM is bounced: a warning with the CPU cycles it costs, once per device; internal DMA buffers are clean', async () => {
    sim = await createSimulation({ target: 'esp32s3', checks: ['spi'] });
    const dev = sim.get(Spi).busInitialize('SPI2', {}).addDevice({ clockSpeedHz: 10_000_000 });
    const good = sim.memory.alloc(256, { caps: ['dma'] });
    const ext = sim.memory.alloc(256, { caps: ['spiram'] });
    sim.spawn('t', async () => {
      await dev.transmit({ tx: good, length: 256 });
      await dev.transmit({ tx: ext, length: 256 });
      await dev.transmit({ tx: ext, length: 256 });
    });
    await sim.run();
    expect(sim.diagnostics.map((f) => [f.rule, f.severity])).to.deep.equal([['spi.bounce-buffer', 'warning']]);
    const m = sim.diagnostics[0]!.message;
    expect(m).to.match(/256-byte transaction bounced: tx buffer 0x[0-9a-f]+ in \S+ \(psram\)/);
    const cycles = Number(/: (\d+) CPU cycles/.exec(m)![1]);
    expect(cycles).to.be.greaterThan(0);
  });

  it('a burst size the GDMA cannot set is dma.burst-size with the numbers; a size it sets installs clean', async () => {
    sim = await createSimulation({ target: 'esp32s3', checks: ['dma.burst-size'] });
    const mcp = sim.get(AsyncMemcpy);
    refused(() => mcp.install({ dmaBurstSize: 128 }));
    refused(() => mcp.install({ dmaBurstSize: 48 }));
    expect(sim.diagnostics.map((f) => f.rule)).to.deep.equal(['dma.burst-size', 'dma.burst-size']);
    expect(sim.diagnostics[0]!.message).to.include(
      'on esp32s3 (dma_burst_size 128): dma_burst_size 128 is not one this GDMA sets (0 or 16, 32, 64',
    );
    expect(sim.diagnostics[1]!.message).to.include('dma_burst_size must be 0 or a power of two, got 48');
    mcp.install({ dmaBurstSize: 32 }).uninstall();
    expect(sim.diagnostics).to.have.length(2);
  });

  it('an SPI DMA transaction longer than max_transfer_sz is dma.descriptor-limit with the descriptor count; within it, clean', async () => {
    sim = await createSimulation({ target: 'esp32c3', checks: ['spi.descriptor-limit'] });
    const dev = sim.get(Spi).busInitialize('SPI2', { maxTransferSize: 5000 }).addDevice({ clockSpeedHz: 10_000_000 });
    const buf = sim.memory.alloc(9000, { caps: ['dma'] });
    await sim.run({ until: 0 });
    const ok = dev.transmit({ tx: buf, length: 8184 }); // 2 descriptors of 4092: within what 5000 allocated
    await sim.run();
    await ok;
    expect(sim.diagnostics).to.deep.equal([]);
    refused(() => void dev.transmit({ tx: buf, length: 9000 }));
    expect(sim.diagnostics.map((f) => [f.rule, f.objects[0]])).to.deep.equal([['spi.descriptor-limit', 'SPI2']]);
    expect(sim.diagnostics[0]!.message).to.include(
      'length 9000 > 8184, the bytes of the 2 DMA descriptors (4092 bytes each)',
    );
    expect(sim.diagnostics[0]!.fix).to.include('at least 9000');
  });
});
