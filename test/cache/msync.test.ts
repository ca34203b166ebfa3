import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import type { Simulation } from '../../core/simulation.js';
import {
  Cache,
  ESP_CACHE_MSYNC_FLAG_DIR_C2M as C2M,
  ESP_CACHE_MSYNC_FLAG_DIR_M2C as M2C,
  ESP_CACHE_MSYNC_FLAG_INVALIDATE as INVALIDATE,
  ESP_CACHE_MSYNC_FLAG_TYPE_DATA as DATA,
  ESP_CACHE_MSYNC_FLAG_TYPE_INST as INST,
  ESP_CACHE_MSYNC_FLAG_UNALIGNED as UNALIGNED,
} from '../../core/memory/cache/index.js';
import { ESP_ERR_INVALID_ARG, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import { extendTarget } from '../../core/target/target.js';
import { esp32s3 } from '../../targets/index.js';
import type { IdfVersion } from '../../core/idf.js';
import { expectEsp } from '../helpers/sim.js';

async function s3(opts: { cache?: boolean; idf?: IdfVersion } = {}): Promise<Simulation> {
  return createSimulation({ target: 'esp32s3', cache: opts.cache ?? true, checks: true, idf: opts.idf });
}

describe('esp_cache_msync (Cache / Core.Cache): the argument rules of esp_cache.c', () => {
  it('the flag values are esp_cache.h bits 0..5', () => {
    expect([INVALIDATE, UNALIGNED, C2M, M2C, DATA, INST]).to.deep.equal([1, 2, 4, 8, 16, 32]);
  });

  it('refuses each bad call with ESP_ERR_INVALID_ARG and a message naming the rule', async () => {
    const s = await s3();
    const c = s.get(Cache);
    const p = s.memory.alloc(64, { caps: ['spiram'], align: 32 });
    expectEsp(() => c.msync(0, 32, C2M), ESP_ERR_INVALID_ARG, /null pointer/);
    expectEsp(() => c.msync(0xffff_fff0, 32, C2M), ESP_ERR_INVALID_ARG, /total size overflow/);
    expectEsp(() => c.msync(p, 32, C2M | M2C), ESP_ERR_INVALID_ARG, /both C2M and M2C.*select one direction/);
    expectEsp(() => c.msync(p, 32, M2C | DATA | INST), ESP_ERR_INVALID_ARG, /both data and instruction/);
    expectEsp(() => c.msync(p + 4, 32, C2M), ESP_ERR_INVALID_ARG, /not aligned with the cache line size \(32 B\)/);
    expectEsp(() => c.msync(p, 20, M2C), ESP_ERR_INVALID_ARG, /size 20 is not aligned/);
    expectEsp(() => c.msync(p, 32, C2M | INST), ESP_ERR_INVALID_ARG, /C2M direction doesn't support instruction/);
    expectEsp(() => c.msync(p, 32, 0x40), ESP_ERR_INVALID_ARG, /flags must be ESP_CACHE_MSYNC_FLAG_/);
    expectEsp(() => c.msync(p, -1, C2M), ESP_ERR_INVALID_ARG, /size must be a non-negative integer/);
  });

  it('the line size is the target caps.cache.lineBytes: 64 on an S3 configured for 64-byte lines', async () => {
    const t = extendTarget(esp32s3, {
      name: 'esp32s3-line64',
      caps: { cache: { ...esp32s3.caps.cache!, lineBytes: 64 } },
    });
    const s = await createSimulation({ target: t, cache: true });
    const p = s.memory.alloc(128, { caps: ['spiram'], align: 64 });
    expectEsp(() => s.get(Cache).msync(p + 32, 32, C2M), ESP_ERR_INVALID_ARG, /cache line size \(64 B\)/);
    s.get(Cache).msync(p, 64, C2M);
    expect(s.get(Cache).getAlignment(['spiram'])).to.equal(64);
  });

  it('memory outside the cache: ESP_ERR_INVALID_ARG on the releases, ESP_ERR_NOT_SUPPORTED on master', async () => {
    const rel = await s3();
    const sram = rel.memory.alloc(32, { caps: ['internal'], align: 32 });
    expectEsp(() => rel.get(Cache).msync(sram, 32, C2M), ESP_ERR_INVALID_ARG, /not behind the data cache/);
    const master = await s3({ idf: 'master' });
    const sram2 = master.memory.alloc(32, { caps: ['internal'], align: 32 });
    expectEsp(() => master.get(Cache).msync(sram2, 32, C2M), ESP_ERR_NOT_SUPPORTED, /not in cacheable range/);
    const c3 = await createSimulation({ target: 'esp32c3' });
    const a = c3.memory.alloc(32);
    expectEsp(() => c3.get(Cache).msync(a, 32, C2M), ESP_ERR_INVALID_ARG, /no data cache in front of external memory/);
  });

  it('UNALIGNED: allowed with C2M; with M2C refused on master, allowed on the releases (whole lines invalidated)', async () => {
    const master = await s3({ idf: 'master' });
    const p = master.memory.alloc(64, { caps: ['spiram'], align: 32 });
    master.get(Cache).msync(p + 3, 7, C2M | UNALIGNED);
    expectEsp(
      () => master.get(Cache).msync(p + 8, 8, M2C | UNALIGNED),
      ESP_ERR_INVALID_ARG,
      /M2C direction doesn't allow/,
    );

    const rel = await s3();
    const q = rel.memory.alloc(64, { caps: ['spiram'], align: 32 });
    rel.memory.write(q, new Uint8Array([1, 2, 3, 4]));
    rel.get(Cache).msync(q + 8, 8, M2C | UNALIGNED); // the line from q is invalidated whole: q..q+3 are lost
    expect([...rel.memory.read(q, 4)]).to.deep.equal([0, 0, 0, 0]);
    expect(rel.diagnostics.map((f) => f.rule)).to.deep.equal(['cache.invalidate-drops-dirty']);
  });

  it('a refused call changes nothing: the dirty line stays dirty and is not invalidated', async () => {
    const s = await s3({ idf: 'master' });
    const p = s.memory.alloc(64, { caps: ['spiram'], align: 32 });
    s.memory.write(p, new Uint8Array([9, 9]));
    expectEsp(() => s.get(Cache).msync(p, 32, M2C | UNALIGNED), ESP_ERR_INVALID_ARG);
    expectEsp(() => s.get(Cache).msync(p, 16, M2C), ESP_ERR_INVALID_ARG);
    expect([...s.memory.read(p, 2)]).to.deep.equal([9, 9]);
    expect(s.diagnostics).to.deep.equal([]);
  });

  it('with the model off, msync checks the same arguments and the bytes stay coherent', async () => {
    const s = await s3({ cache: false });
    const c = s.get(Cache);
    expect(c.modelled).to.equal(false);
    const p = s.memory.alloc(64, { caps: ['spiram'], align: 32 });
    s.memory.write(p, new Uint8Array([5]));
    expectEsp(() => c.msync(p + 1, 32, C2M), ESP_ERR_INVALID_ARG, /not aligned/);
    c.msync(p, 32, M2C);
    expect(s.memory.read(p, 1)[0]).to.equal(5);
  });

  it('esp_cache_get_alignment and esp_cache_get_line_size_by_addr: the PSRAM line, 0 for uncached memory', async () => {
    const s = await s3();
    const c = s.get(Cache);
    expect(c.getAlignment(['spiram'])).to.equal(32);
    expect(c.getAlignment(['dma', 'internal'])).to.equal(0);
    expect(c.getLineSizeByAddr(s.memory.alloc(8, { caps: ['spiram'] }))).to.equal(32);
    expect(c.getLineSizeByAddr(s.memory.alloc(8, { caps: ['internal'] }))).to.equal(0);
    const p4 = await createSimulation({ target: 'esp32p4' });
    expect(p4.get(Cache).getAlignment(['spiram'])).to.equal(64);
  });
});
