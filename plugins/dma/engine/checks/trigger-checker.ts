import type { EventBus, SimEvent } from '../../../../core/bus/event-bus.js';
import type { Checker, CheckerContext } from '../../../../core/diagnostics/checker.js';
import { hex } from '../../../../core/errors.js';
import type { DmaDir } from '../channel-api.js';
import type { DmaBusEvents, DmaConnectEvent } from '../engine.js';

/** What the trigger checker knows of the engine it watches. */
export interface TriggerCheckerParams {
  /** Bus source and object prefix: 'gdma', 'gdma-axi'. */
  engine: string;
  /** The target, for messages. */
  target: string;
  peripheralTriggers: Readonly<Record<string, number>>;
  freeM2mTriggerMask: number;
}

const GDMA_C = 'esp-idf components/esp_hw_support/dma/gdma.c (gdma_connect: "peripheral %d is already used")';
const IDF_10575 =
  "esp-idf#10575 (ESP32-C3: async memcpy installed before SPI takes trigger 0; spi_bus_initialize ignores gdma_connect's error)";

interface ChannelWatch {
  label: string;
  trigger: DmaConnectEvent | undefined;
  running: boolean;
  startedAt: number;
  reported: boolean;
  /** dma.m2m-takes-peripheral-id was reported for its current connection. */
  warned: boolean;
}

/**
 * DMA trigger ownership: two channels on one trigger ID (the refused gdma_connect a driver may ignore), an
 * M2M channel taking a peripheral's ID, a channel started without a trigger, and a channel started on a
 * trigger that nobody serves (still waiting at the end of the run).
 */
