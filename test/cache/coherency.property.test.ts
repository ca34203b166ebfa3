import { expect } from 'chai';
import fc from 'fast-check';
import { DataCache } from '../../core/memory/cache/data-cache.js';
import { Region } from '../../core/memory/memory.js';
import type { FindingReport } from '../../core/diagnostics/finding.js';

const BASE = 0x3d80_0000;
const SIZE = 192;
const LINE = 32;

type Op =
  | { k: 'cpu-write'; at: number; bytes: number[] }
  | { k: 'cpu-read'; at: number; len: number }
  | { k: 'dma-read'; at: number; len: number }
  | { k: 'dma-write'; at: number; bytes: number[] }
  | { k: 'c2m'; at: number; len: number }
  | { k: 'm2c'; line: number; lines: number };

const at = fc.integer({ min: 0, max: SIZE - 1 });
const bytes = fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 48 });
const len = fc.integer({ min: 1, max: 48 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('cpu-write' as const), at, bytes }),
  fc.record({ k: fc.constant('cpu-read' as const), at, len }),
  fc.record({ k: fc.constant('dma-read' as const), at, len }),
  fc.record({ k: fc.constant('dma-write' as const), at, bytes }),
  fc.record({ k: fc.constant('c2m' as const), at, len }),
  fc.record({
    k: fc.constant('m2c' as const),
    line: fc.integer({ min: 0, max: SIZE / LINE - 1 }),
    lines: fc.integer({ min: 1, max: 3 }),
  }),
);

/** The cache lines a finding names: those of the first `[0x.., 0x..)` of its message. */
function rangeOf(f: FindingReport): { lo: number; hi: number } {
  const m = /\[0x([0-9a-f]+), 0x([0-9a-f]+)\)/.exec(f.message);
  if (!m) throw new Error(`finding without a range: ${f.message}`);
  // a finding is about the cache lines its range touches (one per line until the line is refilled)
  const lo = parseInt(m[1]!, 16);
  const hi = parseInt(m[2]!, 16);
  return { lo: lo - (lo % LINE), hi: Math.ceil(hi / LINE) * LINE };
}

/** Clamps [a, a+n) into the region. */
const clamp = (a: number, n: number): number => Math.min(n, SIZE - a);

