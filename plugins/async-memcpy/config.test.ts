import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import type { Simulation } from '../../core/simulation.js';
import type { IdfVersion } from '../../core/idf.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import { AsyncMemcpy, type AsyncMemcpyConfig } from './index.js';

function code(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EspError);
    return (e as EspError).code;
  }
  return 0;
}

async function sim(target: string, idf: IdfVersion): Promise<Simulation> {
  return createSimulation({ target, idf });
}

/** How long a 4092-byte SRAM copy takes with `config` (ps). */
async function copyPs(target: string, idf: IdfVersion, config: AsyncMemcpyConfig): Promise<number> {
  const s = await sim(target, idf);
  const drv = s.get(AsyncMemcpy).install(config);
  const a = s.memory.alloc(4096, { caps: ['dma', 'internal'], align: 64 });
  const b = s.memory.alloc(4096, { caps: ['dma', 'internal'], align: 64 });
  let t = 0;
  s.spawn('copy', async () => {
    await drv.memcpy(b, a, 4092);
    t = s.now;
  });
  await s.run();
  await s.dispose();
  return t;
}

describe('async memcpy config generations (ESP-IDF v5.0-v5.2, v5.3-v5.5, master)', () => {
  it('v5.0-v5.2: { sramTransAlign, psramTransAlign }: 16/32/64 for PSRAM, powers of two for SRAM, no dmaBurstSize', async () => {
    const s = await sim('esp32s3', '5.1');
    const svc = s.get(AsyncMemcpy);
    expect(code(() => svc.install({ dmaBurstSize: 16 }))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => svc.install({ psramTransAlign: 8 }))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => svc.install({ sramTransAlign: 12 }))).to.equal(ESP_ERR_INVALID_ARG);
    const drv = svc.install({ backlog: 2, sramTransAlign: 32, psramTransAlign: 32 }); // the benchmark's config
    const a = s.memory.alloc(256, { caps: ['dma', 'internal'], align: 64 });
    const b = s.memory.alloc(256, { caps: ['dma', 'internal'], align: 64 });
    // SRAM destination: dst and n aligned to sram_trans_align, or "buffer not aligned"
    expect(() => drv.memcpy(b + 16, a, 64)).to.throw(EspError, /buffer not aligned/);
    expect(() => drv.memcpy(b, a, 48)).to.throw(EspError, /buffer not aligned/);
    const p = drv.memcpy(b, a, 64);
    await s.run();
    await p;
    await s.dispose();
  });

  it('v5.0-v5.2: psram_trans_align 0 falls back to the data cache line (32 B on the S3)', async () => {
    const s = await sim('esp32s3', '5.2');
    const drv = s.get(AsyncMemcpy).install({ sramTransAlign: 4 });
    const a = s.memory.alloc(256, { caps: ['dma', 'internal'], align: 64 });
    const p = s.memory.alloc(256, { caps: ['spiram'], align: 64 });
    expect(() => drv.memcpy(p + 16, a, 64)).to.throw(EspError, /buffer not aligned.*multiples of 32/);
    const ok = drv.memcpy(p + 32, a, 64);
    await s.run();
    await ok;
    await s.dispose();
  });

  it('v5.0-v5.2: sram_trans_align below 4 leaves the RX channel without burst (slower); 4 or more bursts', async () => {
    const slow = await copyPs('esp32c3', '5.1', {});
    const fast = await copyPs('esp32c3', '5.1', { sramTransAlign: 4 });
    const same = await copyPs('esp32c3', '5.5', {});
    expect(slow / fast).to.be.closeTo(1.25, 0.02); // noBurstFactor
    expect(fast).to.equal(same);
  });

  it("v5.3-v5.5: psramTransAlign is dmaBurstSize's union twin; sramTransAlign is deprecated and ignored", async () => {
    const s = await sim('esp32s3', '5.4');
    const svc = s.get(AsyncMemcpy);
    expect(code(() => svc.install({ psramTransAlign: 16, dmaBurstSize: 32 }))).to.equal(ESP_ERR_INVALID_ARG);
    const drv = svc.install({ psramTransAlign: 64, sramTransAlign: 128 });
    const a = s.memory.alloc(256, { caps: ['dma', 'internal'], align: 64 });
    const p = s.memory.alloc(256, { caps: ['spiram'], align: 64 });
    expect(() => drv.memcpy(p + 32, a, 64)).to.throw(EspError, /address\|size not aligned.*multiples of 64/);
    await s.dispose();
  });

  it('master: the v5.0-v5.2 fields are gone', async () => {
    const s = await sim('esp32s3', 'master');
    expect(code(() => s.get(AsyncMemcpy).install({ sramTransAlign: 4 }))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => s.get(AsyncMemcpy).install({ psramTransAlign: 16 }))).to.equal(ESP_ERR_INVALID_ARG);
    await s.dispose();
  });

  it('dma_burst_size per chip: the S3 takes 0/16/32/64 only; the C3 takes any power of two (it just enables burst)', async () => {
    for (const [target, burst, want] of [
      ['esp32s3', 8, ESP_ERR_INVALID_ARG],
      ['esp32s3', 128, ESP_ERR_INVALID_ARG],
      ['esp32s3', 32, 0],
      ['esp32s3', 0, 0],
      ['esp32c3', 8, 0],
      ['esp32c3', 128, 0],
      ['esp32c6', 2, 0],
      ['esp32c3', 12, ESP_ERR_INVALID_ARG],
    ] as const) {
      const s = await sim(target, '5.5');
      expect(
        code(() => s.get(AsyncMemcpy).install({ dmaBurstSize: burst })),
        `${target} ${burst}`,
      ).to.equal(want);
      await s.dispose();
    }
  });
});

describe('esp_memcpy_blocking (ESP-IDF master)', () => {
  it('copies and resolves when the callback wakes the caller; only timeout -1; refused from the callback ("ISR")', async () => {
    const s = await sim('esp32c3', 'master');
    const drv = s.get(AsyncMemcpy).install();
    const a = s.memory.alloc(512, { caps: ['dma', 'internal'] });
    const b = s.memory.alloc(512, { caps: ['dma', 'internal'] });
    s.memory.write(
      a,
      Uint8Array.from({ length: 512 }, (_, i) => i & 0xff),
    );
    expect(code(() => drv.memcpyBlocking(b, a, 512, 100))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => drv.memcpyBlocking(b, a, 0, -1))).to.equal(ESP_ERR_INVALID_ARG);
    let inIsr = -1;
    let done = -1;
    s.spawn('app', async () => {
      await drv.memcpy(b, a, 16, () => {
        inIsr = code(() => drv.memcpyBlocking(b, a, 16, -1));
      });
      await drv.memcpyBlocking(b, a, 512, -1);
      done = s.now;
    });
    await s.run();
    expect(inIsr).to.equal(ESP_ERR_INVALID_STATE);
    expect(done).to.be.greaterThan(0);
    expect(s.memory.read(b, 512)).to.deep.equal(s.memory.read(a, 512));
    await s.dispose();
  });

  it('does not exist before master: ESP_ERR_NOT_SUPPORTED on v5.5', async () => {
    const s = await sim('esp32c3', '5.5');
    const drv = s.get(AsyncMemcpy).install();
    const a = s.memory.alloc(64, { caps: ['dma', 'internal'] });
    expect(code(() => drv.memcpyBlocking(a, a, 64, -1))).to.equal(ESP_ERR_NOT_SUPPORTED);
    await s.dispose();
  });
});
