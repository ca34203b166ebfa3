import { expect } from 'chai';
import {
  assembleSimulation,
  cyclesToPs,
  DescriptorMemory,
  definePlugin,
  esp32c3,
  esp32c6,
  EspError,
  Etm,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
  ESP_ERR_TIMEOUT,
  extendTarget,
  Gpio,
  us,
  type DmaBusEvents,
  type Simulation,
} from 'soc-fabric';
import { ADC_DRIVER_ESTIMATE, AdcContinuous, adcContinuous, C6_ADC_CAPS, type AdcConvFrame } from './index.js';

const c6Adc = extendTarget(esp32c6, {
  name: 'c6-adc',
  plugins: (p) => [...p, adcContinuous()],
  caps: { adc: C6_ADC_CAPS, estimates: [...esp32c6.caps.estimates, ADC_DRIVER_ESTIMATE] },
});
const ISR_PS = cyclesToPs(C6_ADC_CAPS.driverCycles.isr, esp32c6.cpu.freqHz);
const CFG = { maxStoreBufSize: 256, convFrameSize: 64, sampleFreqHz: 20_000, channels: [2, 5] }; // 16 conversions = 800 us a frame

function expectEsp(fn: () => unknown, code: number, match: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EspError);
    expect((e as EspError).code).to.equal(code);
    expect((e as Error).message).to.match(match);
    return;
  }
  expect.fail('expected an EspError');
}

const decode = (b: Uint8Array): { ch: number; raw: number }[] =>
  Array.from({ length: b.length / 4 }, (_, i) => {
    const w = b[4 * i]! | (b[4 * i + 1]! << 8) | (b[4 * i + 2]! << 16);
    return { ch: (w >>> 13) & 0xf, raw: w & 0xfff };
  });

