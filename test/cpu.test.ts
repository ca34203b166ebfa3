import { expect } from 'chai';
import { createSimulation, EspError, ESP_ERR_INVALID_ARG, ns } from 'soc-fabric';

const SIZE = 100 * 1024;
// SILICON.md, ESP32-S3 CPU memcpy (MB/s, MB = 10^6 bytes)
const MEASURED: [string, string, number][] = [
  ['internal', 'internal', 362.48],
  ['internal', 'spiram', 56.71],
  ['spiram', 'internal', 38.59],
  ['spiram', 'spiram', 22.34],
];

describe('sim.cpu.memcpy', () => {
  for (const [from, to, mbps] of MEASURED) {
    it(`esp32s3 ${from} -> ${to} reproduces the measured ${mbps} MB/s within 15%, and copies the bytes`, async () => {
      const sim = await createSimulation({ target: 'esp32s3' });
      const src = sim.memory.alloc(SIZE, { caps: [from as 'internal'], align: 32 });
      const dst = sim.memory.alloc(SIZE, { caps: [to as 'internal'], align: 32 });
      const data = new Uint8Array(SIZE).map((_, i) => (i * 31) & 0xff);
      sim.memory.write(src, data);
      let took = 0;
      sim.spawn('copy', async () => {
        const t0 = sim.now;
        await sim.cpu.memcpy(dst, src, SIZE);
        took = sim.now - t0;
      });
      await sim.run();
      const rate = SIZE / (took / 1e12) / 1e6;
      expect(Math.abs(rate - mbps) / mbps).to.be.below(0.15);
      expect(Buffer.from(sim.memory.read(dst, SIZE)).equals(Buffer.from(data))).to.equal(true);
    });
  }

  it('moves the bytes at the instant the copy completes, not before', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const src = sim.memory.alloc(4096);
    const dst = sim.memory.alloc(4096);
    sim.memory.write(src, new Uint8Array(4096).fill(5));
    const cost = sim.cpu.memcpyCost(dst, src, 4096);
    let seenMidway = -1;
    sim.spawn('copy', async () => {
      await sim.cpu.memcpy(dst, src, 4096);
    });
    sim.schedule(cost - 1, () => {
      seenMidway = sim.memory.read(dst, 1)[0]!;
    });
    await sim.run();
    expect(seenMidway).to.equal(0);
    expect(sim.now).to.equal(cost);
    expect(sim.memory.read(dst + 4095, 1)[0]).to.equal(5);
  });

  it('one core: concurrent copies queue behind each other, and work() occupies the core too', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const a = sim.memory.alloc(1000);
    const b = sim.memory.alloc(1000);
    const cost = sim.cpu.memcpyCost(b, a, 1000);
    const ends: number[] = [];
    sim.spawn('t1', async () => {
      await sim.cpu.memcpy(b, a, 1000);
      ends.push(sim.now);
    });
    sim.spawn('t2', async () => {
      await sim.cpu.memcpy(a, b, 1000);
      ends.push(sim.now);
    });
    sim.spawn('t3', async () => {
      await sim.cpu.work(160);
      ends.push(sim.now);
    });
    await sim.run();
    expect(ends).to.deep.equal([cost, 2 * cost, 2 * cost + 1_000_000]);
  });

  it('workThen occupies the core like work() and calls back at its end, without a promise', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const ends: [string, number][] = [];
    sim.spawn('t', async () => {
      await sim.cpu.work(160);
      ends.push(['work', sim.now]);
    });
    sim.cpu.workThen(320, () => ends.push(['then', sim.now]));
    await sim.run();
    // the task starts in a kernel event, after workThen has taken the core
    expect(ends).to.deep.equal([
      ['then', 2_000_000],
      ['work', 3_000_000],
    ]);
    expect(() => sim.cpu.workThen(-1, () => undefined)).to.throw(/cycles must be a non-negative number/);
  });

  it('a task continues exactly `d` after the copy completes', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const a = sim.memory.alloc(256);
    const b = sim.memory.alloc(256);
    let done = 0;
    let after = 0;
    sim.spawn('t', async () => {
      await sim.cpu.memcpy(b, a, 256);
      done = sim.now;
      await sim.delay(ns(7));
      after = sim.now;
    });
    await sim.run();
    expect(after - done).to.equal(7000);
  });

  it('refuses bad ranges at once with ESP_ERR_INVALID_ARG and schedules nothing', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const a = sim.memory.alloc(64);
    const rom = sim.memory.regions.find((r) => r.kind === 'rom')!.base;
    for (const call of [
      () => sim.cpu.memcpy(rom, a, 4),
      () => sim.cpu.memcpy(a, 0x10, 4),
      () => sim.cpu.memcpy(a, a, -1),
    ]) {
      try {
        void call();
        expect.fail('no throw');
      } catch (e) {
        expect(e).to.be.instanceOf(EspError);
        expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
      }
    }
    await sim.run();
    expect(sim.now).to.equal(0);
  });
});
