import type { EventBus, EventSource, ObservedFlag } from '../../../core/bus/event-bus.js';
import {
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
  hex,
} from '../../../core/errors.js';
import type { Kernel, ScheduledEvent } from '../../../core/kernel/kernel.js';
import { Batch, type SegmentRecord } from './batch.js';
import type { MemoryMap, Region } from '../../../core/memory/memory.js';
import type { Lease } from '../../../core/memory/leases.js';
import { stampEtmHandle, type EtmEvent, type EtmTask } from '../../contracts/etm.js';
import type {
  DmaChannel,
  DmaChannelCallbacks,
  DmaChannelDriver,
  DmaChannelState,
  DmaDir,
  DmaInterruptLayout,
  DmaRxInterruptBits,
  DmaStrategy,
  DmaTransferConfig,
  DmaTrigger,
  DmaTxInterruptBits,
} from './channel-api.js';
import {
  AHB_DESCRIPTOR,
  DescriptorMemory,
  rxWriteBack,
  txWriteBack,
  word0Length,
  word0Size,
  word0SucEof,
  type DescriptorFormat,
} from './descriptor.js';
import { DmaCostModel, type DmaTiming } from './timing.js';
import { ChannelInterrupts, GDMA_INTERRUPTS, interruptNames, type InterruptHost } from './interrupts.js';

import { dmaEtmIdTable, uniqueIdMap, type DmaEtmIds } from './etm-ids.js';

export interface DmaEngineOptions {
  /** Bus source name and message prefix ('gdma', 'cpdma'). */
  name: string;
  pairs: number;
  m2mPairMask: number;
  freeM2mTriggerMask: number;
  peripheralTriggers: Readonly<Record<string, number>>;
  priorities: number;
  maxDescriptorBytes: number;
  /** Whether buffers in this region are reachable (descriptors must be in DMA-capable SRAM regardless). */
  reaches: (r: Region) => boolean;
  burstNeedsAlignment: boolean;
  timing: DmaTiming;
  etm?: DmaEtmIds;
  /**
   * What a newly allocated channel starts with (default: owner check and TX write-back on, burst 16). GDMA
   * channels start with all off (the registers' reset values): ESP-IDF turns them on only through
   * gdma_apply_strategy / gdma_config_transfer, and drivers that call neither (spi_common.c) run without.
   */
  channelDefaults?: { ownerCheck: boolean; autoWriteBack: boolean; burst: number };
  /**
   * Burst sizes gdma_config_transfer may set where the burst size is adjustable (ESP32-S3's AHB GDMA:
   * gdma_ll_*_set_burst_size takes 16, 32 or 64 and asserts on anything else). Absent: the size is not
   * adjustable and any power of two just enables burst (ESP32-C3/C6/H2).
   */
  burstSizes?: readonly number[];
  /** Descriptor layout (default AHB: 12 bytes, 4-byte aligned; the AXI GDMA's: 16 bytes, 8-byte aligned). */
  descriptor?: DescriptorFormat;
  /** Prefix of the ETM event/task names (default 'GDMA'; the ESP32-P4's soc_etm_source.h says GDMA_AHB / GDMA_AXI). */
  etmPrefix?: string;
  /** Where the interrupt events sit in the channels' registers (default GDMA_INTERRUPTS; the ESP32-C3's differ). */
  interrupts?: DmaInterruptLayout;
}

/** The events a DMA engine publishes on the bus (source 'gdma' or 'cpdma'). */
export type DmaBusEvents = {
  'channel-start': { pair: number; dir: DmaDir; descriptor: number };
  'channel-stop': { pair: number; dir: DmaDir; reason: 'stop' | 'reset' | 'end' | 'error' };
  /** Bytes moved by a batch (or by the part of it done before a stop), and the pair's running total. */
  moved: { pair: number; bytes: number; total: number };
  eof: { pair: number; dir: DmaDir; descriptor: number; bytes: number };
  'descr-error': { pair: number; dir: DmaDir; descriptor: number; reason: string };
  /**
   * gdma_connect refused a trigger ID another channel of the same direction holds ("peripheral %d is already
   * used"): `owner` asked for it, `heldBy` has it. Drivers that ignore the error (spi_common.c, ESP-IDF issue
   * #10575) go on with a channel that is connected to nothing; a diagnostics layer reports this event.
   */
  'connect-refused': {
    pair: number;
    dir: DmaDir;
    owner: string;
    trigger: string;
    triggerId: number;
    heldBy: { pair: number; dir: DmaDir; owner: string; trigger: string };
  };
  /**
   * A driver over this engine refused a configuration for want of descriptors (Zephyr's "Run out of DMA
   * descriptors", -EINVAL): `needed` descriptors of at most `perDescriptor` bytes, `pool` available.
   */
  'descriptor-limit': {
    driver: string;
    channel: number;
    needed: number;
    pool: number;
    perDescriptor: number;
    setting: string;
  };
  /** gdma_connect succeeded: the channel now answers trigger ID `id` (`peripheral` named, or an M2M ID). */
  connect: DmaConnectEvent;
  disconnect: DmaConnectEvent;
  /** gdma_start refused because the channel is started by the ETM (ESP_ERR_INVALID_STATE). */
  'start-refused': { pair: number; dir: DmaDir; reason: 'etm' };
  /**
   * A channel's ISR ran for interrupt bits latched before the channel's current start and never cleared (a stop
   * masked the interrupt source, a start unmasked it): its callbacks report an earlier transfer.
   */
  'stale-interrupt': DmaStaleInterruptEvent;
};
/** Data of 'stale-interrupt': the bits, when they latched, and the stop and start they survived (ps; -1: none). */
export interface DmaStaleInterruptEvent {
  pair: number;
  dir: DmaDir;
  bits: number;
  names: string[];
  latchedAt: number;
  stoppedAt: number;
  startedAt: number;
  /** in_suc_eof_des_addr / out_eof_des_addr when the ISR ran (the earlier transfer's EOF descriptor). */
  eofDescriptor: number;
}
/**
 * Every event type of DmaBusEvents: the engine keeps a live flag per type (whether anyone listens to it). A
 * record, so that a type added to DmaBusEvents and not here fails to compile (its flag would be missing).
 */
const DMA_EVENT_TYPES = Object.keys({
  'channel-start': true,
  'channel-stop': true,
  moved: true,
  eof: true,
  'descr-error': true,
  'connect-refused': true,
  connect: true,
  disconnect: true,
  'start-refused': true,
  'descriptor-limit': true,
  'stale-interrupt': true,
} satisfies Record<keyof DmaBusEvents, true>) as (keyof DmaBusEvents)[];

/** Per event type, whether anything listens to it (kept current by the bus). */
type DmaObserved = { readonly [K in keyof DmaBusEvents]: ObservedFlag };

/** Data of the connect events: the channel, the trigger ID and the peripheral it belongs to (undefined: M2M). */
export interface DmaConnectEvent {
  pair: number;
  dir: DmaDir;
  id: number;
  peripheral: string | undefined;
}

/** A trigger as text: 'SPI2' or 'm2m 0'. */
function triggerText(t: DmaTrigger): string {
  return 'peripheral' in t ? t.peripheral : `m2m ${t.m2m}`;
}

/** One channel's hardware state: its link position (the descriptor it is on, loaded or not) and its settings. */
class Channel implements DmaChannel {
  allocated = false;
  /** Who allocated the channel (newChannel's `owner`), for diagnostics. */
  owner = 'user';
  trigger: DmaTrigger | undefined;
  triggerId = -1;
  priority = 0;
  burst = 16;
  ownerCheck = true;
  autoWriteBack = true;
  driverLeases = false;
  callbacks: DmaChannelCallbacks = {};
  running = false;
  errored = false;
  etmStart = false;
  linkAddr = 0;
  // link position: `cur` is the descriptor being worked on (0: none); fields valid when `loaded`
  cur = 0;
  loaded = false;
  w0 = 0;
  descRegion: Region | undefined;
  bufRegion: Region | undefined;
  buf = 0;
  /** TX: length; RX: size. */
  len = 0;
  next = 0;
  eof = false;
  off = 0;
  /** Bytes the peripheral moved through this channel since its start or its last EOF (what an EOF reports). */
  xferBytes = 0;
  /**
   * The buffers of the list this channel was started on (memory-to-memory only: a peripheral's driver leases
   * its own), held until the transfer ends, errs, is reset, restarted or deleted: a halted (suspended)
   * channel keeps them, as it may go on.
   */
  leases: Lease[] = NO_LEASES;

  readonly isTx: boolean;
  /** INT_RAW / INT_ENA / INT_CLR, the interrupt source and the ISR. */
  readonly interrupts: ChannelInterrupts;
  /** Fault source of a driver-installed ISR. */
  readonly isrSource: string;

  constructor(
    private readonly engine: DmaEngine,
    readonly pair: number,
    readonly direction: DmaDir,
  ) {
    this.isTx = direction === 'tx';
    const layout = engine.opts.interrupts ?? GDMA_INTERRUPTS;
    this.interrupts = new ChannelInterrupts(engine, this, this.isTx ? layout.tx : layout.rx);
    this.isrSource = `${engine.name} ${this.label} ISR`;
  }