export function dmaTriggerChecker(bus: EventBus, p: TriggerCheckerParams): Checker {
  const byId = new Map<number, string>();
  for (const [name, id] of Object.entries(p.peripheralTriggers)) byId.set(id, name);
  // indexed by pair * 2 + (TX ? 1 : 0): the hot path (every start and EOF) builds no string
  const channels: (ChannelWatch | undefined)[] = [];
  /** M2M channels connected to an ID that is a peripheral's, in connection order. */
  const m2mOnPeripheralIds: ChannelWatch[] = [];
  const label = (pair: number, dir: DmaDir): string => `${p.engine} pair ${pair} ${dir.toUpperCase()}`;
  const watch = (pair: number, dir: DmaDir): ChannelWatch => {
    const k = pair * 2 + (dir === 'tx' ? 1 : 0);
    let w = channels[k];
    if (!w) {
      w = { label: label(pair, dir), trigger: undefined, running: false, startedAt: 0, reported: false, warned: false };
      channels[k] = w;
    }
    return w;
  };

  return {
    name: 'dma-trigger',
    rules: [
      { id: 'dma.trigger-conflict', summary: 'gdma_connect refused: the trigger ID is held by another channel' },
      {
        id: 'dma.m2m-takes-peripheral-id',
        summary:
          "a memory-to-memory channel holds a peripheral's trigger ID and that peripheral's gdma_connect is refused",
      },
      { id: 'dma.start-unconnected', summary: 'a channel started without gdma_connect' },
      {
        id: 'dma.trigger-unserved',
        summary: 'a channel started on a trigger nobody serves: still waiting at the end of the run',
      },
      { id: 'etm.gdma-software-start', summary: 'gdma_start on a channel the ETM starts (its START task exists)' },
    ],
    start(ctx: CheckerContext) {
      // channel starts come with every transfer: their own listener, no dispatch on the type
      const onStart = (e: SimEvent): void => {
        const c = e.data as DmaBusEvents['channel-start'];
        const w = watch(c.pair, c.dir);
        // only a channel on a peripheral's trigger can be left unserved at the end of the run: its end
        // (stop, EOF, error) is listened to from the first such start on, so M2M copies cost one event each
        w.running = w.trigger?.peripheral !== undefined;
        if (w.running) listenForEnds();
        w.startedAt = e.time;
        w.reported = false;
        if (!w.trigger) {
          ctx.report({
            rule: 'dma.start-unconnected',
            severity: 'error',
            objects: [label(c.pair, c.dir)],
            message: `started at descriptor ${hex(c.descriptor)} without gdma_connect: no trigger is selected (peri_sel is "none"), so nothing requests its data`,
            fix: 'gdma_connect the channel to its peripheral (or to an M2M trigger ID) before gdma_start',
            refs: [GDMA_C],
          });
        } else if (w.trigger.peripheral === undefined) {
          const other = channels[c.pair * 2 + (c.dir === 'tx' ? 0 : 1)]?.trigger;
          if (other?.id !== w.trigger.id) {
            ctx.report({
              rule: 'dma.trigger-unserved',
              severity: 'error',
              objects: [label(c.pair, c.dir)],
              message:
                `started on M2M trigger ID ${w.trigger.id}, but the pair's ${c.dir === 'tx' ? 'RX' : 'TX'} channel is ` +
                (other ? `on trigger ID ${other.id}` : 'not connected') +
                ': nobody serves the other end of the copy',
              fix: 'connect both channels of the pair to the same M2M trigger ID (gdma_connect TX and RX with GDMA_MAKE_TRIGGER(GDMA_TRIG_PERIPH_M2M, id))',
              refs: [GDMA_C],
            });
            w.reported = true;
          }
        }
      };
      const onEvent = (e: SimEvent): void => {
        const d = e.data as DmaBusEvents[keyof DmaBusEvents];
        switch (e.type) {
          case 'connect': {
            const c = d as DmaConnectEvent;
            const w = watch(c.pair, c.dir);
            w.trigger = c;
            w.warned = false;
            // an M2M channel on a peripheral's ID is only noted: it matters once that peripheral's driver tries to
            // connect (the refusal below), and a program that never uses the peripheral stays quiet
            if (c.peripheral === undefined && byId.has(c.id)) m2mOnPeripheralIds.push(w);
            break;
          }
          case 'disconnect': {
            const c = d as DmaConnectEvent;
            const w = watch(c.pair, c.dir);
            w.trigger = undefined;
            const i = m2mOnPeripheralIds.indexOf(w);
            if (i >= 0) m2mOnPeripheralIds.splice(i, 1);
            break;
          }
          case 'connect-refused': {
            const c = d as DmaBusEvents['connect-refused'];
            const owner = byId.get(c.triggerId);
            // the M2M channels holding this peripheral's ID (both halves of the pair, in the order they connected)
            for (const w of m2mOnPeripheralIds) {
              // only the peripheral's own connect counts (another M2M user asking for the ID is a plain conflict)
              if (w.warned || w.trigger?.id !== c.triggerId || owner === undefined || c.trigger !== owner) continue;
              w.warned = true;
              ctx.report({
                rule: 'dma.m2m-takes-peripheral-id',
                severity: 'warning',
                objects: [w.label, owner],
                message:
                  `memory-to-memory channel took trigger ID ${c.triggerId}, which is ${owner}'s on ${p.target} ` +
                  `(free M2M mask 0x${p.freeM2mTriggerMask.toString(16)} includes it), and ${owner}'s gdma_connect is now refused while this channel holds it`,
                fix: `initialise ${owner} (spi_bus_initialize) before installing async memcpy, so that the M2M channel takes another ID`,
                refs: [IDF_10575, GDMA_C],
              });
            }
            const holder = `${label(c.heldBy.pair, c.heldBy.dir)} (${c.heldBy.owner}, ${c.heldBy.trigger})`;
            const peripheral = byId.get(c.triggerId);
            ctx.report({
              rule: 'dma.trigger-conflict',
              severity: 'error',
              objects: [`${label(c.pair, c.dir)} (${c.owner})`, holder],
              message:
                `gdma_connect to trigger ID ${c.triggerId} (${c.trigger}) refused with ESP_ERR_INVALID_STATE: ${holder} already holds it. ` +
                `A driver that ignores this return (spi_bus_initialize does) runs with a DMA that is not connected` +
                (peripheral ? `: ${peripheral} sends garbage` : ''),
              fix: `free the ID first (gdma_disconnect on ${c.heldBy.owner}'s channel), or initialise the peripheral's driver before the memory-to-memory user`,
              refs: [GDMA_C, IDF_10575],
            });
            break;
          }
          case 'start-refused': {
            const c = d as DmaBusEvents['start-refused'];
            ctx.report({
              rule: 'etm.gdma-software-start',
              severity: 'error',
              objects: [label(c.pair, c.dir)],
              message:
                "gdma_start refused with ESP_ERR_INVALID_STATE: the channel's ETM START task was created (gdma_new_etm_task), so only the ETM starts it",
              fix: 'start the channel either from the ETM (its START task) or from software, not both; delete the ETM task to start it by hand',
              refs: [
                'esp-idf components/esp_hw_support/dma/gdma_etm.c (gdma_new_etm_task: the channel is flagged start_by_etm)',
                GDMA_C,
              ],
            });
            break;
          }
          case 'channel-stop':
          case 'eof':
          case 'descr-error': {
            const c = d as { pair: number; dir?: DmaDir };
            if (c.dir !== undefined) watch(c.pair, c.dir).running = false;
            break;
          }
        }
      };
      const source = bus.source<DmaBusEvents>(p.engine);
      const removals = [
        source.listen(onEvent, ['connect', 'disconnect', 'connect-refused', 'start-refused']),
        source.listen(onStart, ['channel-start']),
      ];
      let endsHeard = false;
      const listenForEnds = (): void => {
        if (endsHeard) return;
        endsHeard = true;
        removals.push(source.listen(onEvent, ['channel-stop', 'eof', 'descr-error']));
      };
      return () => {
        for (const r of removals.splice(0)) r();
      };
    },
    endOfRun(ctx: CheckerContext) {
      for (const w of channels) {
        if (!w || !w.running || w.reported || !w.trigger || w.trigger.peripheral === undefined) continue;
        w.reported = true;
        ctx.report({
          rule: 'dma.trigger-unserved',
          severity: 'warning',
          objects: [w.label, w.trigger.peripheral],
          message: `started on ${w.trigger.peripheral}'s trigger (ID ${w.trigger.id}) and still waiting at the end of the run: ${w.trigger.peripheral} never requested or took its data`,
          fix: `start a transaction on ${w.trigger.peripheral} (or stop the channel); check that ${w.trigger.peripheral}'s driver uses this channel`,
          refs: [GDMA_C],
        });
      }
    },
  };
}
