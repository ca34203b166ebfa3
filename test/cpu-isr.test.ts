import { expect } from 'chai';
import { assembleSimulation, cyclesToPs, esp32c3, extendTarget, EspError, Spi, type SimEvent } from 'soc-fabric';

// A target that states an interrupt latency (the built-in targets leave it at 0: their ISR figures include it).
const c3Latency = extendTarget(esp32c3, { name: 'c3-irq-latency', cpu: { interruptLatencyCycles: 40 } });
const cyc = (n: number): number => cyclesToPs(n, esp32c3.cpu.freqHz);

describe('cpu.isr: driver interrupt time on Core.Cpu', () => {
  it("charges the interrupt latency then the handler, queued behind the core's current work, and says so on the bus", async () => {
    const sim = assembleSimulation(c3Latency);
    expect(sim.cpu.interruptLatencyCycles).to.equal(40);
    const seen: SimEvent[] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.source === 'cpu') seen.push(e);
    });
    const at: number[] = [];
    sim.spawn('task', async () => {
      await sim.cpu.work(160);
      at.push(sim.now);
    });
    sim.schedule(cyc(10), () => sim.cpu.isr(100, () => at.push(sim.now))); // arrives while the task's work runs
    await sim.run();
    expect(at).to.deep.equal([cyc(160), cyc(160) + cyc(140)]);
    expect(seen.map((e) => [e.type, e.data])).to.deep.equal([
      ['work-done', { cycles: 160, startedAt: 0 }],
      ['isr-done', { cycles: 100, latencyCycles: 40, startedAt: cyc(160) }],
    ]);
    expect(() => sim.cpu.isr(-1, () => undefined)).to.throw(EspError, /cycles must be a non-negative number/);
  });

  it("the SPI driver's two interrupt phases go through it: an interrupt transaction takes two latencies longer", async () => {
    const once = async (t: typeof esp32c3): Promise<number> => {
      const sim = assembleSimulation(t);
      const dev = sim.get(Spi).busInitialize('SPI2', { loopback: true }).addDevice({ clockSpeedHz: 10e6 });
      const tx = sim.memory.alloc(64, { caps: ['dma'] });
      const rx = sim.memory.alloc(64, { caps: ['dma'] });
      let took = 0;
      sim.spawn('t', async () => {
        const t0 = sim.now;
        await dev.transmit({ tx, rx, length: 64 });
        took = sim.now - t0;
      });
      await sim.run();
      return took;
    };
    expect((await once(c3Latency)) - (await once(esp32c3))).to.equal(2 * cyc(40));
  });
});
