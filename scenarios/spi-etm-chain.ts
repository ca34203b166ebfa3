import type { Scenario } from '../core/config/config.js';
import type { Simulation } from '../core/simulation.js';
import { formatTime } from '../core/time.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { Etm, type EtmFire } from '../plugins/etm/index.js';
import { Spi, type SpiTransfer } from '../plugins/spi/index.js';

export const SPI_CHAIN_BYTES = 4096;
export const SPI_CHAIN_CLOCK_HZ = 40_000_000;

/** The instants of the chain, in ps (undefined until they happen). */
export interface SpiChainTimeline {
  copyStart?: number;
  copyDone?: number;
  etmFire?: number;
  spiStart?: number;
  spiDone?: number;
}

export interface SpiChain {
  src: number;
  /** The buffer async memcpy fills and the SPI sends. */
  buffer: number;
  /** Where the SPI receives (MOSI is looped back to MISO). */
  rx: number;
  transfer: SpiTransfer;
  timeline: SpiChainTimeline;
  stop(): void;
}

/**
 * The mission's chain, with no CPU between its links: async memcpy fills a buffer; its COPY_DONE event goes
 * through an ETM channel to the SPI2 "start transaction" task, which starts the DMA transaction prepared to
 * send that buffer. Needs a target whose SPI offers that task (caps.spi.etm: beyond silicon).
 */
export function wireMemcpySpiChain(sim: Simulation): SpiChain {
  const etm = sim.get(Etm);
  const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true, maxTransferSize: SPI_CHAIN_BYTES });
  const dev = bus.addDevice({ clockSpeedHz: SPI_CHAIN_CLOCK_HZ });
  const memcpy = sim.get(AsyncMemcpy).install();
  const src = sim.memory.alloc(SPI_CHAIN_BYTES, { caps: ['dma', 'internal'] });
  const buffer = sim.memory.alloc(SPI_CHAIN_BYTES, { caps: ['dma', 'internal'] });
  const rx = sim.memory.alloc(SPI_CHAIN_BYTES, { caps: ['dma', 'internal'] });
  sim.memory.write(
    src,
    Uint8Array.from({ length: SPI_CHAIN_BYTES }, (_, i) => (i * 37 + 11) & 0xff),
  );

  const ch = etm.newChannel();
  ch.connect(memcpy.newEtmEvent('copy-done'), bus.newEtmTask('start-transaction'));
  ch.enable();

  const timeline: SpiChainTimeline = {};
  const sub = sim.bus.all$.subscribe((e) => {
    if (e.source === 'async-memcpy' && e.type === 'copy-start') timeline.copyStart ??= e.time;
    else if (e.source === 'async-memcpy' && e.type === 'copy-done') timeline.copyDone ??= e.time;
    else if (
      e.source === 'etm' &&
      e.type === 'fire' &&
      etm.taskName((e.data as EtmFire).task) === 'SPI2_TASK_START_TRANS'
    )
      timeline.etmFire ??= e.time;
    else if (e.source === 'spi' && e.type === 'trans-start') timeline.spiStart ??= e.time;
    else if (e.source === 'spi' && e.type === 'trans-done') timeline.spiDone ??= e.time;
  });
  // the copy is queued first, then the SPI transaction that sends its destination is programmed
  void memcpy.memcpy(buffer, src, SPI_CHAIN_BYTES);
  const transfer = dev.prepareEtmTransaction({ tx: buffer, rx, length: SPI_CHAIN_BYTES });
  return { src, buffer, rx, transfer, timeline, stop: () => sub.unsubscribe() };
}

const at = (t: number | undefined): string => (t === undefined ? 'never' : formatTime(t));
const dt = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined ? '?' : formatTime(b - a);

/** async memcpy COPY_DONE -> ETM -> SPI DMA transaction of the copied buffer: the timeline with its latencies. */
export const spiEtmChain: Scenario = {
  name: 'spi-etm-chain',
  description:
    'async memcpy fills a buffer; COPY_DONE -> ETM -> SPI2 start task sends it by DMA: no CPU between the links',
  target: 'esp32c6-spi-etm',
  targets: ['esp32c6-spi-etm'],
  setup(sim, ctx) {
    const etm = sim.get(Etm);
    const chain = wireMemcpySpiChain(sim);
    for (const line of etm.dump().trimEnd().split('\r\n')) ctx.log(`app: ${line}`);
    ctx.log(
      `app: ${SPI_CHAIN_BYTES} B copy queued, SPI2 transaction of its destination prepared (${SPI_CHAIN_CLOCK_HZ / 1e6} MHz, loopback); the CPU leaves`,
    );
    sim.spawn('app', async () => {
      await chain.transfer.wait();
      chain.stop();
      const t = chain.timeline;
      ctx.log(
        `timeline: copy start ${at(t.copyStart)}, copy done ${at(t.copyDone)}, ETM fire ${at(t.etmFire)}, SPI start ${at(t.spiStart)}, SPI done ${at(t.spiDone)}`,
      );
      ctx.log(
        `latencies: copy ${dt(t.copyStart, t.copyDone)}; copy done -> ETM task ${dt(t.copyDone, t.etmFire)} (ETM latency ${formatTime(etm.latencyPs)}); ` +
          `ETM task -> SPI start ${dt(t.etmFire, t.spiStart)}; SPI on the wire ${dt(t.spiStart, t.spiDone)}; end to end ${dt(t.copyStart, t.spiDone)}`,
      );
      const sent = sim.memory.read(chain.src, SPI_CHAIN_BYTES);
      const got = sim.memory.read(chain.rx, SPI_CHAIN_BYTES);
      ctx.log(
        `app: MISO (looped back) ${sent.every((b, i) => b === got[i]) ? 'matches' : 'DOES NOT match'} the copied source`,
      );
    });
  },
};
