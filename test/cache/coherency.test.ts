import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import type { Simulation } from '../../core/simulation.js';
import { Core } from '../../core/tokens.js';
import {
  ESP_CACHE_MSYNC_FLAG_DIR_C2M,
  ESP_CACHE_MSYNC_FLAG_DIR_M2C,
  ESP_CACHE_MSYNC_FLAG_UNALIGNED,
} from '../../core/memory/cache/msync.js';
import { ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import { expectEsp, pattern } from '../helpers/sim.js';
import { dmaCopy } from './dma-copy.js';

const N = 256;

async function sim(cache: boolean): Promise<Simulation> {
  return createSimulation({ target: 'esp32s3', checks: true, cache });
}

/** Runs `body` as the app task and the simulation to the end. */
async function run(s: Simulation, body: () => Promise<void>): Promise<void> {
  const t = s.spawn('app', body);
  await s.run();
  await t.done;
  expect(s.faults).to.deep.equal([]);
}

const rules = (s: Simulation): string[] => s.diagnostics.map((f) => f.rule);

describe('data cache coherency model (createSimulation({ cache: true }), core/memory/cache)', () => {
  describe('cache.dirty-before-dma: a CPU write not written back before a DMA reads it', () => {
    it('the DMA moves the old PSRAM bytes, and the finding names the dirty lines and the msync that fixes it', async () => {
      const s = await sim(true);
      const src = s.memory.alloc(N, { caps: ['spiram'], align: 32 });
      const dst = s.memory.alloc(N, { caps: ['dma', 'internal'] });
      const data = pattern(N, 3);
      await run(s, async () => {
        s.memory.write(src, data); // lands in the data cache, dirty
        await dmaCopy(s, dst, src, N);
      });
      expect([...s.memory.read(dst, N)]).to.deep.equal(new Array<number>(N).fill(0)); // PSRAM still held zeros
      expect([...s.memory.read(src, N)]).to.deep.equal([...data]); // the CPU sees its own writes
      expect(rules(s)).to.deep.equal(['cache.dirty-before-dma']);
      const f = s.diagnostics[0]!;
      expect(f.message).to.include(`${N} byte(s) in ${N / 32} cache line(s)`);
      expect(f.fix).to.include(`esp_cache_msync(0x${src.toString(16)}, ${N}, ESP_CACHE_MSYNC_FLAG_DIR_C2M)`);
      expect(f.refs.join(' ')).to.include('esp_cache.h');
    });

    it('written back first (msync C2M), the DMA moves the new bytes and nothing is reported', async () => {
      const s = await sim(true);
      const src = s.memory.alloc(N, { caps: ['spiram'], align: 32 });
      const dst = s.memory.alloc(N, { caps: ['dma', 'internal'] });
      const data = pattern(N, 3);
      await run(s, async () => {
        s.memory.write(src, data);
        s.get(Core.Cache).msync(src, N, ESP_CACHE_MSYNC_FLAG_DIR_C2M);
        await dmaCopy(s, dst, src, N);
      });
      expect([...s.memory.read(dst, N)]).to.deep.equal([...data]);
      expect(rules(s)).to.deep.equal([]);
    });

    it('with the model off (the default), the same code moves the new bytes and nothing is reported', async () => {
      const s = await sim(false);
      const src = s.memory.alloc(N, { caps: ['spiram'], align: 32 });
      const dst = s.memory.alloc(N, { caps: ['dma', 'internal'] });
      const data = pattern(N, 3);
      await run(s, async () => {
        s.memory.write(src, data);
        await dmaCopy(s, dst, src, N);
      });
      expect([...s.memory.read(dst, N)]).to.deep.equal([...data]);
      expect(rules(s)).to.deep.equal([]);
    });
  });

  describe('cache.stale-after-dma: a CPU read of memory a DMA wrote, without an invalidate', () => {
    it('a line cached before the DMA wrote under it reads stale; lines never cached read fresh', async () => {
      const s = await sim(true);
      const src = s.memory.alloc(N, { caps: ['dma', 'internal'] });
      const dst = s.memory.alloc(N, { caps: ['spiram'], align: 32 });
      const data = pattern(N, 5);
      s.memory.write(src, data);
      let seen: Uint8Array = new Uint8Array(0);
      await run(s, async () => {
        s.memory.read(dst, 32); // the app peeks at the first line: now cached (zeros)
        await dmaCopy(s, dst, src, N);
        seen = s.memory.read(dst, N);
      });
      expect([...seen.subarray(0, 32)]).to.deep.equal(new Array<number>(32).fill(0));
      expect([...seen.subarray(32)]).to.deep.equal([...data.subarray(32)]);
      expect(rules(s)).to.deep.equal(['cache.stale-after-dma']);
      expect(s.diagnostics[0]!.message).to.include(`1 cache line(s) (first 0x${dst.toString(16)})`);
      expect(s.diagnostics[0]!.fix).to.include('ESP_CACHE_MSYNC_FLAG_DIR_M2C');
    });

    it('invalidated after the DMA (msync M2C), the CPU reads what the DMA wrote and nothing is reported', async () => {
      const s = await sim(true);
      const src = s.memory.alloc(N, { caps: ['dma', 'internal'] });
      const dst = s.memory.alloc(N, { caps: ['spiram'], align: 32 });
      const data = pattern(N, 5);
      s.memory.write(src, data);
      let seen: Uint8Array = new Uint8Array(0);
      await run(s, async () => {
        s.memory.read(dst, 32);
        await dmaCopy(s, dst, src, N);
        s.get(Core.Cache).msync(dst, N, ESP_CACHE_MSYNC_FLAG_DIR_M2C);
        seen = s.memory.read(dst, N);
      });
      expect([...seen]).to.deep.equal([...data]);
      expect(rules(s)).to.deep.equal([]);
    });
  });

  describe('cache.invalidate-drops-dirty: an invalidate of a line shared with dirty data', () => {
    it("an M2C over a line holding a neighbour's unwritten bytes drops them", async () => {
      const s = await sim(true);
      const line = s.memory.alloc(64, { caps: ['spiram'], align: 32 });
      const neighbour = line; // 8 bytes of another variable at the start of the line
      const buf = line + 8; // a 24-byte DMA buffer sharing the line
      s.memory.write(neighbour, new Uint8Array(8).fill(0x77));
      s.get(Core.Cache).msync(line, 32, ESP_CACHE_MSYNC_FLAG_DIR_M2C); // the buffer rounded out to its line
      expect([...s.memory.read(neighbour, 8)]).to.deep.equal(new Array<number>(8).fill(0)); // the write is gone
      expect(rules(s)).to.deep.equal(['cache.invalidate-drops-dirty']);
      expect(s.diagnostics[0]!.message).to.include(`8 dirty byte(s) (first at 0x${neighbour.toString(16)})`);
      expect(buf % 32).to.equal(8);
    });

    it('an M2C over lines the CPU has not written (a line-aligned buffer of its own) drops nothing and reports nothing', async () => {
      const s = await sim(true);
      const buf = s.memory.alloc(64, { caps: ['spiram'], align: 32 });
      const other = s.memory.alloc(32, { caps: ['spiram'], align: 32 });
      s.memory.write(other, new Uint8Array(32).fill(0x77));
      s.memory.read(buf, 64);
      s.get(Core.Cache).msync(buf, 64, ESP_CACHE_MSYNC_FLAG_DIR_M2C);
      expect([...s.memory.read(other, 32)]).to.deep.equal(new Array<number>(32).fill(0x77));
      expect(rules(s)).to.deep.equal([]);
    });

    it('written back first (C2M), the neighbour survives the invalidate', async () => {
      const s = await sim(true);
      const line = s.memory.alloc(32, { caps: ['spiram'], align: 32 });
      s.memory.write(line, new Uint8Array(8).fill(0x77));
      s.get(Core.Cache).msync(line, 8, ESP_CACHE_MSYNC_FLAG_DIR_C2M | ESP_CACHE_MSYNC_FLAG_UNALIGNED);
      s.get(Core.Cache).msync(line, 32, ESP_CACHE_MSYNC_FLAG_DIR_M2C);
      expect([...s.memory.read(line, 8)]).to.deep.equal(new Array<number>(8).fill(0x77));
      expect(rules(s)).to.deep.equal([]);
    });
  });

  it('a target without a data cache in front of external memory refuses cache: true (ESP_ERR_NOT_SUPPORTED)', async () => {
    let err: unknown;
    try {
      await createSimulation({ target: 'esp32c3', cache: true });
    } catch (e) {
      err = e;
    }
    expectEsp(
      () => {
        throw err;
      },
      ESP_ERR_NOT_SUPPORTED,
      /esp32c3" has no data cache/,
    );
  });

  it('checks: ["cache"] selects the cache rules', async () => {
    const s = await createSimulation({ target: 'esp32s3', checks: ['cache'], cache: true });
    const src = s.memory.alloc(32, { caps: ['spiram'], align: 32 });
    const dst = s.memory.alloc(32, { caps: ['dma', 'internal'] });
    await run(s, async () => {
      s.memory.write(src, new Uint8Array(32).fill(1));
      await dmaCopy(s, dst, src, 32);
    });
    expect(rules(s)).to.deep.equal(['cache.dirty-before-dma']);
  });
});
