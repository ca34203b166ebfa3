import { expect } from 'chai';
import {
  createSimulation,
  esp32c6,
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  extendTarget,
  Gpio,
  ns,
  type GpioService,
  type Simulation,
} from 'soc-fabric';
import { Pcnt, pcnt, type PcntBusEvents, type PcntService, type PcntWatchEventData } from './index.js';

const c6Pcnt = extendTarget(esp32c6, { name: 'c6-pcnt', plugins: (p) => [...p, pcnt()] });

async function setup(): Promise<{ sim: Simulation; gpio: GpioService; pcnt: PcntService }> {
  const sim = await createSimulation({ target: c6Pcnt });
  return { sim, gpio: sim.get(Gpio), pcnt: sim.get(Pcnt) };
}

/** `n` pulses on `pin`, `periodPs` apart, high for half of it, from `startPs`. */
function pulses(
  sim: Simulation,
  gpio: GpioService,
  pin: number,
  n: number,
  periodPs: number,
  startPs = periodPs,
): void {
  for (let i = 0; i < n; i++) {
    sim.schedule(startPs + i * periodPs, () => gpio.setLevel(pin, 1));
    sim.schedule(startPs + i * periodPs + periodPs / 2, () => gpio.setLevel(pin, 0));
  }
}

function throwsEsp(fn: () => unknown, code: number, match: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(EspError);
    expect((e as EspError).code).to.equal(code);
    expect((e as Error).message).to.match(match);
    return;
  }
  expect.fail('expected an EspError');
}

