import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { Core } from '../../core/tokens.js';
import { us } from '../../core/time.js';
import { DescriptorMemory } from '../../plugins/dma/engine/descriptor.js';
import { GdmaDriver } from '../../plugins/dma/gdma/index.js';
import { fieldScenarios } from './field.js';

const BYTES = 16;
/** Where the linker put the `const` table: in DROM, the flash mapped at 0x3c000000 on the ESP32-C3. */
const TABLE_IN_DROM = 0x3c00_4000;
/** 16 bytes at 10 MHz on the wire. */
const WIRE_US = (BYTES * 8) / 10;

const hexBytes = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/**
 * The driver esp-hal had in July 2023, on the ESP32-C3: a GDMA TX channel connected to SPI2 and given a
 * descriptor whose buffer is the caller's slice as is. `fromFlash`: the slice is a `const` array, which the
 * linker places in DROM. The SPI clocks the bytes out (MOSI) as the DMA supplies them; where the DMA supplies
 * nothing the SPI's FIFO sends 0x00 (its reset content, as plugins/spi does for an unconnected DMA).
 */
function send(sim: Simulation, ctx: ScenarioContext, fromFlash: boolean): void {
  const drv = sim.get(GdmaDriver);
  const mem = sim.get(Core.Memory);
  const dm = new DescriptorMemory(mem);
  const table = Uint8Array.from({ length: BYTES }, (_, i) => 0xa0 + i);
  mem.program(TABLE_IN_DROM, table); // the flashed image: the const lives in DROM
  const tx = drv.newChannel('tx', { owner: 'esp-hal spi' });
  tx.connect({ peripheral: 'SPI2' });
  const txd = sim.memory.alloc(12, { caps: ['dma', 'internal'], align: 4 });
  sim.spawn('app', async () => {
    let buffer = TABLE_IN_DROM;
    if (!fromFlash) {
      // the fix: copy the const into a DMA-capable buffer in internal SRAM first (a DmaTxBuf)
      buffer = sim.memory.alloc(BYTES, { caps: ['dma'], align: 4 });
      await sim.cpu.memcpy(buffer, TABLE_IN_DROM, BYTES);
    }
    dm.write(txd, { size: BYTES, length: BYTES, owner: 1, sucEof: true, buffer, next: 0 });
    tx.start(txd);
    await sim.delay(us(WIRE_US)); // the SPI shifts the frame out
    const mosi = new Uint8Array(BYTES); // 0x00 where the DMA supplied nothing
    const got = drv.peripheralRead(tx, mosi, 0, BYTES);
    const same = mosi.every((b, i) => b === table[i]);
    ctx.log(
      `spi: MOSI sent ${hexBytes(mosi)} (${got} of ${BYTES} bytes from the DMA: ${same ? 'the table' : 'not the table'})`,
    );
  });
}

/**
 * esp-rs/esp-hal#674 "DMA Handle writing data where source data is not in RAM" (ESP32-C3): SPI with DMA sends a
 * `const` array; the clock runs but MOSI sends zeros. The GDMA only takes buffers in internal SRAM (TRM 2.4.5,
 * buffer address check): the descriptor pointing into DROM is a descriptor error, and the SPI sends its FIFO's
 * 0x00 instead. The finding (dma.descriptor-error) names the buffer's region and says to use DMA-capable memory.
 */
export const [fieldDmaFromFlash, fieldDmaFromFlashFixed] = fieldScenarios({
  name: 'dma-from-flash',
  thread: 'esp-rs/esp-hal#674',
  summary:
    'a GDMA TX descriptor points at a const array in DROM: the DMA refuses it and MOSI sends 0x00 (dma.descriptor-error)',
  target: 'esp32c3',
  targets: ['esp32c3'],
  broken: (sim, ctx) => send(sim, ctx, true),
  fixed: (sim, ctx) => send(sim, ctx, false),
});
