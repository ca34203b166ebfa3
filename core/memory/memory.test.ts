import { expect } from 'chai';
import fc from 'fast-check';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_NO_MEM } from '../errors.js';
import { MemoryMap } from './memory.js';
import type { RegionDefinition } from './region.js';

const COST = { readPsPerByte: 1, writePsPerByte: 1 };
const MAP: RegionDefinition[] = [
  { name: 'rom', kind: 'rom', base: 0x4000_0000, size: 0x1000, dmaCapable: false },
  { name: 'sram', kind: 'sram', base: 0x3fc8_0000, size: 0x1000, dmaCapable: true },
  { name: 'slow', kind: 'sram', base: 0x5000_0000, size: 0x100, dmaCapable: false },
  { name: 'psram', kind: 'psram', base: 0x3d00_0000, size: 0x2000, dmaCapable: true },
  { name: 'flash', kind: 'flash', base: 0x4200_0000, size: 0x1000, dmaCapable: false },
  { name: 'periph', kind: 'peripheral', base: 0x6000_0000, size: 0x1000, dmaCapable: false },
];
const mem = (): MemoryMap => new MemoryMap(MAP, COST);

function espError(fn: () => unknown, code: number, match: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EspError);
    expect((e as EspError).code).to.equal(code);
    expect((e as EspError).message).to.match(match);
    return;
  }
  expect.fail('expected an EspError');
}

