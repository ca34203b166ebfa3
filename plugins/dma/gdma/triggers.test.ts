import { expect } from 'chai';
import { EspError, ESP_ERR_INVALID_ARG } from '../../../core/errors.js';
import { definePlugin, type DmaTriggerDeclaration } from '../../../core/plugin/plugin.js';
import { assembleSimulation } from '../../../core/simulation.js';
import { extendTarget } from '../../../core/target/target.js';
import { esp32c6, esp32p4 } from '../../../targets/index.js';
import { GdmaDriver } from './tokens.js';

// A peripheral plugin that owns DMA triggers and nothing else.
const owner = (name: string, ...dmaTriggers: DmaTriggerDeclaration[]): ReturnType<typeof definePlugin> =>
  definePlugin({ name, dmaTriggers, load: () => undefined });
// ESP32-C6 gdma_channel.h: SOC_GDMA_TRIG_PERIPH_ADC0 8
const ADC: DmaTriggerDeclaration = { dma: 'gdma', peripheral: 'ADC', id: 8 };

function refused(fn: () => unknown, match: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EspError);
    expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
    expect((e as Error).message).to.match(match);
    return;
  }
  expect.fail('expected an EspError');
}

describe('DMA triggers a plugin declares', () => {
  it("a declared trigger joins the DMA's table: its channel connects by name and takes the ID", () => {
    const t = extendTarget(esp32c6, { name: 'c6-adc', plugins: (p) => [...p, owner('adc', ADC)] });
    const drv = assembleSimulation(t).get(GdmaDriver);
    const rx = drv.newChannel('rx');
    rx.connect({ peripheral: 'ADC' });
    expect(rx.trigger).to.deep.equal({ peripheral: 'ADC' });
    // the ID is taken: 8 is not offered for memory-to-memory, and a second RX channel cannot take ADC
    expect((drv.freeM2mTriggerMask() >>> 8) & 1).to.equal(0);
    expect(() => drv.newChannel('rx').connect({ peripheral: 'ADC' })).to.throw(/peripheral 8 is already used/);
  });

  it("without the declaration the same connect is refused (the table is the chip's)", () => {
    const drv = assembleSimulation(esp32c6).get(GdmaDriver);
    expect(() => drv.newChannel('rx').connect({ peripheral: 'ADC' })).to.throw(
      /no peripheral trigger "ADC" \(has SPI2\)/,
    );
  });

  it("agrees with the chip's table where it names the peripheral", () => {
    const withAdc = { gdma: { peripheralTriggers: { SPI2: 0, ADC: 8 } } };
    expect(() =>
      extendTarget(esp32c6, { name: 'ok', caps: withAdc, plugins: (p) => [...p, owner('adc', ADC)] }),
    ).to.not.throw();
    refused(
      () =>
        extendTarget(esp32c6, { name: 'bad', caps: withAdc, plugins: (p) => [...p, owner('adc', { ...ADC, id: 9 })] }),
      /plugins\[6\]\.dmaTriggers\[0\]: plugin "adc" declares gdma trigger ADC = 9, but caps\.gdma\.peripheralTriggers gives ADC the ID 8/,
    );
  });

  it('refuses an ID another peripheral of the chip has, or that is free for memory-to-memory use', () => {
    refused(
      () => extendTarget(esp32c6, { name: 'x', plugins: (p) => [...p, owner('adc', { ...ADC, id: 0 })] }),
      /declares gdma trigger ADC = 0, but caps\.gdma\.peripheralTriggers gives ID 0 to SPI2/,
    );
    refused(
      () => extendTarget(esp32c6, { name: 'x', plugins: (p) => [...p, owner('adc', { ...ADC, id: 4 })] }),
      /ID 4 is free for memory-to-memory use on this target \(mask 0xfc32\)/,
    );
  });

  it('refuses two plugins declaring one ID or one name, naming both, at extendTarget (not at connect)', () => {
    refused(
      () =>
        extendTarget(esp32c6, {
          name: 'x',
          plugins: (p) => [...p, owner('adc', ADC), owner('adc2', { ...ADC, peripheral: 'ADC2' })],
        }),
      /plugins\[7\]\.dmaTriggers\[0\]: plugin "adc2" declares gdma trigger ADC2 = 8, which plugin "adc" declares too/,
    );
    refused(
      () =>
        extendTarget(esp32c6, {
          name: 'x',
          plugins: (p) => [...p, owner('adc', ADC), owner('adc2', { ...ADC, id: 9 })],
        }),
      /plugin "adc2" declares gdma trigger ADC = 9, which plugin "adc" declares too/,
    );
  });

  it('refuses a table giving one ID to two peripherals, with its path', () => {
    refused(
      () => extendTarget(esp32c6, { name: 'x', caps: { gdma: { peripheralTriggers: { SPI2: 0, I2S0: 0 } } } }),
      /caps\.gdma\.peripheralTriggers: gdma trigger ID 0 is given to both SPI2 and I2S0/,
    );
    refused(
      () => extendTarget(esp32p4, { name: 'x', caps: { gdma: { axi: { peripheralTriggers: { SPI2: 1, SPI3: 1 } } } } }),
      /caps\.gdma\.axi\.peripheralTriggers: gdma-axi trigger ID 1 is given to both SPI2 and SPI3/,
    );
  });

  it('refuses a trigger on a DMA the target lacks, and an ID outside 0..31', () => {
    refused(
      () => extendTarget(esp32c6, { name: 'x', plugins: (p) => [...p, owner('adc', { ...ADC, dma: 'cpdma' })] }),
      /plugin "adc" declares cpdma trigger ADC = 8, but the target has no plugin "cpdma"/,
    );
    refused(
      () => extendTarget(esp32c6, { name: 'x', plugins: (p) => [...p, owner('adc', { ...ADC, id: 32 })] }),
      /plugins\[6\]\.dmaTriggers\[0\]\.id: Too big/,
    );
  });
});