describe('example: ESP32-C6 ADC in continuous mode through GDMA', () => {
  let sim: Simulation;
  beforeEach(() => {
    sim = assembleSimulation(c6Adc);
  });

  it('streams conversion frames through its GDMA RX channel; on_conv_done runs one ISR after each frame', async () => {
    const adc = sim.get(AdcContinuous);
    adc.setInput((t, ch) => ch * 100 + Math.floor(t / us(50))); // one conversion every 50 us
    const h = adc.newHandle(CFG);
    const done: [number, AdcConvFrame][] = [];
    h.registerEventCallbacks({
      onConvDone: (f) => {
        done.push([sim.now, f]);
      },
    });
    const eofBytes: number[] = [];
    sim.bus
      .source<DmaBusEvents>('gdma')
      .on('eof')
      .subscribe((e) => eofBytes.push(e.data!.bytes));
    h.start();
    await sim.run({ until: us(2500) });
    expect(done.map(([t]) => t)).to.deep.equal([us(800) + ISR_PS, us(1600) + ISR_PS, us(2400) + ISR_PS]);
    expect(eofBytes).to.deep.equal([64, 64, 64]); // the frame, not a part of it
    const first = decode(done[0]![1].data);
    expect(first.map((c) => c.ch)).to.deep.equal(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 2 : 5)));
    expect(first.map((c) => c.raw)).to.deep.equal(first.map((c, i) => c.ch * 100 + i + 1));
    // adc_continuous_read hands out whole frames, oldest first
    expect(decode(h.read(200)).length).to.equal(48);
    expectEsp(() => h.read(64), ESP_ERR_TIMEOUT, /no conversion frame ready/);
    h.stop();
  });

  it('leases its ring while running; the test reads the descriptors through sim.memory', async () => {
    const h = sim.get(AdcContinuous).newHandle(CFG);
    h.start();
    await sim.run({ until: us(100) });
    const lease = sim.memory.leases.find(0, 0xffff_ffff)!;
    expect(lease.holder).to.equal('ADC continuous ring');
    expectEsp(
      () => sim.memory.write(lease.addr, new Uint8Array(4)),
      ESP_ERR_INVALID_STATE,
      /held by ADC continuous ring/,
    );
    const dm = new DescriptorMemory(sim.memory);
    const ring = [0, 1, 2, 3].map((i) => dm.read(lease.addr + 12 * i));
    expect(ring.map((d) => d.size)).to.deep.equal([64, 64, 64, 64]);
    expect(ring[3]!.next).to.equal(lease.addr); // circular
    h.stop();
    expect(sim.memory.leases.size).to.equal(0);
  });

  it('back-pressure: a stopped DMA channel stalls the converter (an overrun), and it resumes when the channel runs again', async () => {
    const h = sim.get(AdcContinuous).newHandle(CFG);
    const at: number[] = [];
    h.registerEventCallbacks({
      onConvDone: () => {
        at.push(sim.now);
      },
    });
    h.start();
    sim.schedule(us(1000), () => h.dmaChannel.stop()); // the DMA side stops (as on a descriptor error)
    sim.schedule(us(3000), () => h.dmaChannel.append()); // and runs again
    await sim.run({ until: us(4000) });
    expect(h.dmaOverruns).to.equal(1); // the frame ending at 1600 us had nowhere to go
    expect(at).to.deep.equal([us(800) + ISR_PS, us(3800) + ISR_PS]); // resumed at 3000 us (onReady), a frame later
    h.stop();
  });

  it('the pool overflows when nobody reads (on_pool_ovf), keeping the oldest frames', async () => {
    const h = sim.get(AdcContinuous).newHandle(CFG);
    let ovf = 0;
    h.registerEventCallbacks({
      onPoolOvf: () => {
        ovf++;
      },
    });
    h.start();
    await sim.run({ until: us(800 * 6 + 100) });
    expect([h.poolOverflows, ovf]).to.deep.equal([2, 2]); // 256 bytes hold 4 frames of 6
    expect(h.read(1024).length).to.equal(256);
    h.stop();
  });

  it('ETM: a GPIO edge starts the converter (ADC_TASK_START0), each frame raises ADC_EVT_CONV_CMPLT0', async () => {
    const adc = sim.get(AdcContinuous);
    const gpio = sim.get(Gpio);
    const etm = sim.get(Etm);
    const h = adc.newHandle(CFG);
    const edge = gpio.newEtmEvent('pos');
    edge.bindGpio(4);
    const toggle = gpio.newEtmTask('toggle');
    toggle.addGpio(9);
    const a = etm.newChannel();
    a.connect(edge, h.newEtmTask('start'));
    a.enable();
    const b = etm.newChannel();
    b.connect(h.newEtmEvent('conv-done'), toggle);
    b.enable();
    const toggles: number[] = [];
    sim.bus
      .source<{ level: { pin: number } }>('gpio')
      .on('level')
      .subscribe((e) => {
        if (e.data!.pin === 9) toggles.push(e.time);
      });
    h.start(); // armed: the DMA runs, conversions wait for the task
    sim.schedule(us(300), () => gpio.setLevel(4, 1));
    await sim.run({ until: us(2000) });
    const lat = (sim.target.caps.etm!.latencyCycles! * 1e12) / sim.target.caps.etm!.clockHz!;
    expect(toggles).to.deep.equal([us(300) + lat + us(800) + lat, us(300) + lat + us(1600) + lat]);
    h.stop();
  });

  it("refuses bad configurations with the C API's codes, changing nothing", () => {
    const adc = sim.get(AdcContinuous);
    expectEsp(
      () => adc.newHandle({ ...CFG, convFrameSize: 6 }),
      ESP_ERR_INVALID_ARG,
      /conv_frame_size must be a multiple of 4/,
    );
    expectEsp(
      () => adc.newHandle({ ...CFG, sampleFreqHz: 100_000 }),
      ESP_ERR_INVALID_ARG,
      /sample_freq_hz must be 611\.\.83333 on target "c6-adc"/,
    );
    expectEsp(() => adc.newHandle({ ...CFG, channels: [7] }), ESP_ERR_INVALID_ARG, /channels 0\.\.6/);
    const h = adc.newHandle(CFG);
    expectEsp(() => adc.newHandle(CFG), ESP_ERR_NOT_FOUND, /already has a continuous-mode handle/);
    expectEsp(() => h.stop(), ESP_ERR_INVALID_STATE, /not started/);
    h.start();
    expectEsp(() => h.start(), ESP_ERR_INVALID_STATE, /already started/);
    expectEsp(() => h.deinit(), ESP_ERR_INVALID_STATE, /stop the ADC first/);
  });

  it('its caps section and its trigger are checked by the target, with the path', () => {
    const bad = (fn: () => unknown, match: RegExp): void => expectEsp(fn, ESP_ERR_INVALID_ARG, match);
    bad(
      () => extendTarget(esp32c6, { name: 'x', plugins: (p) => [...p, adcContinuous()] }),
      /caps\.adc: required by plugin "adc-continuous"/,
    );
    bad(
      () => extendTarget(c6Adc, { name: 'x', caps: { adc: { maxSampleHz: 'fast' as unknown as number } } }),
      /caps\.adc\.maxSampleHz: Invalid input: expected number/,
    );
    bad(
      () => extendTarget(c6Adc, { name: 'x', caps: { adc: { bytesPerConversion: 2 as 4 } } }),
      /caps\.adc\.bytesPerConversion/,
    );
    // another plugin claiming the ADC's DMA trigger fails at extendTarget, not at connect
    const rival = definePlugin({
      name: 'rival',
      dmaTriggers: [{ dma: 'gdma', peripheral: 'PARLIO', id: 8 }],
      load: () => undefined,
    });
    bad(
      () => extendTarget(c6Adc, { name: 'x', plugins: (p) => [...p, rival] }),
      /plugin "rival" declares gdma trigger PARLIO = 8, which plugin "adc-continuous" declares too/,
    );
    // on the ESP32-C3, ID 8 is a free memory-to-memory trigger: the declaration is refused there
    bad(
      () =>
        extendTarget(esp32c3, { name: 'c3-adc', plugins: (p) => [...p, adcContinuous()], caps: { adc: C6_ADC_CAPS } }),
      /plugin "adc-continuous" declares gdma trigger ADC = 8, but ID 8 is free for memory-to-memory use on this target \(mask 0x1cd\)/,
    );
    // a target without the ETM plugin: the ADC offers no ETM IDs and refuses ETM handles
    const noEtm = assembleSimulation(
      extendTarget(c6Adc, { name: 'c6-adc-no-etm', plugins: (p) => p.filter((x) => x.name !== 'etm') }),
    );
    expectEsp(
      () => noEtm.get(AdcContinuous).newHandle(CFG).newEtmTask('start'),
      ESP_ERR_NOT_SUPPORTED,
      /target "c6-adc-no-etm" has no ADC ETM/,
    );
  });
});