  get state(): DmaChannelState {
    return this.errored ? 'error' : this.running ? 'running' : this.cur !== 0 || this.loaded ? 'halted' : 'idle';
  }

  connect(trigger: DmaTrigger): void {
    this.engine.connect(this, trigger);
  }
  disconnect(): void {
    this.engine.disconnect(this);
  }
  setPriority(priority: number): void {
    this.engine.setPriority(this, priority);
  }
  configTransfer(cfg: DmaTransferConfig): void {
    this.engine.configTransfer(this, cfg);
  }
  applyStrategy(s: DmaStrategy): void {
    this.engine.checkAllocated(this, 'apply_strategy');
    if (s.ownerCheck !== undefined) this.ownerCheck = !!s.ownerCheck;
    if (s.autoUpdateDesc !== undefined) this.autoWriteBack = !!s.autoUpdateDesc;
    if (s.driverLeases !== undefined) this.driverLeases = !!s.driverLeases;
  }
  registerCallbacks(cbs: DmaChannelCallbacks): void {
    this.engine.checkAllocated(this, 'register_event_callbacks');
    if (cbs === null || typeof cbs !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.engine.name}: callbacks must be an object`);
    for (const k of ['onTransEof', 'onRecvEof', 'onDescrErr'] as const) {
      if (cbs[k] !== undefined && typeof cbs[k] !== 'function')
        throw new EspError(ESP_ERR_INVALID_ARG, `${this.engine.name}: callback ${k} must be a function`);
    }
    this.callbacks = { ...cbs };
    this.engine.enableCallbackInterrupts(this);
  }
  start(descriptorAddr: number): void {
    this.engine.checkAllocated(this, 'start');
    if (this.etmStart) {
      this.engine.notify('start-refused', { pair: this.pair, dir: this.direction, reason: 'etm' });
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `${this.engine.name}: ${this.label} is started by the ETM (its START task exists); gdma_start is refused`,
      );
    }
    checkDescriptorAddr(this.engine.name, 'start', descriptorAddr);
    this.engine.startChannel(this, descriptorAddr);
  }
  stop(): void {
    this.engine.checkAllocated(this, 'stop');
    // gdma.c refuses gdma_stop as it refuses gdma_start on a channel the ETM starts and stops
    if (this.etmStart)
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `${this.engine.name}: ${this.label} is controlled by the ETM (its START task exists); gdma_stop is refused`,
      );
    this.engine.halt(this, 'stop');
  }
  append(): void {
    this.engine.checkAllocated(this, 'append');
    this.engine.append(this);
  }
  reset(): void {
    this.engine.checkAllocated(this, 'reset');
    this.engine.resetChannel(this);
  }
  setDescriptorAddr(descriptorAddr: number): void {
    this.engine.checkAllocated(this, 'set_descriptor_addr');
    checkDescriptorAddr(this.engine.name, 'set_descriptor_addr', descriptorAddr);
    this.linkAddr = descriptorAddr >>> 0;
  }
  delete(): void {
    this.engine.deleteChannel(this);
  }

  get label(): string {
    return `pair ${this.pair} ${this.direction.toUpperCase()}`;
  }

  clearLink(): void {
    this.cur = 0;
    this.loaded = false;
    this.off = 0;
    this.descRegion = undefined;
    this.bufRegion = undefined;
  }
}

/** A descriptor address a channel may be pointed at: a non-zero 32-bit address, 4-byte aligned. */
function checkDescriptorAddr(name: string, what: string, addr: unknown): void {
  if (typeof addr !== 'number' || !Number.isInteger(addr) || addr <= 0 || addr > 0xffff_ffff || (addr & 3) !== 0) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `${name}: ${what}: the descriptor address must be a non-zero 4-byte aligned 32-bit address, got ${typeof addr === 'string' ? JSON.stringify(addr) : String(addr)}`,
    );
  }
}

/**
 * Moves one contiguous run: `copyWithin` inside one region (no view object to allocate, memmove semantics
 * like `set` on the same buffer), one `set` on a subarray between regions.
 */
function copyRun(src: Region, srcOff: number, dst: Region, dstOff: number, len: number): void {
  if (src === dst) dst.bytes.copyWithin(dstOff, srcOff, srcOff + len);
  else dst.bytes.set(src.bytes.subarray(srcOff, srcOff + len), dstOff);
}

/** No leases (shared, never written). */
const NO_LEASES: Lease[] = [];

/** Segments planned in one go while a pair is alone on the bus (bounded so a huge list is not read ahead too far). */
const MAX_BATCH = 1024;
/** Descriptor pairs planned in one go at most (a list that loops without an EOF is read ahead only this far). */
const MAX_PAIRS = 4096;

/**
 * A DMA engine (AHB GDMA, CP DMA): channel pairs whose memory-to-memory transfers walk descriptor lists in
 * simulated memory, checking and writing them back as the silicon does. The pairs share one bus: the highest
 * priority first, round-robin among equals, one descriptor pair at a time while several pairs compete, so
 * concurrent transfers slow each other. A pair alone on the bus is planned ahead up to its next EOF (or the
 * end of its list) and committed by one kernel event with one copy per contiguous run; descriptors are read
 * when that run is planned, so software that rewrites a descriptor inside a run already planned is not seen
 * until the next one (EOF callbacks, where drivers re-arm lists, always come between runs). `bytesMoved`,
 * a stop or another pair's start in the middle of a run move exactly the beats done by then.
 */
export class DmaEngine implements DmaChannelDriver, InterruptHost {
  readonly name: string;
  readonly pairs: number;
  readonly maxDescriptorBytes: number;
  readonly burstNeedsAlignment: boolean;
  readonly cost: DmaCostModel;
  readonly descriptor: DescriptorFormat;
  /** Descriptor stride in bytes and in 32-bit words (12/3 on AHB, 16/4 on AXI). */
  private readonly stride: number;
  private readonly strideWords: number;
  private readonly tx: Channel[] = [];
  private readonly rx: Channel[] = [];
  private readonly moved: number[];
  private readonly startPending: boolean[];
  private readonly dm: DescriptorMemory;
  private readonly events: EventSource<DmaBusEvents>;
  /**
   * Per event type, whether anyone listens: the engine builds and publishes an event only when its own type is
   * observed, so a checker that needs channel starts does not make it publish every batch's `moved`.
   */
  private readonly obs: DmaObserved;
  private readonly batch = new Batch();
  private batchStartMoved = 0;
  private lastDescRegion: Region | undefined;
  private lastServed = -1;
  /** Inside a commit: callbacks may start and stop channels; the bus is re-arbitrated once afterwards. */
  private dispatching = false;
  /** Bus time owed by each pair's peripheral transfers (ps), waiting for the arbiter to grant it. */
  private readonly periphOwed: number[];
  /** The peripheral bus time being served now (the bus is taken until it fires). */
  private periphEvent: ScheduledEvent | undefined;
  private txTriggersInUse = 0;
  private rxTriggersInUse = 0;
  private etmRaise: ((id: number) => void) | undefined;
  /** Fault sources of the channel callbacks (a throwing callback is a fault naming it). */
  private readonly cbSource: { onTransEof: string; onRecvEof: string; onDescrErr: string };

  constructor(
    readonly opts: DmaEngineOptions,
    readonly kernel: Kernel,
    private readonly memory: MemoryMap,
    bus: EventBus,
    // callbacks report their faults through the kernel (Kernel.invoke); the parameter stays for the plugins' call sites
    _reportFault: (source: string, error: unknown) => void,
  ) {
    this.name = opts.name;
    this.pairs = opts.pairs;
    this.maxDescriptorBytes = opts.maxDescriptorBytes;
    this.burstNeedsAlignment = opts.burstNeedsAlignment;
    this.cost = new DmaCostModel(opts.timing);
    this.descriptor = opts.descriptor ?? AHB_DESCRIPTOR;
    this.stride = this.descriptor.bytes;
    this.strideWords = this.stride >>> 2;
    this.dm = new DescriptorMemory(memory);
    this.events = bus.source<DmaBusEvents>(opts.name);
    this.obs = Object.fromEntries(DMA_EVENT_TYPES.map((t) => [t, this.events.observedFlag(t)])) as DmaObserved;
    this.cbSource = {
      onTransEof: `${opts.name}: on_trans_eof callback`,
      onRecvEof: `${opts.name}: on_recv_eof callback`,
      onDescrErr: `${opts.name}: on_descr_err callback`,
    };
    this.moved = new Array<number>(opts.pairs).fill(0);
    this.startPending = new Array<boolean>(opts.pairs).fill(false);
    this.periphOwed = new Array<number>(opts.pairs).fill(0);
    for (let p = 0; p < opts.pairs; p++) {
      this.tx.push(new Channel(this, p, 'tx'));
      this.rx.push(new Channel(this, p, 'rx'));
    }
  }

  get descriptors(): DescriptorMemory {
    return this.dm;
  }

  // ---- allocation ----

  newChannel(direction: DmaDir, opts: { sibling?: DmaChannel; m2m?: boolean; owner?: string } = {}): DmaChannel {
    if (direction !== 'tx' && direction !== 'rx')
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: direction must be 'tx' or 'rx', got ${String(direction)}`);
    const list = direction === 'tx' ? this.tx : this.rx;
    if (opts.sibling !== undefined) {
      const s = this.own(opts.sibling);
      const c = list[s.pair]!;
      if (c.allocated)
        throw new EspError(
          ESP_ERR_NOT_FOUND,
          `${this.name}: the ${direction.toUpperCase()} channel of pair ${s.pair} is taken`,
        );
      this.claim(c, opts.owner);
      return c;
    }
    for (const c of list) {
      if (c.allocated || (opts.m2m && !this.m2mCapable(c.pair))) continue;
      this.claim(c, opts.owner);
      return c;
    }
    throw new EspError(
      ESP_ERR_NOT_FOUND,
      `${this.name}: no free ${direction.toUpperCase()} channel${opts.m2m ? ' on a memory-to-memory capable pair' : ''} (${this.pairs} pairs)`,
    );
  }

  newChannelPair(opts: { m2m?: boolean; pair?: number; owner?: string } = {}): { tx: DmaChannel; rx: DmaChannel } {
    if (opts === null || typeof opts !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: new_channel_pair options must be an object`);
    if (opts.pair !== undefined && (!Number.isInteger(opts.pair) || opts.pair < 0 || opts.pair >= this.pairs)) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${this.name}: pair must be 0..${this.pairs - 1}, got ${String(opts.pair)}`,
      );
    }
    for (let p = 0; p < this.pairs; p++) {
      if (opts.pair !== undefined && p !== opts.pair) continue;
      if (this.tx[p]!.allocated || this.rx[p]!.allocated || (opts.m2m && !this.m2mCapable(p))) continue;
      const tx = this.tx[p]!;
      const rx = this.rx[p]!;
      this.claim(tx, opts.owner);
      this.claim(rx, opts.owner);
      this.moved[p] = 0;
      return { tx, rx };
    }
    const which =
      opts.pair !== undefined
        ? `pair ${opts.pair} is not free`
        : `no free ${opts.m2m ? 'memory-to-memory capable ' : ''}channel pair (${this.pairs} pairs)`;
    throw new EspError(ESP_ERR_NOT_FOUND, `${this.name}: ${which}`);
  }

  /** Allocates a channel with the defaults of a fresh one. */
  private claim(c: Channel, owner = 'user'): void {
    const d = this.opts.channelDefaults;
    c.allocated = true;
    c.owner = owner;
    c.priority = 0;
    c.burst = d?.burst ?? 16;
    c.ownerCheck = d?.ownerCheck ?? true;
    c.autoWriteBack = d?.autoWriteBack ?? true;
    c.driverLeases = false;
    c.callbacks = {};
    c.etmStart = false;
    c.errored = false;
    c.running = false;
    c.clearLink();
    c.linkAddr = 0;
    c.interrupts.reset();
  }

  isPairFree(pair: number): boolean {
    return !this.tx[pair]!.allocated && !this.rx[pair]!.allocated;
  }
  m2mCapable(pair: number): boolean {
    return ((this.opts.m2mPairMask >>> pair) & 1) === 1;
  }

  deleteChannel(ch: DmaChannel): void {
    const c = this.own(ch);
    if (!c.allocated) throw new EspError(ESP_ERR_INVALID_STATE, `${this.name}: ${c.label} was already deleted`);
    this.halt(c, 'stop');
    if (c.trigger) this.disconnect(c);
    this.releaseLeases(c);
    c.allocated = false;
    c.etmStart = false;
    c.errored = false;
    c.callbacks = {};
    c.clearLink();
    // gdma_del_*_channel: "disable all interrupt events", "clear all pending events"
    c.interrupts.reset();
  }

  freeM2mTriggerMask(): number {
    return (this.opts.freeM2mTriggerMask & ~(this.txTriggersInUse | this.rxTriggersInUse)) >>> 0;
  }

  // ---- configuration ----

  connect(c: Channel, trigger: DmaTrigger): void {
    this.checkAllocated(c, 'connect');
    if (c.trigger)
      throw new EspError(ESP_ERR_INVALID_STATE, `${this.name}: ${c.label} is already connected; disconnect it first`);
    let id: number;
    if (trigger !== null && typeof trigger === 'object' && 'm2m' in trigger) {
      id = trigger.m2m;
      if (!Number.isInteger(id) || id < 0 || id > 31 || ((this.opts.freeM2mTriggerMask >>> id) & 1) === 0) {
        throw new EspError(
          ESP_ERR_INVALID_ARG,
          `${this.name}: ${String(id)} is not a memory-to-memory trigger ID of this target (mask 0x${this.opts.freeM2mTriggerMask.toString(16)})`,
        );
      }
      if (!this.m2mCapable(c.pair))
        throw new EspError(
          ESP_ERR_INVALID_ARG,
          `${this.name}: pair ${c.pair} cannot do memory-to-memory (mask 0x${this.opts.m2mPairMask.toString(16)})`,
        );
    } else if (trigger !== null && typeof trigger === 'object' && 'peripheral' in trigger) {
      const pid = this.opts.peripheralTriggers[trigger.peripheral];
      if (pid === undefined) {
        throw new EspError(
          ESP_ERR_INVALID_ARG,
          `${this.name}: no peripheral trigger "${trigger.peripheral}" (has ${Object.keys(this.opts.peripheralTriggers).join(', ') || 'none'})`,
        );
      }
      id = pid;
    } else {
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: trigger must be { m2m: id } or { peripheral: name }`);
    }
    const inUse = c.direction === 'tx' ? this.txTriggersInUse : this.rxTriggersInUse;
    const peripheral = 'peripheral' in trigger ? trigger.peripheral : undefined;
    if ((inUse >>> id) & 1) {
      const held = (c.direction === 'tx' ? this.tx : this.rx).find((o) => o.allocated && o.triggerId === id)!;
      if (this.obs['connect-refused'].observed) {
        this.events.emit('connect-refused', {
          pair: c.pair,
          dir: c.direction,
          owner: c.owner,
          trigger: triggerText(trigger),
          triggerId: id,
          heldBy: { pair: held.pair, dir: held.direction, owner: held.owner, trigger: triggerText(held.trigger!) },
        });
      }
      // gdma.c: "peripheral %d is already used"
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `${this.name}: peripheral ${id} is already used (trigger ID ${id} is held by ${held.owner}'s ${held.label}, connected to ${triggerText(held.trigger!)})`,
      );
    }
    if (c.direction === 'tx') this.txTriggersInUse |= 1 << id;
    else this.rxTriggersInUse |= 1 << id;
    c.trigger = { ...trigger };
    c.triggerId = id;
    if (this.obs.connect.observed) this.events.emit('connect', { pair: c.pair, dir: c.direction, id, peripheral });
  }

  /** @internal Publishes an event of this engine when anything listens. */
  notify<K extends keyof DmaBusEvents & string>(type: K, data: DmaBusEvents[K]): void {
    if (this.obs[type].observed) this.events.emit(type, data);
  }

  disconnect(c: Channel): void {
    this.checkAllocated(c, 'disconnect');
    if (!c.trigger) throw new EspError(ESP_ERR_INVALID_STATE, `${this.name}: ${c.label} is not connected`);
    const mask = ~(1 << c.triggerId);
    if (c.direction === 'tx') this.txTriggersInUse &= mask;
    else this.rxTriggersInUse &= mask;
    if (this.obs.disconnect.observed) {
      this.events.emit('disconnect', {
        pair: c.pair,
        dir: c.direction,
        id: c.triggerId,
        peripheral: 'peripheral' in c.trigger ? c.trigger.peripheral : undefined,
      });
    }
    c.trigger = undefined;
    c.triggerId = -1;
  }

  setPriority(c: Channel, priority: number): void {
    this.checkAllocated(c, 'set_priority');
    if (!Number.isInteger(priority) || priority < 0 || priority >= this.opts.priorities) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${this.name}: priority must be 0..${this.opts.priorities - 1}, got ${String(priority)}`,
      );
    }
    c.priority = priority;
  }

  configTransfer(c: Channel, cfg: DmaTransferConfig): void {
    this.checkAllocated(c, 'config_transfer');
    const b = cfg.maxDataBurstSize ?? c.burst;
    if (!Number.isSafeInteger(b) || b < 0 || (b & (b - 1)) !== 0) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: burst size must be 0 or a power of two, got ${String(b)}`);
    }
    const sizes = this.opts.burstSizes;
    if (sizes && b !== 0 && !sizes.includes(b)) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${this.name}: burst size ${b} is not one this GDMA sets (${sizes.join(', ')}; gdma_ll_*_set_burst_size asserts on others)`,
      );
    }
    c.burst = b;
    // accessExtMem is accepted; whether the engine reaches PSRAM at all is caps.gdma.psramAccess
  }

  checkAllocated(c: DmaChannel, what: string): void {
    const own = this.own(c);
    if (!own.allocated)
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: ${what} on a deleted channel (${own.label})`);
  }

  canReach(addr: number, len: number): boolean {
    const r = this.memory.locate(addr, len);
    return typeof r !== 'string' && this.reachesRegion(r);
  }

  reachesRegion(r: Region): boolean {
    return r.dmaCapable && this.opts.reaches(r);
  }

  /**
   * @internal Whether channel (pair, dir) runs now: started, not stopped, ended or errored (an RX channel stays
   * enabled after its EOF, as on silicon). The descriptor checker asks this on a software write.
   */
  isRunning(pair: number, dir: DmaDir): boolean {
    return (dir === 'tx' ? this.tx : this.rx)[pair]?.running ?? false;
  }

  /** Bytes moved by the pair so far; the beats of the segment in flight are moved first, so memory agrees. */
  bytesMoved(pair: number): number {
    const b = this.batch;
    if (this.busy && b.pair === pair) {
      const k = b.indexAt(this.kernel.now);
      const p = this.partialBytes(b.segs[k]!);
      if (k > b.movedSeg || (k === b.movedSeg && p > b.movedByte)) this.moveTo(k, p);
    }
    return this.moved[pair] ?? 0;
  }

  // ---- run control ----

  startChannel(c: Channel, addr: number): void {
    const leases = this.leaseList(c, addr >>> 0); // may refuse (a buffer held by a peripheral's transfer): nothing changed yet
    if (this.busy && this.batch.pair === c.pair) this.interrupt();
    this.releaseLeases(c);
    c.leases = leases;
    c.clearLink();
    c.cur = addr >>> 0;
    c.linkAddr = c.cur;
    c.errored = false;
    c.running = true;
    c.xferBytes = 0;
    c.interrupts.onStart(this.kernel.now);
    this.startPending[c.pair] = true;
    if (this.obs['channel-start'].observed)
      this.events.emit('channel-start', { pair: c.pair, dir: c.direction, descriptor: c.cur });
    this.notifyReady(c);
    this.arbitrate();
  }

  halt(c: Channel, reason: 'stop' | 'reset'): void {
    c.interrupts.stoppedAt = this.kernel.now; // the strobe is written whether or not the channel still runs
    if (!c.running) return;
    if (this.busy && this.batch.pair === c.pair) this.interrupt();
    c.running = false;
    if (this.obs['channel-stop'].observed) this.events.emit('channel-stop', { pair: c.pair, dir: c.direction, reason });
    this.arbitrate();
  }

  append(c: Channel): void {
    if (c.running || c.errored) return;
    if (c.cur === 0 && !c.loaded) return;
    // the driver may have linked more descriptors since the start: lease the list from where the channel is
    const fresh = this.leaseList(c, c.cur);
    this.releaseLeases(c);
    c.leases = fresh;
    c.running = true;
    this.notifyReady(c);
    this.arbitrate();
  }

  /**
   * Tells a peripheral-connected channel's `onReady` that the channel runs again (start, append, ETM start):
   * in a kernel event at this instant, so it never runs inside the call that started the channel.
   */
  private notifyReady(c: Channel): void {
    const cb = c.callbacks.onReady;
    if (cb === undefined || c.trigger === undefined || !('peripheral' in c.trigger)) return;
    this.kernel.schedule(
      0,
      () => {
        if (c.running && c.callbacks.onReady === cb)
          this.dispatch(`${this.name} ${c.label} onReady`, (ch: DmaChannel) => cb(ch), c, undefined);
      },
      `${this.name} ${c.label} ready`,
    );
  }

  resetChannel(c: Channel): void {
    this.halt(c, 'reset');
    this.releaseLeases(c);
    c.clearLink();
    c.errored = false;
  }

  // ---- leases ----

  /**
   * Leases (shared) the buffers of the list at `addr` for a memory-to-memory channel: TX buffers up to their
   * length, RX buffers up to their size, contiguous ones as one lease. The walk stops at the list's end, a
   * descriptor it cannot read, a loop, or after MAX_PAIRS descriptors; a bad descriptor is the engine's to
   * report when it reaches it. Throws (leasing nothing) when a buffer is held exclusively (an SPI transfer).
   */
  private leaseList(c: Channel, addr: number): Lease[] {
    // memory-to-memory only: a peripheral's driver leases its own buffers, and a channel connected to nothing
    // moves nothing (ESP-IDF #10575: SPI's DMA left unconnected when async memcpy holds its trigger ID)
    if (c.driverLeases || c.trigger === undefined || !('m2m' in c.trigger)) return NO_LEASES;
    const out: Lease[] = [];
    const table = this.memory.leases;
    const holder = `${this.name} ${c.label} transfer`;
    let runStart = 0;
    let runEnd = 0;
    const flush = (): void => {
      if (runEnd > runStart) out.push(table.take(runStart, runEnd - runStart, holder, { shared: true }));
      runStart = runEnd = 0;
    };
    try {
      let a = addr;
      let prev = -1;
      let seen: Set<number> | undefined; // only for lists that go backwards: one that only goes forwards cannot loop
      let r: Region | undefined;
      let br: Region | undefined;
      const alignMask = this.descriptor.align - 1;
      const stride = this.stride;
      for (let i = 0; a !== 0 && i < MAX_PAIRS && (a & alignMask) === 0; i++) {
        if (a <= prev) {
          seen ??= new Set();
          if (seen.has(a)) break;
          seen.add(a);
        }
        prev = a;
        if (r === undefined || a < r.base || a + stride > r.end) {
          r = this.dm.regionOf(a, stride);
          if (!r || a + stride > r.end) break;
        }
        const v = this.dm.view(r);
        const wi = (a - r.base) >>> 2;
        const w0 = v[wi]!;
        const buf = v[wi + 1]!;
        const len = c.isTx ? word0Length(w0) : word0Size(w0);
        if (len > 0) {
          if (br === undefined || buf < br.base || buf >= br.end) br = this.memory.regionAt(buf);
          if (br !== undefined) {
            if (buf === runEnd) runEnd += len;
            else {
              flush();
              runStart = buf;
              runEnd = buf + len;
            }
          }
        }
        a = v[wi + 2]!;
        if (a === addr) break;
      }
      flush();
    } catch (e) {
      for (const l of out) l.release();
      throw e;
    }
    return out.length !== 0 ? out : NO_LEASES;
  }

  private releaseLeases(c: Channel): void {
    if (c.leases.length === 0) return;
    for (const l of c.leases) l.release();
    c.leases = NO_LEASES;
  }

  // ---- peripheral side (SPI and other peripherals connected to a channel) ----

  /**
   * The peripheral takes up to `n` bytes from its running TX channel's list into `into` at `offset`, as its
   * FIFO would (the peripheral keeps the time). Returns the bytes taken: fewer when the list ends or the
   * engine refuses a descriptor (a descriptor error). Passing a suc_eof descriptor raises OUT_EOF.
   */
  peripheralRead(ch: DmaChannel, into: Uint8Array, offset: number, n: number): number {
    const c = this.peripheralChannel(ch, 'tx', 'peripheralRead', into, offset, n);
    let done = 0;
    let fetches = 0;
    // a loop of empty descriptors would never end: give up after as many as a planned run may hold
    for (let visited = 0; done < n && c.running && visited < MAX_PAIRS; visited++) {
      if (!c.loaded) {
        if (c.cur === 0) {
          this.endOfList(c);
          break;
        }
        const why = this.load(c);
        if (why !== undefined) {
          this.descriptorError(c, c.cur, why);
          break;
        }
        fetches++;
      }
      const k = Math.min(c.len - c.off, n - done);
      const so = c.buf + c.off - c.bufRegion!.base;
      if (this.memory.dmaObserver !== undefined)
        this.memory.dmaObserver.dmaRead(c.buf + c.off, k, `${this.name} pair ${c.pair} TX`);
      into.set(c.bufRegion!.bytes.subarray(so, so + k), offset + done);
      c.off += k;
      done += k;
      if (c.off < c.len) {
        c.xferBytes += k;
        continue;
      }
      const desc = c.cur;
      const eof = c.eof;
      if (c.autoWriteBack) this.dm.view(c.descRegion!)[(desc - c.descRegion!.base) >>> 2] = txWriteBack(c.w0);
      this.latch(c, c.interrupts.doneBit);
      c.loaded = false;
      c.cur = c.next;
      c.off = 0;
      c.xferBytes += k;
      if (eof) this.raiseEof(c, desc);
      if (c.cur === 0 && c.running) {
        this.endOfList(c);
        break;
      }
      continue;
    }
    this.moved[c.pair]! += done;
    this.raise(c);
    this.chargePeripheral(c, done, fetches);
    return done;
  }

  /**
   * The peripheral delivers `n` bytes from `from` at `offset` to its running RX channel's list; `eof` ends
   * the transaction there (the descriptor gets length and suc_eof, IN_SUC_EOF is raised). Returns the bytes
   * stored: fewer when the list ends or the engine refuses a descriptor (a descriptor error).
   */
  peripheralWrite(ch: DmaChannel, from: Uint8Array, offset: number, n: number, eof: boolean): number {
    const c = this.peripheralChannel(ch, 'rx', 'peripheralWrite', from, offset, n);
    let done = 0;
    let fetches = 0;
    while (c.running) {
      if (!c.loaded) {
        const why = this.load(c);
        if (why !== undefined) {
          this.descriptorError(c, c.cur, why);
          break;
        }
        fetches++;
      }
      const k = Math.min(c.len - c.off, n - done);
      c.bufRegion!.bytes.set(from.subarray(offset + done, offset + done + k), c.buf + c.off - c.bufRegion!.base);
      if (this.memory.dmaObserver !== undefined)
        this.memory.dmaObserver.dmaWrite(c.buf + c.off, k, `${this.name} pair ${c.pair} RX`);
      c.off += k;
      done += k;
      c.xferBytes += k;
      const end = done >= n && eof;
      if (c.off >= c.len || end) {
        const desc = c.cur;
        this.dm.view(c.descRegion!)[(desc - c.descRegion!.base) >>> 2] = rxWriteBack(c.w0, c.off, end);
        this.latch(c, c.interrupts.doneBit);
        c.loaded = false;
        c.cur = c.next;
        c.off = 0;
        if (end) this.raiseEof(c, desc);
      }
      if (done >= n) break;
    }
    this.moved[c.pair]! += done;
    this.raise(c);
    this.chargePeripheral(c, done, fetches);
    return done;
  }

  /**
   * Books the bus time of a peripheral transfer that moved `bytes` through channel `c` after `fetches`
   * descriptor fetches: the bytes moved at once (the peripheral keeps its own time), the bus time is owed and
   * granted by the same arbiter as the memory-to-memory pairs (highest priority first, round-robin among
   * equals), so a copy on another pair finishes later by the time the peripheral held the bus.
   */
  private chargePeripheral(c: Channel, bytes: number, fetches: number): void {
    if (bytes === 0 && fetches === 0) return;
    const r = c.bufRegion;
    const beat = this.cost.beatBytes;
    const per = r ? this.cost.sideBeatPs(r.kind, c.isTx ? 'read' : 'write', c.burst > 0) : 0;
    this.periphOwed[c.pair]! += fetches * this.cost.fetchPs + Math.round(Math.ceil(bytes / beat) * per);
    this.arbitrate();
  }

  /** Serves pair `p`'s owed peripheral bus time now: the bus is taken until it has passed. */
  private servePeripheral(p: number): void {
    const owed = this.periphOwed[p]!;
    this.periphOwed[p] = 0;
    this.periphEvent = this.kernel.schedule(owed, this.onPeripheralEnd, this.name);
  }

  private readonly onPeripheralEnd = (): void => {
    this.periphEvent = undefined;
    this.arbitrate();
  };

  private peripheralChannel(
    ch: DmaChannel,
    dir: DmaDir,
    what: string,
    bytes: Uint8Array,
    offset: number,
    n: number,
  ): Channel {
    if (
      !(bytes instanceof Uint8Array) ||
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(n) ||
      offset < 0 ||
      n < 0 ||
      offset + n > bytes.length
    ) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${this.name}: ${what}: [offset, offset+n) must lie inside the Uint8Array (offset ${String(offset)}, n ${String(n)})`,
      );
    }
    const c = this.own(ch);
    this.checkAllocated(c, what);
    if (c.direction !== dir)
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: ${what} needs a ${dir.toUpperCase()} channel`);
    if (!c.trigger || !('peripheral' in c.trigger)) {
      throw new EspError(ESP_ERR_INVALID_STATE, `${this.name}: ${what}: ${c.label} is not connected to a peripheral`);
    }
    return c;
  }

  /** A peripheral channel's EOF: reports the transfer's bytes (since the start or the last EOF), then its callback, inside the call. */
  private raiseEof(c: Channel, desc: number): void {
    const bytes = c.xferBytes;
    c.xferBytes = 0;
    if (this.obs.eof.observed) this.events.emit('eof', { pair: c.pair, dir: c.direction, descriptor: desc, bytes });
    const e = this.opts.etm;
    if (this.etmRaise && e) this.etmRaise((c.isTx ? e.outEofBase : e.inSucEofBase) + c.pair);
    this.latchEof(c, desc);
  }

  // ---- interrupts ----

  /** Latches `bits` in the channel's INT_RAW (whether enabled or not). */
  private latch(c: Channel, bits: number): void {
    const i = c.interrupts;
    i.raw |= bits;
    i.latchedAt = this.kernel.now;
  }

  /** An EOF: OUT_EOF / IN_SUC_EOF latch, the EOF descriptor register takes `desc`, and the ISR runs if enabled. */
  private latchEof(c: Channel, desc: number): void {
    const i = c.interrupts;
    i.eofDescriptor = desc;
    i.raw |= i.eofBit;
    i.latchedAt = this.kernel.now;
    this.raise(c);
  }

  /** The interrupt line: the channel's ISR runs now if INT_ST is not 0 and its source is enabled. */
  private raise(c: Channel): void {
    const i = c.interrupts;
    if ((i.raw & i.enabled) === 0 || !i.sourceEnabled) return;
    // as dispatch: callbacks may start and stop channels; the bus is re-arbitrated once they return
    const outer = this.dispatching;
    this.dispatching = true;
    try {
      if (i.handler) this.kernel.invoke(c.isrSource, i.handler, c, undefined);
      else this.defaultIsr(c);
    } finally {
      this.dispatching = outer;
    }
    if (!outer) this.arbitrate();
  }

  /**
   * gdma.c's gdma_default_rx_isr / gdma_default_tx_isr: RX reads INT_RAW ("reading the raw interrupt status
   * because we also want to know the EOF status, even if the EOF interrupt is not enabled"), TX reads INT_ST;
   * both clear what they read, then call on_descr_err then on_recv_eof (RX), on_trans_eof then on_descr_err (TX).
   */
  private defaultIsr(c: Channel): void {
    const i = c.interrupts;
    const cbs = c.callbacks;
    if (c.isTx) {
      const b = i.bits as DmaTxInterruptBits;
      const st = i.raw & i.enabled;
      i.raw &= ~st;
      const stale = st & i.staleMask;
      i.staleMask &= ~st;
      if (stale !== 0) {
        const delivered = (cbs.onTransEof ? b.eof : 0) | (cbs.onDescrErr ? b.descrErr : 0);
        if (stale & delivered) this.reportStale(c, stale & delivered);
      }
      if (st & b.eof && cbs.onTransEof)
        this.kernel.invoke(this.cbSource.onTransEof, cbs.onTransEof, c, { descriptor: i.eofDescriptor });
      if (st & b.descrErr && cbs.onDescrErr)
        this.kernel.invoke(this.cbSource.onDescrErr, cbs.onDescrErr, c, {
          descriptor: i.errDescriptor,
          reason: i.errReason,
        });
      return;
    }
    const b = i.bits as DmaRxInterruptBits;
    const st = i.raw;
    i.raw = 0;
    const stale = st & i.staleMask;
    i.staleMask = 0;
    const eof = b.sucEof | b.errEof;
    if (stale !== 0) {
      const delivered = (cbs.onDescrErr ? b.descrErr : 0) | (cbs.onRecvEof ? eof : 0);
      if (stale & delivered) this.reportStale(c, stale & delivered);
    }
    if (st & b.descrErr && cbs.onDescrErr)
      this.kernel.invoke(this.cbSource.onDescrErr, cbs.onDescrErr, c, {
        descriptor: i.errDescriptor,
        reason: i.errReason,
      });
    if (st & eof && cbs.onRecvEof)
      this.kernel.invoke(this.cbSource.onRecvEof, cbs.onRecvEof, c, { descriptor: i.eofDescriptor });
  }

  /**
   * An ISR is about to call back for `bits` of INT_ST that were latched before the channel's current start and
   * never cleared: publishes 'stale-interrupt' (a driver's own ISR calls this for the bits it calls back for).
   */
  reportStale(ch: DmaChannel, bits: number): void {
    const c = this.own(ch);
    const i = c.interrupts;
    if (this.obs['stale-interrupt'].observed) {
      this.events.emit('stale-interrupt', {
        pair: c.pair,
        dir: c.direction,
        bits,
        names: interruptNames(i.bits, bits),
        latchedAt: i.staleLatchedAt,
        stoppedAt: i.staleStoppedAt,
        startedAt: i.startedAt,
        eofDescriptor: i.eofDescriptor,
      });
    }
  }

  /**
   * gdma_register_rx/tx_event_callbacks: the first registration installs the interrupt service (disabling and
   * clearing every event), each one enables the events of the callbacks given and disables the others
   * (RX: SUC_EOF|ERR_EOF for on_recv_eof, DESC_ERROR for on_descr_err; TX: EOF for on_trans_eof, DESC_ERROR),
   * then esp_intr_enable.
   */
  enableCallbackInterrupts(c: Channel): void {
    const i = c.interrupts;
    const b = i.bits;
    const cbs = c.callbacks;
    if (!i.installed) {
      i.installed = true;
      i.enabled = 0;
      i.raw = 0;
      i.staleMask = 0;
    }
    const on = (mask: number, yes: boolean): void => {
      i.enabled = yes ? i.enabled | mask : i.enabled & ~mask;
    };
    if ('sucEof' in b) on(b.sucEof | b.errEof, !!cbs.onRecvEof);
    else on(b.eof, !!cbs.onTransEof);
    on(b.descrErr, !!cbs.onDescrErr);
    i.sourceEnabled = true;
    if ((i.raw & i.enabled) !== 0) this.deferIsr(c);
  }

  /** Runs the channel's ISR in a kernel event at this instant (after a register write), if it is still due then. */
  deferIsr(ch: DmaChannel): void {
    const c = ch as Channel;
    const i = c.interrupts;
    if (i.deferred || (i.raw & i.enabled) === 0) return;
    i.deferred = true;
    this.kernel.schedule(
      0,
      () => {
        i.deferred = false;
        if (c.allocated) this.raise(c);
      },
      c.isrSource,
    );
  }

  // ---- ETM ----

  newEtmEvent(ch: DmaChannel, kind: 'eof'): EtmEvent {
    const c = this.own(ch);
    this.checkAllocated(c, 'new_etm_event');
    if (!this.opts.etm) throw new EspError(ESP_ERR_NOT_SUPPORTED, `${this.name}: this target's DMA has no ETM events`);
    if (kind !== 'eof')
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: unknown ETM event "${String(kind)}" (only 'eof')`);
    return stampEtmHandle(this.kernel, {
      id: (c.direction === 'rx' ? this.opts.etm.inSucEofBase : this.opts.etm.outEofBase) + c.pair,
    });
  }

  newEtmTask(ch: DmaChannel, kind: 'start'): EtmTask {
    const c = this.own(ch);
    this.checkAllocated(c, 'new_etm_task');
    if (!this.opts.etm) throw new EspError(ESP_ERR_NOT_SUPPORTED, `${this.name}: this target's DMA has no ETM tasks`);
    if (kind !== 'start')
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: unknown ETM task "${String(kind)}" (only 'start')`);
    c.etmStart = true;
    return stampEtmHandle(this.kernel, {
      id: (c.direction === 'rx' ? this.opts.etm.inStartTaskBase : this.opts.etm.outStartTaskBase) + c.pair,
    });
  }

  /** ETM event names (ID -> name) for the ETM contribution; an ID given twice (bases closer than `pairs`) throws. */
  etmEventNames(): Map<number, string> {
    const e = this.opts.etm;
    return e
      ? uniqueIdMap(dmaEtmIdTable(e, this.pairs, this.opts.etmPrefix ?? 'GDMA').events, `${this.name} ETM events`)
      : new Map();
  }

  /** ETM task names (ID -> name) for the ETM contribution; an ID given twice throws. */
  etmTaskNames(): Map<number, string> {
    const e = this.opts.etm;
    return e
      ? uniqueIdMap(dmaEtmIdTable(e, this.pairs, this.opts.etmPrefix ?? 'GDMA').tasks, `${this.name} ETM tasks`)
      : new Map();
  }

  attachEtm(raise: (id: number) => void): void {
    this.etmRaise = raise;
  }

  /** An ETM START task: starts the channel at its link address, if its START task was created. */
  runEtmTask(id: number): void {
    const e = this.opts.etm;
    if (!e) return;
    let c: Channel | undefined;
    if (id >= e.inStartTaskBase && id < e.inStartTaskBase + this.pairs) c = this.rx[id - e.inStartTaskBase];
    else if (id >= e.outStartTaskBase && id < e.outStartTaskBase + this.pairs) c = this.tx[id - e.outStartTaskBase];
    if (c && c.allocated && c.etmStart) this.startChannel(c, c.linkAddr);
  }

  // ---- the bus ----

  /** Whether pair `p` wants the bus: owed peripheral time, or a memory-to-memory transfer that can move. */
  private runnable(p: number): boolean {
    return this.periphOwed[p]! > 0 || this.m2mRunnable(p);
  }

  private m2mRunnable(p: number): boolean {
    const t = this.tx[p]!;
    const r = this.rx[p]!;
    return (
      t.running &&
      r.running &&
      t.triggerId >= 0 &&
      t.triggerId === r.triggerId &&
      t.trigger !== undefined &&
      'm2m' in t.trigger &&
      r.trigger !== undefined &&
      'm2m' in r.trigger
    );
  }

  private otherRunnable(p: number): boolean {
    for (let q = 0; q < this.pairs; q++) if (q !== p && this.runnable(q)) return true;
    return false;
  }

  /** A batch of memory-to-memory segments is on the bus. */
  private get busy(): boolean {
    return this.batch.event !== undefined;
  }

  /**
   * Puts the next pair on the bus if it is free: highest priority first, round-robin among equals. When the
   * bus is taken by a batch and another pair became runnable, the batch is cut after its current segment.
   */
  private arbitrate(): void {
    if (this.dispatching || this.periphEvent !== undefined) return;
    if (this.busy) {
      if (this.otherRunnable(this.batch.pair)) this.truncate();
      return;
    }
    while (!this.busy && this.periphEvent === undefined && !this.dispatching) {
      let best = -1;
      let bestPrio = -1;
      for (let i = 1; i <= this.pairs; i++) {
        const p = (this.lastServed + i) % this.pairs;
        if (!this.runnable(p)) continue;
        const prio = Math.max(this.tx[p]!.priority, this.rx[p]!.priority);
        if (prio > bestPrio) {
          best = p;
          bestPrio = prio;
        }
      }
      if (best < 0) return;
      this.lastServed = best;
      if (this.periphOwed[best]! > 0) this.servePeripheral(best);
      else this.plan(best);
    }
  }

  /**
   * Plans the pair's next segments: fetching descriptors as the engine reaches them, one segment when other
   * pairs wait for the bus, else up to the next EOF or the end of the list. A descriptor the engine cannot
   * use ends the plan; the error is raised when the bytes before it have moved.
   */
  private plan(p: number): void {
    const b = this.batch;
    b.reset(p);
    this.batchStartMoved = this.moved[p]!;
    const t = this.tx[p]!;
    const r = this.rx[p]!;
    const alone = !this.otherRunnable(p);
    const now = this.kernel.now;
    let time = now;
    let head = 0;
    if (this.startPending[p]) {
      head = this.cost.startPs;
      this.startPending[p] = false;
    }
    for (;;) {
      if (b.count > 0 && !t.loaded && !r.loaded && this.extend(b, t, r) > 0) {
        time = b.last.end;
        if (t.cur === 0) {
          b.endReason = 'list-end';
          break;
        }
        if (b.pairsPlanned >= MAX_PAIRS) {
          b.endReason = 'cap';
          break;
        }
        continue;
      }
      if (!t.loaded) {
        if (t.cur === 0) {
          b.pair = -1;
          this.endOfList(t);
          return;
        }
        const why = this.load(t);
        if (why !== undefined) {
          if (b.count === 0) {
            b.pair = -1;
            this.descriptorError(t, t.cur, why);
            return;
          }
          b.error = { dir: 'tx', addr: t.cur, reason: why };
          b.endReason = 'error';
          break;
        }
        head += this.cost.fetchPs;
      }
      if (!r.loaded) {
        const why = this.load(r);
        if (why !== undefined) {
          if (b.count === 0) {
            b.pair = -1;
            this.descriptorError(r, r.cur, why);
            return;
          }
          b.error = { dir: 'rx', addr: r.cur, reason: why };
          b.endReason = 'error';
          break;
        }
        head += this.cost.fetchPs;
      }
      const n = Math.min(t.len - t.off, r.len - r.off);
      const src = t.bufRegion!;
      const dst = r.bufRegion!;
      const beatPs = this.beatPs(src, dst, t.burst > 0 && r.burst > 0);
      const s = b.push();
      s.start = time;
      s.head = head;
      s.beatPs = beatPs;
      s.n = n;
      s.end = time + head + Math.round(Math.ceil(n / this.cost.beatBytes) * beatPs);
      s.subDur = s.end - time;
      b.pairsPlanned++;
      s.src = src;
      s.srcOff = t.buf + t.off - src.base;
      s.dst = dst;
      s.dstOff = r.buf + r.off - dst.base;
      t.off += n;
      r.off += n;
      const txDone = t.off >= t.len;
      const eof = txDone && t.eof;
      const rxDone = r.off >= r.len || eof;
      s.txDesc = t.cur;
      s.txDescRegion = t.descRegion!;
      s.txW0 = t.w0;
      s.txDone = txDone;
      s.txOffEnd = t.off;
      s.rxDesc = r.cur;
      s.rxDescRegion = r.descRegion!;
      s.rxW0 = r.w0;
      s.rxDone = rxDone;
      s.rxOffEnd = r.off;
      s.eof = eof;
      if (rxDone) {
        r.loaded = false;
        r.cur = r.next;
        r.off = 0;
      }
      if (txDone) {
        t.loaded = false;
        t.cur = t.next;
        t.off = 0;
      }
      time = s.end;
      head = 0;
      if (eof) {
        b.endReason = 'eof';
        break;
      }
      if (txDone && t.cur === 0) {
        b.endReason = 'list-end';
        break;
      }
      if (!alone) {
        b.endReason = 'single';
        break;
      }
      if (b.count >= MAX_BATCH || b.pairsPlanned >= MAX_PAIRS) {
        b.endReason = 'cap';
        break;
      }
    }
    b.event = this.kernel.schedule(time - now, this.onBatchEnd, this.name);
  }

  /**
   * Appends the next descriptor pairs to the last record while they repeat it: consecutive descriptors with the
   * same words, buffers continuing the record's, both descriptors finished together. Reads each descriptor
   * exactly as `load` would (so owner bits still matter) at a fraction of its cost. Stops at the end of the TX
   * list or when MAX_PAIRS descriptor pairs are planned; returns how many pairs it appended.
   *
   * One call walks the whole run in one tight loop (a 128 KiB copy is a run of 32 pairs): the per-record
   * checks are made once, and a fresh process reaches optimised code for the loop (on-stack replacement)
   * within its first copies instead of interpreting one call per descriptor for thousands of copies.
   */
  private extend(b: Batch, t: Channel, r: Channel): number {
    const R = b.last;
    if (!R.txDone || !R.rxDone || R.eof || R.txOffEnd !== R.n || R.rxOffEnd !== R.n || R.head !== 2 * this.cost.fetchPs)
      return 0;
    const stride = this.stride;
    const tr = R.txDescRegion;
    const rr = R.rxDescRegion;
    const tv = this.dm.view(tr);
    const rv = this.dm.view(rr);
    const txW0 = R.txW0;
    const rxW0 = R.rxW0;
    const n = R.n;
    const srcAddr = R.src.base + R.srcOff;
    const dstAddr = R.dst.base + R.dstOff;
    const srcRoom = R.src.size - R.srcOff;
    const dstRoom = R.dst.size - R.dstOff;
    let m = R.m;
    let ta = t.cur;
    let ra = r.cur;
    let added = 0;
    let planned = b.pairsPlanned;
    while (planned < MAX_PAIRS) {
      if (ta !== R.txDesc + stride * m || ra !== R.rxDesc + stride * m) break;
      if (ta + stride > tr.end || ra + stride > rr.end) break;
      const ti = (ta - tr.base) >>> 2;
      const ri = (ra - rr.base) >>> 2;
      if (tv[ti] !== txW0 || rv[ri] !== rxW0) break;
      const bytes = m * n;
      if (tv[ti + 1] !== srcAddr + bytes || rv[ri + 1] !== dstAddr + bytes) break;
      if (bytes + n > srcRoom || bytes + n > dstRoom) break;
      m++;
      added++;
      planned++;
      ta = tv[ti + 2]!;
      ra = rv[ri + 2]!;
      if (ta === 0) break; // the TX list ends here
    }
    if (added === 0) return 0;
    R.m = m;
    R.end += added * R.subDur;
    b.pairsPlanned = planned;
    t.cur = ta;
    r.cur = ra;
    return added;
  }

  private lastBeat: { src: Region | undefined; dst: Region | undefined; burst: boolean; ps: number } = {
    src: undefined,
    dst: undefined,
    burst: false,
    ps: 0,
  };

  private beatPs(src: Region, dst: Region, burst: boolean): number {
    const c = this.lastBeat;
    if (c.src !== src || c.dst !== dst || c.burst !== burst) {
      c.src = src;
      c.dst = dst;
      c.burst = burst;
      c.ps = this.cost.beatPs(src.kind, dst.kind, src.bus === dst.bus && src.bus !== 'internal', burst);
    }
    return c.ps;
  }

  /** Reads and checks the descriptor at `c.cur` into the channel; the reason when the engine cannot use it. */
  private load(c: Channel): string | undefined {
    const addr = c.cur;
    if (addr === 0) return 'the RX list ended before the data did';
    const align = this.descriptor.align;
    if ((addr & (align - 1)) !== 0) return `descriptor address ${hex(addr)} is not ${align}-byte aligned`;
    let dr = this.lastDescRegion;
    if (dr === undefined || addr < dr.base || addr + this.stride > dr.end) {
      dr = this.dm.regionOf(addr, this.stride);
      if (!dr) return `descriptor address ${hex(addr)} is outside memory`;
      if (dr.kind !== 'sram' || !dr.dmaCapable)
        return `descriptor at ${hex(addr)} is in ${dr.name}, which the DMA cannot read descriptors from`;
      this.lastDescRegion = dr;
    }
    const v = this.dm.view(dr);
    const wi = (addr - dr.base) >>> 2;
    const w0 = v[wi]!;
    const buf = v[wi + 1]!;
    const tx = c.isTx;
    const len = tx ? word0Length(w0) : word0Size(w0);
    if (c.ownerCheck && w0 < 0x8000_0000) return `descriptor at ${hex(addr)} is owned by the CPU`;
    if (!tx && len === 0) return `RX descriptor at ${hex(addr)} has size 0`;
    let br = c.bufRegion;
    if (br === undefined || buf < br.base || buf + len > br.end) {
      const found = this.memory.locate(buf, len);
      if (typeof found === 'string') return `descriptor at ${hex(addr)}: buffer ${found}`;
      if (!found.dmaCapable || !this.opts.reaches(found) || (!tx && !found.writable)) {
        return `descriptor at ${hex(addr)}: buffer ${hex(buf)} is in ${found.name}, which this DMA cannot ${tx ? 'read' : 'write'}`;
      }
      br = found;
    }
    c.w0 = w0;
    c.buf = buf;
    c.len = len;
    c.next = v[wi + 2]!;
    c.eof = tx && word0SucEof(w0);
    c.descRegion = dr;
    c.bufRegion = br;
    c.off = 0;
    c.loaded = true;
    return undefined;
  }

  private descriptorError(c: Channel, addr: number, reason: string): void {
    c.running = false;
    c.errored = true;
    this.releaseLeases(this.tx[c.pair]!);
    this.releaseLeases(this.rx[c.pair]!);
    if (this.obs['descr-error'].observed)
      this.events.emit('descr-error', { pair: c.pair, dir: c.direction, descriptor: addr, reason });
    const i = c.interrupts;
    i.errDescriptor = addr;
    i.errReason = reason;
    // the RX list running out before the data is IN_DSCR_EMPTY as well as a descriptor error here
    const b = i.bits;
    this.latch(c, 'sucEof' in b && addr === 0 ? b.descrErr | b.descrEmpty : b.descrErr);
    this.raise(c);
  }

  /** The TX list ended (next = 0): the transfer is over. */
  private endOfList(t: Channel): void {
    t.running = false;
    // no more data flows into the RX list either
    this.releaseLeases(t);
    if (t.isTx) this.releaseLeases(this.rx[t.pair]!);
    if (this.obs['channel-stop'].observed)
      this.events.emit('channel-stop', { pair: t.pair, dir: t.direction, reason: 'end' });
    const b = t.interrupts.bits;
    if ('totalEof' in b) {
      this.latch(t, b.totalEof);
      this.raise(t);
    }
  }

  /** Bytes of record `s` the beats done by now have carried (whole sub-segments, then whole beats). */
  private partialBytes(s: SegmentRecord): number {
    const sub = this.subAt(s);
    const into = this.kernel.now - s.start - sub * s.subDur - s.head;
    let pb = 0;
    if (into > 0) pb = Math.min(s.n, Math.floor(into / s.beatPs) * this.cost.beatBytes);
    return sub * s.n + pb;
  }

  /** The sub-segment of record `s` in progress now. */
  private subAt(s: SegmentRecord): number {
    if (s.m === 1) return 0;
    const k = Math.floor((this.kernel.now - s.start) / s.subDur);
    return k < 0 ? 0 : k >= s.m ? s.m - 1 : k;
  }

  /** Moves memory up to `p` bytes into segment `k`: one `set` per contiguous run. */
  private moveTo(k: number, p: number): void {
    const b = this.batch;
    let runSrc: Region | undefined;
    let runDst: Region | undefined;
    let runSrcOff = 0;
    let runDstOff = 0;
    let runLen = 0;
    let total = 0;
    for (let i = b.movedSeg; i <= k; i++) {
      const s = b.segs[i]!;
      const from = i === b.movedSeg ? b.movedByte : 0;
      const to = i === k ? p : s.m * s.n;
      if (to <= from) continue;
      const so = s.srcOff + from;
      const dOff = s.dstOff + from;
      const len = to - from;
      total += len;
      if (
        runLen > 0 &&
        s.src === runSrc &&
        s.dst === runDst &&
        so === runSrcOff + runLen &&
        dOff === runDstOff + runLen
      ) {
        runLen += len;
        continue;
      }
      if (runLen > 0) this.moveRun(runSrc!, runSrcOff, runDst!, runDstOff, runLen, b.pair);
      runSrc = s.src;
      runDst = s.dst;
      runSrcOff = so;
      runDstOff = dOff;
      runLen = len;
    }
    if (runLen > 0) this.moveRun(runSrc!, runSrcOff, runDst!, runDstOff, runLen, b.pair);
    b.movedSeg = k;
    b.movedByte = p;
    this.moved[b.pair]! += total;
  }

  /** 'gdma pair 3', by pair: how the cache model names this engine's transfers (built when first needed). */
  private pairNames: string[] | undefined;

  /** One contiguous run of a pair's copy; a cache model attached to the memory hears it (one check per run). */
  private moveRun(src: Region, srcOff: number, dst: Region, dstOff: number, len: number, pair: number): void {
    const obs = this.memory.dmaObserver;
    if (obs !== undefined) {
      const who = (this.pairNames ??= Array.from({ length: this.pairs }, (_, p) => `${this.name} pair ${p}`))[pair]!;
      obs.dmaRead(src.base + srcOff, len, who);
      copyRun(src, srcOff, dst, dstOff, len);
      obs.dmaWrite(dst.base + dstOff, len, who);
      return;
    }
    copyRun(src, srcOff, dst, dstOff, len);
  }

  /** Writes back the descriptors finished by records before `k` and by the first `subs` sub-segments of record `k`. */
  private writeBackTo(k: number, subs = 0): void {
    const b = this.batch;
    const autoWb = this.tx[b.pair]!.autoWriteBack;
    const sw = this.strideWords;
    let txDone = false;
    let rxDone = false;
    for (let i = b.wbSeg; i <= k && i < b.count; i++) {
      const s = b.segs[i]!;
      const from = i === b.wbSeg ? b.wbSub : 0;
      const to = i === k ? subs : s.m;
      if (to <= from) continue;
      txDone ||= s.txDone;
      rxDone ||= s.rxDone;
      if (s.txDone && autoWb) {
        const v = this.dm.view(s.txDescRegion);
        const w = txWriteBack(s.txW0);
        for (let j = from, x = ((s.txDesc - s.txDescRegion.base) >>> 2) + sw * from; j < to; j++, x += sw) v[x] = w;
      }
      if (s.rxDone) {
        const v = this.dm.view(s.rxDescRegion);
        const w = rxWriteBack(s.rxW0, s.rxOffEnd, s.eof);
        for (let j = from, x = ((s.rxDesc - s.rxDescRegion.base) >>> 2) + sw * from; j < to; j++, x += sw) v[x] = w;
      }
    }
    if (k > b.wbSeg || (k === b.wbSeg && subs > b.wbSub)) {
      b.wbSeg = k;
      b.wbSub = subs;
    }
    // OUT_DONE / IN_DONE latch for the descriptors finished here; whoever commits raises the interrupt
    if (txDone) this.latch(this.tx[b.pair]!, this.tx[b.pair]!.interrupts.doneBit);
    if (rxDone) this.latch(this.rx[b.pair]!, this.rx[b.pair]!.interrupts.doneBit);
  }

  /** Puts a channel back on descriptor `addr`, `off` bytes in (after a cut); unloaded if it no longer checks out. */
  private restore(c: Channel, addr: number, off: number): void {
    c.cur = addr;
    // software may have rewritten the descriptor under the channel (a shorter length): the channel ends it where
    // it is rather than going past its end (which planned a negative-length segment)
    if (this.load(c) === undefined) c.off = Math.min(off, c.len);
    else {
      c.loaded = false;
      c.off = 0;
    }
  }

  /** Another pair wants the bus: the batch ends after its current descriptor pair. */
  private truncate(): void {
    const b = this.batch;
    const now = this.kernel.now;
    const k = b.indexAt(now);
    const s = b.segs[k]!;
    const sub = this.subAt(s);
    if (k >= b.count - 1 && sub >= s.m - 1) return;
    b.event!.cancel();
    if (sub < s.m - 1) {
      s.m = sub + 1;
      s.end = s.start + s.m * s.subDur;
    }
    const t = this.tx[b.pair]!;
    const r = this.rx[b.pair]!;
    const txD = s.txDesc + this.stride * sub;
    const rxD = s.rxDesc + this.stride * sub;
    if (s.txDone) {
      t.loaded = false;
      t.cur = this.dm.word(s.txDescRegion, txD, 2);
      t.off = 0;
    } else this.restore(t, txD, s.txOffEnd);
    if (s.rxDone) {
      r.loaded = false;
      r.cur = this.dm.word(s.rxDescRegion, rxD, 2);
      r.off = 0;
    } else this.restore(r, rxD, s.rxOffEnd);
    b.count = k + 1;
    b.error = undefined;
    b.endReason = 'single';
    b.event = this.kernel.schedule(s.end - now, this.onBatchEnd, this.name);
  }

  /** Stops the batch now (a stop or restart of its pair): the beats done so far stay moved, the rest waits. */
  private interrupt(): void {
    const b = this.batch;
    const now = this.kernel.now;
    const k = b.indexAt(now);
    const s = b.segs[k]!;
    // the batch ends at this very instant: commit it whole (its EOF comes first), and drop its end event, which
    // would otherwise commit whatever batch the bus holds when it runs
    b.event!.cancel();
    if (k === b.count - 1 && now >= s.end) {
      this.finishBatch();
      return;
    }
    b.event = undefined;
    const sub = this.subAt(s);
    const p = this.partialBytes(s);
    const pb = p - sub * s.n;
    this.moveTo(k, p);
    this.writeBackTo(k, sub);
    // DONE bits of the descriptors finished before the cut: their ISR runs after the call that cut the batch
    this.deferIsr(this.tx[b.pair]!);
    this.deferIsr(this.rx[b.pair]!);
    this.restore(this.tx[b.pair]!, s.txDesc + this.stride * sub, s.txOffEnd - s.n + pb);
    this.restore(this.rx[b.pair]!, s.rxDesc + this.stride * sub, s.rxOffEnd - s.n + pb);
    const total = this.moved[b.pair]!;
    if (this.obs.moved.observed)
      this.events.emit('moved', { pair: b.pair, bytes: total - this.batchStartMoved, total });
    b.pair = -1;
  }

  private readonly onBatchEnd = (): void => {
    this.finishBatch();
    this.arbitrate();
  };

  /** Commits the whole batch: bytes, write-backs, then the list end, a planned error, and EOF callbacks. */
  private finishBatch(): void {
    const b = this.batch;
    const outer = this.dispatching;
    this.dispatching = true;
    try {
      b.event = undefined;
      const p = b.pair;
      const last = b.last;
      const before = this.batchStartMoved;
      this.moveTo(b.count - 1, last.m * last.n);
      this.writeBackTo(b.count);
      b.pair = -1;
      const t = this.tx[p]!;
      const r = this.rx[p]!;
      if (this.obs.moved.observed)
        this.events.emit('moved', { pair: p, bytes: this.moved[p]! - before, total: this.moved[p]! });
      if (!t.loaded && t.cur === 0 && t.running) this.endOfList(t);
      if (b.error) this.descriptorError(b.error.dir === 'tx' ? t : r, b.error.addr, b.error.reason);
      if (!last.eof) {
        // descriptors finished without an EOF: only their DONE bits, whose ISR runs if someone enabled them
        this.raise(t);
        this.raise(r);
        return;
      }
      const txDesc = last.txDesc;
      const rxDesc = last.rxDesc;
      if (this.obs.eof.observed)
        this.events.emit('eof', { pair: p, dir: 'tx', descriptor: txDesc, bytes: this.moved[p]! });
      if (this.etmRaise && this.opts.etm) this.etmRaise(this.opts.etm.outEofBase + p);
      this.latchEof(t, txDesc);
      if (this.obs.eof.observed)
        this.events.emit('eof', { pair: p, dir: 'rx', descriptor: rxDesc, bytes: this.moved[p]! });
      if (this.etmRaise && this.opts.etm) this.etmRaise(this.opts.etm.inSucEofBase + p);
      this.latchEof(r, rxDesc);
    } finally {
      this.dispatching = outer;
    }
  }

  /**
   * Runs a callback with re-arbitration deferred until it returns (it may start or stop channels). A callback
   * that throws is a fault of the engine; the engine goes on.
   */
  private dispatch<E>(source: string, fn: (c: DmaChannel, e: E) => unknown, c: Channel, e: E): void {
    const outer = this.dispatching;
    this.dispatching = true;
    try {
      this.kernel.invoke(source, fn, c, e);
    } finally {
      this.dispatching = outer;
    }
    if (!outer) this.arbitrate();
  }

  private own(ch: DmaChannel): Channel {
    if (!(ch instanceof Channel) || (this.tx[ch.pair] !== ch && this.rx[ch.pair] !== ch)) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: not a channel of this engine`);
    }
    return ch;
  }
}
