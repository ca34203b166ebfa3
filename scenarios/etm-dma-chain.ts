import type { Scenario } from '../core/config/config.js';
import type { Simulation } from '../core/simulation.js';
import { DescriptorMemory, writeLinearList } from '../plugins/dma/engine/descriptor.js';
import { Core } from '../core/tokens.js';
import { formatTime, us } from '../core/time.js';
import { Etm, type EtmFire } from '../plugins/etm/index.js';
import { GdmaDriver } from '../plugins/dma/gdma/index.js';
import { Gpio, type GpioLevel } from '../plugins/gpio/index.js';
import { GpTimer, type GpTimerAlarm } from '../plugins/gptimer/index.js';

export const CHAIN_BYTES = 4096;
export const CHAIN_PIN = 5;
const ALARM_TICKS = 100; // 100 us at 1 MHz

export interface DmaChain {
  src: number;
  dst: number;
  /** The RX channel's IN_SUC_EOF event, the end of the chain's copy. */
  eofEventId: number;
}

/**
 * Wires a chain with no CPU in it: GPTimer alarm -> ETM -> GDMA OUT_START and IN_START of a memory-to-memory
 * transfer prepared beforehand -> GDMA IN_SUC_EOF -> ETM -> GPIO toggle. Returns the buffers; the timer is
 * started, so `sim.run()` plays the chain.
 */
export function wireTimerDmaGpioChain(sim: Simulation): DmaChain {
  const etm = sim.get(Etm);
  const gpio = sim.get(Gpio);
  const dma = sim.get(GdmaDriver);
  const dm = new DescriptorMemory(sim.get(Core.Memory));

  // The prepared transfer: buffers, descriptor lists, an M2M pair whose START belongs to the ETM.
  const src = sim.memory.alloc(CHAIN_BYTES, { caps: ['dma'] });
  const dst = sim.memory.alloc(CHAIN_BYTES, { caps: ['dma'] });
  sim.memory.write(
    src,
    new Uint8Array(CHAIN_BYTES).map((_, i) => (i * 13 + 7) & 0xff),
  );
  const descs = Math.ceil(CHAIN_BYTES / 4092);
  const fmt = dma.descriptor;
  const txd = sim.memory.alloc(fmt.bytes * descs, { caps: ['dma', 'internal'], align: fmt.align });
  const rxd = sim.memory.alloc(fmt.bytes * descs, { caps: ['dma', 'internal'], align: fmt.align });
  writeLinearList(dm, txd, src, CHAIN_BYTES, 4092, true, true, fmt);
  writeLinearList(dm, rxd, dst, CHAIN_BYTES, 4092, false, true, fmt);
  const { tx, rx } = dma.newChannelPair({ m2m: true });
  const mask = dma.freeM2mTriggerMask();
  const trig = 31 - Math.clz32(mask & -mask);
  tx.connect({ m2m: trig });
  rx.connect({ m2m: trig });
  // as a driver does (async memcpy): descriptor checks and write-back, burst 16; a new GDMA channel has none
  for (const c of [tx, rx]) {
    c.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
    c.configTransfer({ maxDataBurstSize: 16 });
  }
  const txStart = dma.newEtmTask(tx, 'start');
  const rxStart = dma.newEtmTask(rx, 'start');
  tx.setDescriptorAddr(txd);
  rx.setDescriptorAddr(rxd);
  const eof = dma.newEtmEvent(rx, 'eof');

  const timer = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
  const alarm = timer.newEtmEvent('alarm-match');
  const toggle = gpio.newEtmTask('toggle');
  toggle.addGpio(CHAIN_PIN);
  for (const [event, task] of [
    [alarm, rxStart],
    [alarm, txStart],
    [eof, toggle],
  ] as const) {
    const ch = etm.newChannel();
    ch.connect(event, task);
    ch.enable();
  }
  timer.setAlarmAction({ alarmCount: ALARM_TICKS });
  timer.enable();
  timer.start();
  return { src, dst, eofEventId: eof.id };
}

/** The default scenario: the chain as a readable timeline. */
export const etmDmaChain: Scenario = {
  name: 'etm-dma-chain',
  description: 'GPTimer alarm -> ETM -> GDMA M2M start; GDMA EOF -> ETM -> GPIO toggle: a chain with no CPU in it',
  target: 'esp32c6',
  targets: ['esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4', 'esp32c3-etm'],
  setup(sim, ctx) {
    const etm = sim.get(Etm);
    const name = (id: number, kind: 'event' | 'task'): string =>
      `${(kind === 'event' ? etm.eventName(id) : etm.taskName(id)) ?? '?'} (${id})`;
    let start = 0;
    const sub = sim.bus.all$.subscribe((e) => {
      if (e.source === 'gptimer' && e.type === 'alarm') {
        ctx.log(`gptimer${(e.data as GpTimerAlarm).timer}: alarm at count ${(e.data as GpTimerAlarm).alarmValue}`);
      } else if (e.source === 'etm' && e.type === 'fire') {
        const f = e.data as EtmFire;
        ctx.log(`  etm ch${f.channel}: ${name(f.event, 'event')} ==> ${name(f.task, 'task')}`);
      } else if (e.source === 'gdma' && e.type === 'channel-start') {
        const d = e.data as { pair: number; dir: string };
        if (d.dir === 'rx') start = sim.now;
        ctx.log(`  gdma pair ${d.pair} ${d.dir.toUpperCase()} started by the ETM`);
      } else if (e.source === 'gdma' && e.type === 'eof') {
        const d = e.data as { pair: number; dir: string; bytes: number };
        ctx.log(
          `  gdma pair ${d.pair} ${d.dir === 'rx' ? 'IN_SUC_EOF' : 'OUT_EOF'} (${d.bytes} B moved${d.dir === 'rx' ? `, ${formatTime(sim.now - start)} after start` : ''})`,
        );
      } else if (e.source === 'gpio' && e.type === 'level') {
        const l = e.data as GpioLevel;
        ctx.log(`  GPIO${l.pin} -> ${l.level}`);
      }
    });
    const chain = wireTimerDmaGpioChain(sim);
    ctx.log(
      `app: ${CHAIN_BYTES} B transfer prepared, timer armed for ${ALARM_TICKS} us; ETM latency ${formatTime(etm.latencyPs)}; the CPU now leaves`,
    );
    for (const line of etm.dump().trimEnd().split('\r\n')) ctx.log(`app: ${line}`);
    sim.spawn('check', async () => {
      await sim.delay(us(200));
      sub.unsubscribe();
      const src = sim.memory.read(chain.src, CHAIN_BYTES);
      const dst = sim.memory.read(chain.dst, CHAIN_BYTES);
      ctx.log(
        `app: GPIO${CHAIN_PIN} is ${sim.get(Gpio).getLevel(CHAIN_PIN)}; destination ${src.every((b, i) => b === dst[i]) ? 'matches' : 'DOES NOT match'} the source`,
      );
    });
  },
};
