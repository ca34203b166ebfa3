import { expect } from 'chai';
import fc from 'fast-check';
import { MemoryMap } from '../../../core/memory/memory.js';
import {
  DescriptorMemory,
  encodeWord0,
  rxWriteBack,
  txWriteBack,
  word0Length,
  word0Owner,
  word0Size,
  word0SucEof,
  word0ErrEof,
  writeLinearList,
  watchDescriptorOverflow,
  type DescriptorFieldOverflow,
} from './descriptor.js';

describe('DMA descriptor codec', () => {
  const mem = new MemoryMap([{ name: 'sram', kind: 'sram', base: 0x1000, size: 0x1000, dmaCapable: true }], {
    readPsPerByte: 1,
    writePsPerByte: 1,
  });
  const dm = new DescriptorMemory(mem);

  it('puts size in bits 0-11, length in 12-23, err_eof in 28, suc_eof in 30 and owner in 31', () => {
    expect(encodeWord0({ size: 0x123, length: 0x456, sucEof: true, owner: 1 })).to.equal(0xc045_6123);
    expect(encodeWord0({ size: 0xfff, length: 0, errEof: true, owner: 0 })).to.equal(0x1000_0fff);
    const w = 0xc045_6123;
    expect([word0Size(w), word0Length(w), word0SucEof(w), word0ErrEof(w), word0Owner(w)]).to.deep.equal([
      0x123,
      0x456,
      true,
      false,
      1,
    ]);
  });

  it('writes back RX length and suc_eof with owner=CPU, and TX owner=CPU, keeping size', () => {
    const w = encodeWord0({ size: 100, length: 0, owner: 1 });
    const rx = rxWriteBack(w, 64, true);
    expect([word0Size(rx), word0Length(rx), word0SucEof(rx), word0Owner(rx)]).to.deep.equal([100, 64, true, 0]);
    const tx = txWriteBack(encodeWord0({ size: 8, length: 8, sucEof: true, owner: 1 }));
    expect([word0Size(tx), word0Length(tx), word0SucEof(tx), word0Owner(tx)]).to.deep.equal([8, 8, true, 0]);
  });

  it('stores little-endian words at 12-byte strides: word 0, buffer, next', () => {
    dm.write(0x1000, { size: 4, length: 4, sucEof: true, owner: 1, buffer: 0x1100, next: 0x100c });
    expect([...mem.read(0x1000, 12)]).to.deep.equal([0x04, 0x40, 0x00, 0xc0, 0x00, 0x11, 0, 0, 0x0c, 0x10, 0, 0]);
    expect(dm.read(0x1000)).to.deep.include({
      size: 4,
      length: 4,
      sucEof: true,
      owner: 1,
      buffer: 0x1100,
      next: 0x100c,
    });
  });

  it('refuses unaligned or out-of-memory descriptors and fields no C caller could assign', () => {
    expect(() => dm.read(0x1002)).to.throw(RangeError);
    expect(() => dm.read(0x1ffc)).to.throw(RangeError);
    for (const size of [-1, 1.5, NaN, 2 ** 32]) {
      expect(() => dm.write(0x1000, { size, length: 0, owner: 1, buffer: 0, next: 0 }), String(size)).to.throw(
        RangeError,
      );
    }
  });

  // hal/dma_types.h: size and length are 12-bit bitfields; an assignment keeps the low 12 bits (lldesc.h: "the
  // size field has 12 bits, but 0 not for 4096")
  it('a size or length above 4095 keeps its low 12 bits, and overflow watchers hear exactly those writes', () => {
    const heard: DescriptorFieldOverflow[] = [];
    const stop = watchDescriptorOverflow(mem, (o) => heard.push(o));
    try {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 0, max: 20_000 }), (size, length) => {
          heard.length = 0;
          dm.write(0x1000, { size, length, owner: 1, buffer: 0x1100, next: 0 });
          const d = dm.read(0x1000);
          expect([d.size, d.length]).to.deep.equal([size % 4096, length % 4096]);
          const expected = [
            ...(size > 4095 ? [{ field: 'size', value: size, stored: size % 4096 }] : []),
            ...(length > 4095 ? [{ field: 'length', value: length, stored: length % 4096 }] : []),
          ];
          expect(heard.map((o) => [o.addr, o.fields])).to.deep.equal(expected.length ? [[0x1000, expected]] : []);
        }),
      );
      heard.length = 0;
      // a list cut into 4096-byte chunks: every descriptor's fields hold 0
      writeLinearList(dm, 0x1200, 0x1800, 8192, 4096, true);
      expect([dm.read(0x1200).length, dm.read(0x120c).length]).to.deep.equal([0, 0]);
      expect(heard.map((o) => o.addr)).to.deep.equal([0x1200, 0x120c]);
    } finally {
      stop();
    }
    dm.write(0x1000, { size: 4096, length: 0, owner: 1, buffer: 0, next: 0 });
    expect(heard.length).to.equal(2); // unsubscribed
    expect(() => writeLinearList(dm, 0x1200, 0x1800, 64, 0, true)).to.throw(RangeError, /maxPerDescriptor/);
  });

  it('splits a linear list into chunks with suc_eof only on the last TX descriptor', () => {
    const n = writeLinearList(dm, 0x1200, 0x1800, 10_000, 4092, true);
    expect(n).to.equal(3);
    const d = [0, 1, 2].map((i) => dm.read(0x1200 + 12 * i));
    expect(d.map((x) => x.length)).to.deep.equal([4092, 4092, 10_000 - 8184]);
    expect(d.map((x) => x.sucEof)).to.deep.equal([false, false, true]);
    expect(d.map((x) => x.buffer)).to.deep.equal([0x1800, 0x1800 + 4092, 0x1800 + 8184]);
    expect(d.map((x) => x.next)).to.deep.equal([0x120c, 0x1218, 0]);
    const r = writeLinearList(dm, 0x1300, 0x1800, 5, 4092, false);
    expect(r).to.equal(1);
    expect(dm.read(0x1300)).to.deep.include({ size: 5, length: 0, sucEof: false, owner: 1 });
  });
});