describe('MemoryMap', () => {
  it('lists its regions by base', () => {
    expect(mem().regions.map((r) => r.name)).to.deep.equal(['psram', 'sram', 'rom', 'flash', 'slow', 'periph']);
  });

  it('reads back what it wrote, and untouched memory reads as zeros', () => {
    const m = mem();
    m.write(0x3fc8_0010, Uint8Array.of(1, 2, 3));
    expect([...m.read(0x3fc8_000f, 5)]).to.deep.equal([0, 1, 2, 3, 0]);
    const copy = m.read(0x3fc8_0010, 3);
    copy[0] = 99;
    expect(m.read(0x3fc8_0010, 1)[0]).to.equal(1, 'read returns a copy');
  });

  it('refuses writes to ROM and flash, and accesses outside every region or across a region end', () => {
    const m = mem();
    espError(() => m.write(0x4000_0000, Uint8Array.of(1)), ESP_ERR_INVALID_ARG, /read-only/);
    espError(
      () => m.write(0x4200_0000, Uint8Array.of(1)),
      ESP_ERR_INVALID_ARG,
      /flash region flash, which is read-only/,
    );
    espError(() => m.write(0x1000, Uint8Array.of(1)), ESP_ERR_INVALID_ARG, /not inside any memory region/);
    espError(() => m.read(0x3fc8_0ffe, 4), ESP_ERR_INVALID_ARG, /runs past the end of region sram/);
    espError(() => m.read(0x6000_0000, 4), ESP_ERR_INVALID_ARG, /peripheral region periph/);
    // nothing was written by the refused write across the end
    espError(() => m.write(0x3fc8_0ffe, Uint8Array.of(7, 7, 7, 7)), ESP_ERR_INVALID_ARG, /past the end/);
    expect([...m.read(0x3fc8_0ffe, 2)]).to.deep.equal([0, 0]);
  });

  it('program() fills flash behind the write protection', () => {
    const m = mem();
    m.program(0x4200_0004, Uint8Array.of(0xaa));
    expect(m.read(0x4200_0004, 1)[0]).to.equal(0xaa);
  });

  it('allocates by caps: internal -> sram, spiram -> psram, dma -> DMA-capable only', () => {
    const m = mem();
    expect(m.regionAt(m.alloc(16, { caps: ['internal'] }))!.name).to.equal('sram');
    expect(m.regionAt(m.alloc(16, { caps: ['spiram'] }))!.name).to.equal('psram');
    expect(m.regionAt(m.alloc(16))!.kind).to.equal('sram');
    // fill the DMA-capable SRAM: a dma+internal request must not fall back to the non-DMA 'slow' region
    const big = m.alloc(0x1000 - 32, { caps: ['dma', 'internal'] });
    expect(m.regionAt(big)!.name).to.equal('sram');
    espError(() => m.alloc(64, { caps: ['dma', 'internal'] }), ESP_ERR_NO_MEM, /caps \[dma, internal\]/);
    expect(m.regionAt(m.alloc(64, { caps: ['internal'] }))!.name).to.equal('slow');
  });

  it('honours alignment and refuses bad sizes, alignments and caps', () => {
    const m = mem();
    m.alloc(3, { caps: ['internal'] });
    const a = m.alloc(8, { caps: ['internal'], align: 64 });
    expect(a % 64).to.equal(0);
    espError(() => m.alloc(0), ESP_ERR_INVALID_ARG, /size must be a positive integer/);
    espError(() => m.alloc(8, { align: 3 }), ESP_ERR_INVALID_ARG, /power of two/);
    espError(() => m.alloc(8, { caps: ['fast' as 'dma'] }), ESP_ERR_INVALID_ARG, /unknown cap "fast"/);
    espError(() => m.alloc(0x10_0000), ESP_ERR_NO_MEM, /no region/);
  });

  it('free refuses addresses it did not hand out, and double frees', () => {
    const m = mem();
    const a = m.alloc(32, { caps: ['internal'] });
    espError(() => m.free(a + 4), ESP_ERR_INVALID_ARG, /was not returned by alloc/);
    m.free(a);
    espError(() => m.free(a), ESP_ERR_INVALID_ARG, /already freed/);
    espError(() => m.free(0x1234), ESP_ERR_INVALID_ARG, /was not returned by alloc/);
  });

  it('allocations never overlap, stay aligned and inside their region, and freeing makes room again (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            size: fc.integer({ min: 1, max: 700 }),
            alignLog: fc.integer({ min: 0, max: 6 }),
            free: fc.boolean(),
          }),
          { maxLength: 40 },
        ),
        (ops) => {
          const m = mem();
          const live = new Map<number, number>();
          for (const op of ops) {
            const align = 1 << op.alignLog;
            let addr: number;
            try {
              addr = m.alloc(op.size, { caps: ['internal'], align });
            } catch (e) {
              expect((e as EspError).code).to.equal(ESP_ERR_NO_MEM);
              continue;
            }
            expect(addr % align).to.equal(0);
            const r = m.regionAt(addr)!;
            expect(addr + op.size).to.be.at.most(r.base + r.size);
            for (const [b, s] of live) expect(addr + op.size <= b || b + s <= addr, 'overlap').to.equal(true);
            live.set(addr, op.size);
            if (op.free) {
              m.free(addr);
              live.delete(addr);
            }
          }
          for (const b of live.keys()) m.free(b);
          // after freeing everything the whole region is one block again
          const all = m.alloc(0x1000, { caps: ['dma', 'internal'] });
          expect(all).to.equal(0x3fc8_0000);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('copy moves bytes between regions and checks both ranges before touching anything', () => {
    const m = mem();
    m.write(0x3fc8_0000, Uint8Array.of(9, 8, 7));
    m.copy(0x3d00_0000, 0x3fc8_0000, 3);
    expect([...m.read(0x3d00_0000, 3)]).to.deep.equal([9, 8, 7]);
    espError(() => m.copy(0x4000_0000, 0x3fc8_0000, 3), ESP_ERR_INVALID_ARG, /copy destination/);
  });
});

describe('MemoryMap leases', () => {
  it('refuses read, write, copy and free of a leased buffer naming its holder, and allows them after release', () => {
    const m = mem();
    const buf = m.alloc(64, { caps: ['internal'] });
    const other = m.alloc(64, { caps: ['internal'] });
    m.write(buf, Uint8Array.of(1, 2, 3));
    const lease = m.leases.take(buf, 64, 'SPI2 transfer #1');
    espError(() => m.write(buf + 10, Uint8Array.of(9)), 0x103, /write: .* held by SPI2 transfer #1 until it completes/);
    espError(() => m.read(buf + 63, 1), 0x103, /read: .*SPI2 transfer #1/);
    espError(() => m.copy(other, buf, 4), 0x103, /copy source/);
    espError(() => m.free(buf), 0x103, /free/);
    espError(() => m.leases.take(buf + 32, 4, 'someone else'), 0x103, /overlaps a buffer held by SPI2 transfer #1/);
    m.write(other, Uint8Array.of(5)); // neighbours are untouched by the lease
    lease.release();
    expect([...m.read(buf, 3)]).to.deep.equal([1, 2, 3], 'the refused write changed nothing');
    m.free(buf);
  });
});
