import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import type { Simulation } from '../../core/simulation.js';
import { AsyncMemcpy } from '../../plugins/async-memcpy/index.js';
import { pattern } from '../helpers/sim.js';

async function s3(): Promise<Simulation> {
  return createSimulation({ target: 'esp32s3', checks: ['cache'], cache: true });
}

async function run(s: Simulation, body: () => Promise<void>): Promise<void> {
  const t = s.spawn('app', body);
  await s.run();
  await t.done;
  expect(s.faults).to.deep.equal([]);
}

describe('esp_async_memcpy with the data cache model: the driver syncs cached buffers as esp_async_memcpy_gdma.c does', () => {
  it('a PSRAM source the CPU just wrote (dirty) is written back before the copy: the new bytes arrive, no finding', async () => {
    const s = await s3();
    const src = s.memory.alloc(4096, { caps: ['spiram'], align: 32 });
    const dst = s.memory.alloc(4096, { caps: ['dma', 'internal'] });
    const data = pattern(4096, 11);
    await run(s, async () => {
      s.memory.write(src, data);
      await s.get(AsyncMemcpy).install().memcpy(dst, src, 4096);
    });
    expect([...s.memory.read(dst, 4096)]).to.deep.equal([...data]);
    expect(s.diagnostics.map((f) => f.rule)).to.deep.equal([]);
  });

  it("a PSRAM destination off the line (16 of 32): head and tail go through stash lines, the neighbours' dirty bytes and the CPU's cached lines stay right", async () => {
    const s = await s3();
    const n = 512;
    const block = s.memory.alloc(n + 64, { caps: ['spiram'], align: 32 });
    const dst = block + 16; // shares its first and last lines with 16 bytes of other data each
    const src = s.memory.alloc(n, { caps: ['dma', 'internal'] });
    const data = pattern(n, 12);
    s.memory.write(src, data);
    const before = new Uint8Array(16).fill(0x5a);
    const after = new Uint8Array(16).fill(0xa5);
    let seen: Uint8Array = new Uint8Array(0);
    await run(s, async () => {
      s.memory.read(dst, n); // the app looked at the buffer before: its lines are cached
      s.memory.write(block, before); // neighbours written, not written back (dirty)
      s.memory.write(dst + n, after);
      await s.get(AsyncMemcpy).install().memcpy(dst, src, n);
      seen = s.memory.read(block, n + 32);
    });
    expect([...seen.subarray(16, 16 + n)]).to.deep.equal([...data]);
    expect([...seen.subarray(0, 16)]).to.deep.equal([...before]);
    expect([...seen.subarray(16 + n, 32 + n)]).to.deep.equal([...after]);
    expect(s.diagnostics.map((f) => f.rule)).to.deep.equal([]);
  });

  it('PSRAM to PSRAM, both unaligned to the line: every byte arrives and nothing is reported', async () => {
    const s = await s3();
    const n = 4096 + 48;
    const src = s.memory.alloc(n + 64, { caps: ['spiram'], align: 32 }) + 16;
    const dst = s.memory.alloc(n + 64, { caps: ['spiram'], align: 32 }) + 16;
    const data = pattern(n, 13);
    await run(s, async () => {
      s.memory.write(src, data);
      s.memory.read(dst, n);
      await s.get(AsyncMemcpy).install().memcpy(dst, src, n);
    });
    expect([...s.memory.read(dst, n)]).to.deep.equal([...data]);
    expect(s.diagnostics.map((f) => f.rule)).to.deep.equal([]);
  });
});
