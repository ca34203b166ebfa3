import { expect } from 'chai';
import {
  createSimulation,
  defineConfig,
  defineTarget,
  ESP_ERR_INVALID_ARG,
  extendTarget,
  esp32,
  esp32c3,
  esp32c5,
  esp32c6,
  esp32c61,
  esp32h2,
  esp32p4,
  esp32s2,
  esp32s3,
  loadDefaultConfig,
  type TargetDefinition,
} from 'soc-fabric';
import { expectEsp } from './helpers/sim.js';

/** `fn` is refused with ESP_ERR_INVALID_ARG and a message matching `match`. */
const throwsArg = (fn: () => unknown, match: RegExp): void => expectEsp(fn, ESP_ERR_INVALID_ARG, match);

describe('targets and config', () => {
  it('the built-in config declares the nine targets with SILICON.md capabilities', async () => {
    const config = await loadDefaultConfig();
    const byName = new Map(config.targets.map((t) => [t.name, t]));
    for (const n of ['esp32', 'esp32s2', 'esp32s3', 'esp32c3', 'esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4'])
      expect(byName.has(n), n).to.equal(true);
    expect(esp32.caps.asyncMemcpy).to.equal(false);
    expect(esp32s2.caps.cpdma).to.deep.include({ channels: 1, maxDescriptorBytes: 4095 });
    expect(esp32s3.caps.gdma).to.include({
      ahbPairs: 5,
      m2mPairMask: 0x1f,
      freeM2mTriggerMask: 0x3ff,
      psramAccess: true,
      etm: false,
    });
    expect(esp32c3.caps.gdma).to.include({
      ahbPairs: 3,
      m2mPairMask: 0x07,
      freeM2mTriggerMask: 0x1cd,
      psramAccess: false,
    });
    // the ETM family: 50 ETM channels, 8/8 GPIO ETM channels, GPTimer and GDMA ETM on all five
    for (const t of [esp32c5, esp32c6, esp32c61, esp32h2, esp32p4]) {
      expect(t.caps.gdma, t.name).to.include({ etm: true });
      expect(t.caps.etm, t.name).to.deep.include({ channels: 50 });
      expect(t.caps.gpio!.etm, t.name).to.deep.include({ eventChannels: 8, taskChannels: 8 });
      expect(t.caps.gptimer!.etm, t.name).to.equal(true);
    }
    // SILICON.md's ESP32-P4 column: 3 AHB + 3 AXI pairs, M2M masks AHB 0x06 / AXI 0x07, DMA to PSRAM, SPI2+SPI3 on AXI GDMA
    expect(esp32p4.caps.gdma).to.include({
      ahbPairs: 3,
      axiPairs: 3,
      m2mPairMask: 0x06,
      axiM2mPairMask: 0x07,
      psramAccess: true,
    });
    expect(esp32p4.caps.gdma!.axi).to.deep.include({ psramAccess: true, peripheralTriggers: { SPI2: 1, SPI3: 2 } });
    expect(esp32p4.caps.spi).to.include({ dma: 'gdma-axi' });
    expect(esp32p4.caps.spi!.hosts).to.deep.equal(['SPI2', 'SPI3']);
    // the C61's two GDMA pairs, the C5's three
    expect(esp32c61.caps.gdma).to.include({ ahbPairs: 2, m2mPairMask: 0x03 });
    expect(esp32c5.caps.gdma).to.include({ ahbPairs: 3, m2mPairMask: 0x07 });
    for (const t of [esp32c5, esp32c61, esp32p4]) {
      expect(t.caps.psram, t.name).to.equal(true);
      expect(
        t.memory.some((r) => r.kind === 'psram' && r.dmaCapable),
        t.name,
      ).to.equal(true);
    }
    for (const t of [esp32c6, esp32h2]) {
      expect(t.caps.gdma).to.include({ ahbPairs: 3, freeM2mTriggerMask: 0xfc32, etm: true });
      expect(t.caps.etm).to.deep.include({ channels: 50 });
      expect(t.caps.gpio!.etm).to.deep.include({ eventChannels: 8, taskChannels: 8 });
      expect(t.caps.gptimer!.etm).to.equal(true);
    }
    expect(esp32.caps.spi!.hosts).to.deep.equal(['SPI2', 'SPI3']);
    expect(esp32c3.caps.spi!.hosts).to.deep.equal(['SPI2']);
    expect(esp32s3.caps.gdma!.peripheralTriggers).to.deep.equal({ SPI2: 0, SPI3: 1 });
    const builtIn = [esp32, esp32s2, esp32s3, esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32p4];
    for (const t of builtIn) expect(t.caps.beyondSilicon, t.name).to.deep.equal([]);
    // the config's custom targets say how they go beyond the silicon
    for (const t of config.targets.filter((x) => !builtIn.includes(x))) {
      expect(t.extends, t.name).to.be.a('string');
      expect(t.caps.beyondSilicon.length, t.name).to.be.greaterThan(0);
    }
    expect(esp32c3.memory.some((r) => r.kind === 'psram')).to.equal(false);
  });

  it('extendTarget merges caps deeply, keeps the base intact and records what goes beyond silicon', () => {
    const wide = extendTarget(esp32c3, {
      name: 'c3-wide',
      caps: { gdma: { ahbPairs: 5, m2mPairMask: 0x1f } },
      beyondSilicon: ['5 GDMA pairs'],
    });
    expect(wide.caps.gdma).to.include({ ahbPairs: 5, m2mPairMask: 0x1f, freeM2mTriggerMask: 0x1cd });
    expect(wide.caps.beyondSilicon).to.deep.equal(['5 GDMA pairs']);
    expect(wide.extends).to.equal('esp32c3');
    expect(esp32c3.caps.gdma!.ahbPairs).to.equal(3);
    const fewer = extendTarget(esp32c3, { name: 'c3-min', plugins: (p) => p.slice(0, 0) });
    expect(fewer.plugins).to.deep.equal([]);
  });

  it('a bad field fails with its path and what was expected', () => {
    throwsArg(
      () => defineTarget({ ...esp32c3, cpu: { freqHz: -5 } }),
      /invalid target "esp32c3": cpu\.freqHz: Too small/,
    );
    throwsArg(
      () => defineTarget({ ...esp32c3, memory: [{ ...esp32c3.memory[0]!, kind: 'dram' as 'sram' }] }),
      /memory\[0\]\.kind: Invalid option: expected one of "sram"\|"psram"/,
    );
    throwsArg(
      () => extendTarget(esp32c3, { name: 'x', caps: { gdma: { ahbPairs: 'five' as unknown as number } } }),
      /caps\.gdma\.ahbPairs: Invalid input: expected number/,
    );
    // a built-in plugin's section is checked on a target that does not list the plugin, too
    throwsArg(
      () => extendTarget(esp32c3, { name: 'x', plugins: [], caps: { gdma: { priorities: 0 } } }),
      /caps\.gdma\.priorities: Too small/,
    );
    throwsArg(
      () => defineTarget({ ...esp32c3, caps: { ...esp32c3.caps, gpio: undefined } }),
      /caps\.gpio: required by plugin "gpio"/,
    );
    throwsArg(
      () =>
        defineTarget({
          ...esp32c3,
          caps: { ...esp32c3.caps, spi: { ...esp32c3.caps.spi!, driverCycles: { queue: -1 } } },
        }),
      /caps\.spi\.driverCycles\.queue: Too small/,
    );
    throwsArg(
      () =>
        defineTarget({
          ...esp32c3,
          memory: [...esp32c3.memory, { name: 'dup', kind: 'sram', base: 0x3fc8_0100, size: 16, dmaCapable: true }],
        }),
      /regions sram and dup overlap/,
    );
    throwsArg(
      () => defineConfig({ targets: [esp32c3], defaultTarget: 'esp32' }),
      /invalid config: defaultTarget: no target named "esp32"/,
    );
    throwsArg(
      () => defineConfig({ targets: [esp32c3, esp32c3] }),
      /targets\[1\]\.name: target "esp32c3" is defined twice/,
    );
    throwsArg(
      () =>
        defineConfig({
          targets: [esp32c3],
          scenarios: [{ name: 's', description: 'd', setup: 5 as unknown as () => void }],
        }),
      /scenarios\[0\]\.setup/,
    );
  });

  it('createSimulation takes a config object and a target definition', async () => {
    const custom: TargetDefinition = extendTarget(esp32c3, { name: 'mine' });
    const sim = await createSimulation({ target: 'mine', config: defineConfig({ targets: [custom] }) });
    expect(sim.target.name).to.equal('mine');
    const direct = await createSimulation({ target: custom });
    expect(direct.target.caps.gdma!.ahbPairs).to.equal(3);
  });

  it('each built-in target assembles, and its memory regions are as declared', async () => {
    for (const t of [esp32, esp32s2, esp32s3, esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32p4]) {
      const sim = await createSimulation({ target: t.name });
      expect(sim.memory.regions.map((r) => r.name).sort()).to.deep.equal(t.memory.map((r) => r.name).sort());
      const a = sim.memory.alloc(1024, { caps: ['dma', 'internal'] });
      expect(sim.memory.regions.find((r) => a >= r.base && a < r.base + r.size)!.kind).to.equal('sram');
      await sim.dispose();
    }
  });
});