describe('example plugin: PCNT (pulse counter)', () => {
  it('counts rising edges of a GPIO while started, not while stopped', async () => {
    const { sim, gpio, pcnt: p } = await setup();
    const unit = p.newUnit({ lowLimit: -100, highLimit: 100 });
    unit.newChannel({ edgeGpio: 4 }).setEdgeAction('increase', 'hold');
    unit.enable();
    pulses(sim, gpio, 4, 3, ns(100)); // before start: not counted
    sim.schedule(ns(1000), () => unit.start());
    pulses(sim, gpio, 4, 5, ns(100), ns(1000));
    sim.schedule(ns(2000), () => unit.stop());
    pulses(sim, gpio, 4, 2, ns(100), ns(2000));
    await sim.run();
    expect(unit.getCount()).to.equal(5);
    unit.clearCount();
    expect(unit.getCount()).to.equal(0);
  });

  it('the control level modifies the edge action (keep when low, inverse when high)', async () => {
    const { sim, gpio, pcnt: p } = await setup();
    const unit = p.newUnit({ lowLimit: -100, highLimit: 100 });
    const ch = unit.newChannel({ edgeGpio: 4, levelGpio: 5 });
    ch.setEdgeAction('increase', 'increase');
    ch.setLevelAction('inverse', 'keep');
    unit.enable();
    unit.start();
    pulses(sim, gpio, 4, 3, ns(100)); // 6 edges, level low: +6
    sim.schedule(ns(1000), () => gpio.setLevel(5, 1));
    pulses(sim, gpio, 4, 2, ns(100), ns(1000)); // 4 edges, level high: -4
    await sim.run();
    expect(unit.getCount()).to.equal(2);
    ch.setLevelAction('hold', 'hold');
    pulses(sim, gpio, 4, 2, ns(100), ns(100));
    await sim.run();
    expect(unit.getCount()).to.equal(2);
  });

  it('reaching a limit clears the count and reports the limit; accumCount keeps the total', async () => {
    const { sim, gpio, pcnt: p } = await setup();
    const plain = p.newUnit({ lowLimit: -10, highLimit: 5 });
    const accum = p.newUnit({ lowLimit: -10, highLimit: 5, accumCount: true });
    const seen: [number, PcntWatchEventData, number][] = [];
    for (const u of [plain, accum]) {
      u.newChannel({ edgeGpio: 4 }).setEdgeAction('increase', 'hold');
      u.addWatchPoint(5);
      u.registerEventCallbacks({
        onReach: (unit, edata) => {
          seen.push([unit.index, edata, sim.now]);
        },
      });
      u.enable();
      u.start();
    }
    pulses(sim, gpio, 4, 7, ns(100));
    await sim.run();
    expect(plain.getCount()).to.equal(2);
    expect(accum.getCount()).to.equal(7);
    // the 5th rising edge, at 500 ns, in both units
    expect(seen).to.deep.equal([
      [0, { watchPointValue: 5 }, ns(500)],
      [1, { watchPointValue: 5 }, ns(500)],
    ]);
  });

  it('thresholds and zero are watch points; the zero crossing says from which side', async () => {
    const { sim, gpio, pcnt: p } = await setup();
    const unit = p.newUnit({ lowLimit: -10, highLimit: 10 });
    const ch = unit.newChannel({ edgeGpio: 4 });
    ch.setEdgeAction('increase', 'hold');
    unit.addWatchPoint(3);
    unit.addWatchPoint(-2);
    unit.addWatchPoint(0);
    const events: string[] = [];
    sim.bus
      .source<PcntBusEvents>('pcnt')
      .on('watch')
      .subscribe((e) => events.push(`${e.time / 1000}ns ${e.data!.kind} ${e.data!.value}`));
    const zero: (string | undefined)[] = [];
    unit.registerEventCallbacks({
      onReach: (_u, d) => {
        if (d.watchPointValue === 0) zero.push(d.zeroCrossMode);
      },
    });
    unit.enable();
    unit.start();
    pulses(sim, gpio, 4, 4, ns(100)); // 1, 2, 3 (threshold), 4
    sim.schedule(ns(450), () => ch.setEdgeAction('decrease', 'hold'));
    pulses(sim, gpio, 4, 6, ns(100), ns(500)); // 3 (threshold), 2, 1, 0 (zero), -1, -2 (threshold)
    await sim.run();
    expect(unit.getCount()).to.equal(-2);
    expect(events).to.deep.equal(['300ns threshold 3', '500ns threshold 3', '800ns zero 0', '1000ns threshold -2']);
    expect(zero).to.deep.equal(['positive-to-zero']);
  });

  it('the glitch filter drops pulses shorter than its width and delays counted edges by it', async () => {
    const { sim, gpio, pcnt: p } = await setup();
    const unit = p.newUnit({ lowLimit: -10, highLimit: 10 });
    unit.newChannel({ edgeGpio: 4 }).setEdgeAction('increase', 'hold');
    unit.setGlitchFilter({ maxGlitchNs: 100 }); // 4 cycles of 40 MHz
    unit.addWatchPoint(1);
    const at: number[] = [];
    unit.registerEventCallbacks({
      onReach: () => {
        at.push(sim.now);
      },
    });
    unit.enable();
    unit.start();
    sim.schedule(ns(1000), () => gpio.setLevel(4, 1)); // a 60 ns glitch
    sim.schedule(ns(1060), () => gpio.setLevel(4, 0));
    sim.schedule(ns(2000), () => gpio.setLevel(4, 1)); // a 300 ns pulse
    sim.schedule(ns(2300), () => gpio.setLevel(4, 0));
    await sim.run();
    expect(unit.getCount()).to.equal(1);
    expect(at).to.deep.equal([ns(2100)]);
  });

  it("refuses bad calls with the driver's codes and changes nothing", async () => {
    const { pcnt: p } = await setup();
    throwsEsp(() => p.newUnit({ lowLimit: 0, highLimit: 10 }), ESP_ERR_INVALID_ARG, /invalid limit range \[0, 10\]/);
    throwsEsp(() => p.newUnit({ lowLimit: -40000, highLimit: 10 }), ESP_ERR_INVALID_ARG, /invalid limit range/);
    const units = [0, 1, 2, 3].map(() => p.newUnit({ lowLimit: -10, highLimit: 10 }));
    expect(units.map((u) => u.index)).to.deep.equal([0, 1, 2, 3]);
    throwsEsp(() => p.newUnit({ lowLimit: -10, highLimit: 10 }), ESP_ERR_NOT_FOUND, /no free unit \(all 4 in use\)/);
    const u = units[0]!;
    throwsEsp(() => u.newChannel({ edgeGpio: 99 }), ESP_ERR_INVALID_ARG, /edgeGpio GPIO99 does not exist on c6-pcnt/);
    const ch0 = u.newChannel({ edgeGpio: 1 });
    u.newChannel({ edgeGpio: 2 });
    throwsEsp(() => u.newChannel({ edgeGpio: 3 }), ESP_ERR_NOT_FOUND, /no free channel in unit 0 \(all 2 in use\)/);
    throwsEsp(
      () => ch0.setEdgeAction('up' as 'increase', 'hold'),
      ESP_ERR_INVALID_ARG,
      /action must be hold, increase, decrease/,
    );
    throwsEsp(() => u.addWatchPoint(11), ESP_ERR_INVALID_ARG, /watch point 11 out of limit \[-10, 10\]/);
    u.addWatchPoint(4);
    throwsEsp(() => u.addWatchPoint(4), ESP_ERR_INVALID_STATE, /watch point 4 was added already/);
    u.addWatchPoint(-4);
    throwsEsp(() => u.addWatchPoint(6), ESP_ERR_NOT_FOUND, /no free threshold for 6/);
    throwsEsp(() => u.removeWatchPoint(6), ESP_ERR_INVALID_STATE, /watch point 6 not added yet/);
    u.removeWatchPoint(4);
    u.addWatchPoint(6); // the freed threshold is reusable
    throwsEsp(
      () => u.setGlitchFilter({ maxGlitchNs: 26_000 }),
      ESP_ERR_INVALID_ARG,
      /glitch width out of range \(1040 cycles/,
    );
    throwsEsp(() => u.start(), ESP_ERR_INVALID_STATE, /unit not enabled yet/);
    throwsEsp(() => u.disable(), ESP_ERR_INVALID_STATE, /not in enable state/);
    u.enable();
    throwsEsp(() => u.enable(), ESP_ERR_INVALID_STATE, /not in init state/);
    throwsEsp(() => u.newChannel({ edgeGpio: 3 }), ESP_ERR_INVALID_STATE, /unit not in init state/);
    throwsEsp(() => u.setGlitchFilter(null), ESP_ERR_INVALID_STATE, /not in init state/);
    throwsEsp(() => u.delete(), ESP_ERR_INVALID_STATE, /not in init state/);
    u.disable();
    throwsEsp(() => u.delete(), ESP_ERR_INVALID_STATE, /channel 0 still in working/);
    ch0.delete();
    throwsEsp(() => ch0.delete(), ESP_ERR_INVALID_ARG, /the channel was deleted/);
    expect(u.newChannel({ edgeGpio: 3 }).index).to.equal(0, 'the freed channel is reused');
  });

  it('a deleted unit frees its slot and its handle refuses further calls', async () => {
    const { pcnt: p } = await setup();
    const u = p.newUnit({ lowLimit: -10, highLimit: 10 });
    u.delete();
    throwsEsp(() => u.getCount(), ESP_ERR_INVALID_ARG, /the unit was deleted/);
    expect(p.newUnit({ lowLimit: -5, highLimit: 5 }).index).to.equal(0);
  });

  it('an onReach callback that throws becomes a fault naming the unit; counting and other units go on', async () => {
    const { sim, gpio, pcnt: p } = await setup();
    const broken = p.newUnit({ lowLimit: -10, highLimit: 10 });
    const fine = p.newUnit({ lowLimit: -10, highLimit: 10 });
    for (const u of [broken, fine]) {
      u.newChannel({ edgeGpio: 4 }).setEdgeAction('increase', 'hold');
      u.addWatchPoint(2);
    }
    broken.registerEventCallbacks({
      onReach: () => {
        throw new Error('user ISR bug');
      },
    });
    let fineHits = 0;
    fine.registerEventCallbacks({
      onReach: () => {
        fineHits++;
      },
    });
    for (const u of [broken, fine]) {
      u.enable();
      u.start();
    }
    pulses(sim, gpio, 4, 3, ns(100));
    await sim.run();
    expect(broken.getCount()).to.equal(3);
    expect(sim.faults.map((f) => [f.time, f.source, f.error.message])).to.deep.equal([
      [ns(200), 'pcnt unit0 onReach', 'user ISR bug'],
    ]);
    expect(fine.getCount()).to.equal(3);
    expect(fineHits).to.equal(1);
  });

  it('reads its parameters from caps.pcnt', async () => {
    const two = extendTarget(esp32c6, {
      name: 'c6-2pcnt',
      plugins: (p) => [...p, pcnt()],
      caps: { pcnt: { units: 2 } },
    });
    const sim = await createSimulation({ target: two });
    const p = sim.get(Pcnt);
    p.newUnit({ lowLimit: -1, highLimit: 1 });
    p.newUnit({ lowLimit: -1, highLimit: 1 });
    throwsEsp(() => p.newUnit({ lowLimit: -1, highLimit: 1 }), ESP_ERR_NOT_FOUND, /all 2 in use/);
  });

  it("a bad caps.pcnt field fails the target's definition, naming the field (pcntCapsSchema)", () => {
    throwsEsp(
      () => extendTarget(esp32c6, { name: 'c6-bad', plugins: (p) => [...p, pcnt()], caps: { pcnt: { units: 0 } } }),
      ESP_ERR_INVALID_ARG,
      /invalid target "c6-bad": caps\.pcnt\.units: Too small/,
    );
    throwsEsp(
      () => extendTarget(c6Pcnt, { name: 'c6-typo', caps: { pcnt: { unit: 2 } as never } }),
      ESP_ERR_INVALID_ARG,
      /caps\.pcnt: Unrecognized key: "unit"/,
    );
  });
});