describe('data cache model, property: every wrong byte is explained by a finding (core/memory/cache/data-cache.ts)', () => {
  it('against coherent memory: a CPU read or a DMA read that sees other bytes comes after a finding', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 60 }), fc.constantFrom(1, 2), (ops, ways) => {
        // a tiny cache (2 sets) so that replacements write lines back behind the program's back
        const region = new Region(
          { name: 'psram', kind: 'psram', base: BASE, size: SIZE, dmaCapable: true },
          {
            readPsPerByte: 1,
            writePsPerByte: 1,
          },
        );
        // each finding as the byte range it names (the access it reports: `[0x.., 0x..)` in its message)
        const findings: { lo: number; hi: number }[] = [];
        const cache = new DataCache(
          { lineBytes: LINE, lineSizes: [LINE], sizeBytes: LINE * ways * 2, ways, kinds: ['psram'], writeBack: true },
          (f) => findings.push(rangeOf(f)),
        );
        const coherent = new Uint8Array(SIZE); // what memory holds if the cache were coherent
        // per byte: how many findings there were before it got its coherent value; a wrong byte must come with a
        // finding filed since then (not merely any earlier finding)
        const since = new Array<number>(SIZE).fill(0);
        const set = (b: Uint8Array, a: number, mark: number): void => {
          coherent.set(b, a);
          since.fill(mark, a, a + b.length);
        };
        for (const o of ops) {
          if (o.k === 'cpu-write') {
            const n = clamp(o.at, o.bytes.length);
            const b = Uint8Array.from(o.bytes.slice(0, n));
            const mark = findings.length;
            cache.cpuWrite(region, BASE + o.at, b, 0, n);
            set(b, o.at, mark);
          } else if (o.k === 'dma-write') {
            const n = clamp(o.at, o.bytes.length);
            const b = Uint8Array.from(o.bytes.slice(0, n));
            const mark = findings.length;
            region.bytes.set(b, o.at);
            cache.dmaWrite(BASE + o.at, n, 'dma');
            set(b, o.at, mark);
          } else if (o.k === 'cpu-read' || o.k === 'dma-read') {
            const n = clamp(o.at, o.len);
            let got: Uint8Array;
            if (o.k === 'cpu-read') {
              got = new Uint8Array(n);
              cache.cpuRead(region, BASE + o.at, n, got, 0);
            } else {
              cache.dmaRead(BASE + o.at, n, 'dma');
              got = region.bytes.slice(o.at, o.at + n);
            }
            for (let i = 0; i < n; i++) {
              if (got[i] === coherent[o.at + i]) continue;
              const x = BASE + o.at + i;
              const explained = findings.slice(since[o.at + i]).some((f) => f.lo <= x && x < f.hi);
              expect(explained, `${o.k} of byte ${o.at + i}: wrong, and no finding since it was set names it`).to.equal(
                true,
              );
            }
            // a wrong view stays wrong (until maintenance): the finding that explained it stays in the slice
          } else if (o.k === 'c2m') {
            cache.writeback(BASE + o.at, clamp(o.at, o.len));
          } else {
            const a = o.line * LINE;
            const dropped = cache.invalidate(BASE + a, clamp(a, o.lines * LINE));
            // (msync files cache.invalidate-drops-dirty for this)
            if (dropped.lines > 0) findings.push({ lo: BASE + a, hi: BASE + a + clamp(a, o.lines * LINE) });
            // what the CPU sees of those lines is memory's now
            set(region.bytes.slice(a, a + clamp(a, o.lines * LINE)), a, findings.length);
          }
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('with the maintenance ESP-IDF asks for (C2M before a DMA reads, M2C before and after it writes), no finding and no wrong byte', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 60 }), (ops) => {
        const region = new Region(
          { name: 'psram', kind: 'psram', base: BASE, size: SIZE, dmaCapable: true },
          {
            readPsPerByte: 1,
            writePsPerByte: 1,
          },
        );
        const findings: FindingReport[] = [];
        const cache = new DataCache(
          { lineBytes: LINE, lineSizes: [LINE], sizeBytes: LINE * 8, ways: 2, kinds: ['psram'], writeBack: true },
          (f) => findings.push(f),
        );
        const coherent = new Uint8Array(SIZE);
        for (const o of ops) {
          if (o.k === 'cpu-write') {
            const n = clamp(o.at, o.bytes.length);
            const b = Uint8Array.from(o.bytes.slice(0, n));
            cache.cpuWrite(region, BASE + o.at, b, 0, n);
            coherent.set(b, o.at);
          } else if (o.k === 'dma-write') {
            // a DMA buffer in lines of its own: write back and drop them first, the DMA, drop again
            const lo = o.at - (o.at % LINE);
            const hi = Math.min(SIZE, Math.ceil((o.at + o.bytes.length) / LINE) * LINE);
            cache.writeback(BASE + lo, hi - lo);
            cache.invalidate(BASE + lo, hi - lo);
            const n = clamp(o.at, o.bytes.length);
            const b = Uint8Array.from(o.bytes.slice(0, n));
            region.bytes.set(b, o.at);
            cache.dmaWrite(BASE + o.at, n, 'dma');
            cache.invalidate(BASE + lo, hi - lo);
            coherent.set(b, o.at);
          } else if (o.k === 'cpu-read') {
            const n = clamp(o.at, o.len);
            const got = new Uint8Array(n);
            cache.cpuRead(region, BASE + o.at, n, got, 0);
            expect([...got]).to.deep.equal([...coherent.subarray(o.at, o.at + n)]);
          } else if (o.k === 'dma-read') {
            const n = clamp(o.at, o.len);
            cache.writeback(BASE + o.at, n);
            cache.dmaRead(BASE + o.at, n, 'dma');
            expect([...region.bytes.subarray(o.at, o.at + n)]).to.deep.equal([...coherent.subarray(o.at, o.at + n)]);
          } else if (o.k === 'c2m') {
            cache.writeback(BASE + o.at, clamp(o.at, o.len));
          }
        }
        expect(findings.map((f) => f.rule)).to.deep.equal([]);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
