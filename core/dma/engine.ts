import type { EventBus, EventSource } from '../bus/event-bus.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_FOUND, ESP_ERR_NOT_SUPPORTED, hex } from '../errors.js';
import type { Kernel, ScheduledEvent } from '../kernel/kernel.js';
import type { MemoryMap, Region } from '../memory/memory.js';
import type { EtmEvent, EtmTask } from '../../plugins/etm/contract.js';
import type {
  DmaChannel, DmaChannelCallbacks, DmaChannelDriver, DmaChannelState, DmaDir, DmaStrategy, DmaTransferConfig, DmaTrigger,
} from './channel-api.js';
import { DescriptorMemory, DESCRIPTOR_ALIGN, rxWriteBack, txWriteBack, word0Length, word0Owner, word0Size, word0SucEof } from './descriptor.js';
import { DmaCostModel, type DmaTiming } from './timing.js';

/** Hardware ETM IDs of an engine: event/task ID = base + pair. */
export interface DmaEtmIds { inSucEofBase: number; outEofBase: number; inStartTaskBase: number; outStartTaskBase: number }

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
}

export type DmaBusEvents = {
  'channel-start': { pair: number; dir: DmaDir; descriptor: number };
  'channel-stop': { pair: number; dir: DmaDir; reason: 'stop' | 'reset' | 'end' | 'error' };
  'segment': { pair: number; bytes: number; total: number };
  'eof': { pair: number; dir: DmaDir; descriptor: number; bytes: number };
  'descr-error': { pair: number; dir: DmaDir; descriptor: number; reason: string };
};

/** One channel's hardware state: its link position (the descriptor it is on, loaded or not) and its settings. */
class Channel implements DmaChannel {
  allocated = false;
  trigger: DmaTrigger | undefined;
  triggerId = -1;
  priority = 0;
  burst = 16;
  extMem = false;
  ownerCheck = true;
  autoWriteBack = true;
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

  constructor(private readonly engine: DmaEngine, readonly pair: number, readonly direction: DmaDir) {}

  get state(): DmaChannelState {
    return this.errored ? 'error' : this.running ? 'running' : (this.cur !== 0 || this.loaded) ? 'halted' : 'idle';
  }

  connect(trigger: DmaTrigger): void { this.engine.connect(this, trigger); }
  disconnect(): void { this.engine.disconnect(this); }
  setPriority(priority: number): void { this.engine.setPriority(this, priority); }
  configTransfer(cfg: DmaTransferConfig): void { this.engine.configTransfer(this, cfg); }
  applyStrategy(s: DmaStrategy): void {
    this.engine.checkAllocated(this, 'apply_strategy');
    if (s.ownerCheck !== undefined) this.ownerCheck = !!s.ownerCheck;
    if (s.autoUpdateDesc !== undefined) this.autoWriteBack = !!s.autoUpdateDesc;
  }
  registerCallbacks(cbs: DmaChannelCallbacks): void {
    this.engine.checkAllocated(this, 'register_event_callbacks');
    if (cbs === null || typeof cbs !== 'object') throw new EspError(ESP_ERR_INVALID_ARG, `${this.engine.name}: callbacks must be an object`);
    this.callbacks = { ...cbs };
  }
  start(descriptorAddr: number): void {
    this.engine.checkAllocated(this, 'start');
    if (this.etmStart) throw new EspError(ESP_ERR_INVALID_STATE, `${this.engine.name}: ${this.label} is started by the ETM (its START task exists); gdma_start is refused`);
    this.engine.startChannel(this, descriptorAddr);
  }
  stop(): void { this.engine.checkAllocated(this, 'stop'); this.engine.halt(this, 'stop'); }
  append(): void { this.engine.checkAllocated(this, 'append'); this.engine.append(this); }
  reset(): void { this.engine.checkAllocated(this, 'reset'); this.engine.resetChannel(this); }
  setDescriptorAddr(descriptorAddr: number): void {
    this.engine.checkAllocated(this, 'set_descriptor_addr');
    this.linkAddr = descriptorAddr >>> 0;
  }
  delete(): void { this.engine.deleteChannel(this); }

  get label(): string { return `pair ${this.pair} ${this.direction.toUpperCase()}`; }

  clearLink(): void {
    this.cur = 0; this.loaded = false; this.off = 0; this.descRegion = undefined; this.bufRegion = undefined;
  }
}

/** The in-flight segment: one descriptor's worth (or less) of one pair on the engine's bus. */
interface Segment {
  pair: number;
  start: number;
  /** Fixed cost before the first beat (descriptor fetches, start). */
  headPs: number;
  beatPs: number;
  n: number;
  /** Bytes of it already moved (a getStatus or a stop in the middle moves what the beats so far carried). */
  done: number;
  end: number;
  event: ScheduledEvent;
}

/**
 * A DMA engine (AHB GDMA, CP DMA): channel pairs whose memory-to-memory transfers walk descriptor lists in
 * simulated memory. Descriptors are read when the engine reaches them (so owner bits written by software
 * matter) and written back as the silicon does. The pairs share one bus: one segment (a descriptor's worth,
 * or less where the other side's descriptor ends first) is in flight at a time, the highest priority first and
 * round-robin among equals, so concurrent transfers slow each other. Each segment is one kernel event and one
 * `set`; `bytesMoved` interpolates inside the segment in flight.
 */
export class DmaEngine implements DmaChannelDriver {
  readonly name: string;
  readonly pairs: number;
  readonly maxDescriptorBytes: number;
  readonly burstNeedsAlignment: boolean;
  readonly cost: DmaCostModel;
  private readonly tx: Channel[] = [];
  private readonly rx: Channel[] = [];
  private readonly moved: number[];
  private readonly startPending: boolean[];
  private readonly dm: DescriptorMemory;
  private readonly events: EventSource<DmaBusEvents>;
  private inflight: Segment | undefined;
  private lastServed = -1;
  /** Inside a commit: callbacks may start and stop channels; the bus is re-arbitrated once afterwards. */
  private dispatching = false;
  private txTriggersInUse = 0;
  private rxTriggersInUse = 0;
  private etmRaise: ((id: number) => void) | undefined;

  constructor(
    readonly opts: DmaEngineOptions,
    private readonly kernel: Kernel,
    private readonly memory: MemoryMap,
    bus: EventBus,
    private readonly reportFault: (source: string, error: unknown) => void,
  ) {
    this.name = opts.name;
    this.pairs = opts.pairs;
    this.maxDescriptorBytes = opts.maxDescriptorBytes;
    this.burstNeedsAlignment = opts.burstNeedsAlignment;
    this.cost = new DmaCostModel(opts.timing);
    this.dm = new DescriptorMemory(memory);
    this.events = bus.source<DmaBusEvents>(opts.name);
    this.moved = new Array<number>(opts.pairs).fill(0);
    this.startPending = new Array<boolean>(opts.pairs).fill(false);
    for (let p = 0; p < opts.pairs; p++) {
      this.tx.push(new Channel(this, p, 'tx'));
      this.rx.push(new Channel(this, p, 'rx'));
    }
  }

  get descriptors(): DescriptorMemory { return this.dm; }

  // ---- allocation ----

  newChannel(direction: DmaDir, opts: { sibling?: DmaChannel; m2m?: boolean } = {}): DmaChannel {
    if (direction !== 'tx' && direction !== 'rx') throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: direction must be 'tx' or 'rx', got ${String(direction)}`);
    const list = direction === 'tx' ? this.tx : this.rx;
    if (opts.sibling !== undefined) {
      const s = this.own(opts.sibling);
      const c = list[s.pair]!;
      if (c.allocated) throw new EspError(ESP_ERR_NOT_FOUND, `${this.name}: the ${direction.toUpperCase()} channel of pair ${s.pair} is taken`);
      c.allocated = true;
      return c;
    }
    for (const c of list) {
      if (c.allocated || (opts.m2m && !this.m2mCapable(c.pair))) continue;
      c.allocated = true;
      return c;
    }
    throw new EspError(ESP_ERR_NOT_FOUND, `${this.name}: no free ${direction.toUpperCase()} channel${opts.m2m ? ' on a memory-to-memory capable pair' : ''} (${this.pairs} pairs)`);
  }

  newChannelPair(opts: { m2m?: boolean; pair?: number } = {}): { tx: DmaChannel; rx: DmaChannel } {
    for (let p = 0; p < this.pairs; p++) {
      if (opts.pair !== undefined && p !== opts.pair) continue;
      if (this.tx[p]!.allocated || this.rx[p]!.allocated || (opts.m2m && !this.m2mCapable(p))) continue;
      const tx = this.tx[p]!; const rx = this.rx[p]!;
      for (const c of [tx, rx]) {
        c.allocated = true; c.priority = 0; c.burst = 16; c.extMem = false; c.ownerCheck = true; c.autoWriteBack = true;
        c.callbacks = {}; c.etmStart = false; c.errored = false; c.running = false; c.clearLink(); c.linkAddr = 0;
      }
      this.moved[p] = 0;
      return { tx, rx };
    }
    const which = opts.pair !== undefined ? `pair ${opts.pair} is not free` : `no free ${opts.m2m ? 'memory-to-memory capable ' : ''}channel pair (${this.pairs} pairs)`;
    throw new EspError(ESP_ERR_NOT_FOUND, `${this.name}: ${which}`);
  }

  isPairFree(pair: number): boolean { return !this.tx[pair]!.allocated && !this.rx[pair]!.allocated; }
  m2mCapable(pair: number): boolean { return ((this.opts.m2mPairMask >>> pair) & 1) === 1; }

  deleteChannel(ch: DmaChannel): void {
    const c = this.own(ch);
    if (!c.allocated) throw new EspError(ESP_ERR_INVALID_STATE, `${this.name}: ${c.label} was already deleted`);
    this.halt(c, 'stop');
    if (c.trigger) this.disconnect(c);
    c.allocated = false; c.etmStart = false; c.errored = false; c.callbacks = {}; c.clearLink();
  }

  freeM2mTriggerMask(): number {
    return (this.opts.freeM2mTriggerMask & ~(this.txTriggersInUse | this.rxTriggersInUse)) >>> 0;
  }

  // ---- configuration ----

  connect(c: Channel, trigger: DmaTrigger): void {
    this.checkAllocated(c, 'connect');
    if (c.trigger) throw new EspError(ESP_ERR_INVALID_STATE, `${this.name}: ${c.label} is already connected; disconnect it first`);
    let id: number;
    if (trigger !== null && typeof trigger === 'object' && 'm2m' in trigger) {
      id = trigger.m2m;
      if (!Number.isInteger(id) || id < 0 || id > 31 || ((this.opts.freeM2mTriggerMask >>> id) & 1) === 0) {
        throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: ${String(id)} is not a memory-to-memory trigger ID of this target (mask 0x${this.opts.freeM2mTriggerMask.toString(16)})`);
      }
      if (!this.m2mCapable(c.pair)) throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: pair ${c.pair} cannot do memory-to-memory (mask 0x${this.opts.m2mPairMask.toString(16)})`);
    } else if (trigger !== null && typeof trigger === 'object' && 'peripheral' in trigger) {
      const pid = this.opts.peripheralTriggers[trigger.peripheral];
      if (pid === undefined) {
        throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: no peripheral trigger "${trigger.peripheral}" (has ${Object.keys(this.opts.peripheralTriggers).join(', ') || 'none'})`);
      }
      id = pid;
    } else {
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: trigger must be { m2m: id } or { peripheral: name }`);
    }
    const inUse = c.direction === 'tx' ? this.txTriggersInUse : this.rxTriggersInUse;
    if ((inUse >>> id) & 1) throw new EspError(ESP_ERR_INVALID_STATE, `${this.name}: trigger ID ${id} is already in use by another ${c.direction.toUpperCase()} channel`);
    if (c.direction === 'tx') this.txTriggersInUse |= 1 << id; else this.rxTriggersInUse |= 1 << id;
    c.trigger = { ...trigger };
    c.triggerId = id;
  }

  disconnect(c: Channel): void {
    this.checkAllocated(c, 'disconnect');
    if (!c.trigger) throw new EspError(ESP_ERR_INVALID_STATE, `${this.name}: ${c.label} is not connected`);
    const mask = ~(1 << c.triggerId);
    if (c.direction === 'tx') this.txTriggersInUse &= mask; else this.rxTriggersInUse &= mask;
    c.trigger = undefined;
    c.triggerId = -1;
  }

  setPriority(c: Channel, priority: number): void {
    this.checkAllocated(c, 'set_priority');
    if (!Number.isInteger(priority) || priority < 0 || priority >= this.opts.priorities) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: priority must be 0..${this.opts.priorities - 1}, got ${String(priority)}`);
    }
    c.priority = priority;
  }

  configTransfer(c: Channel, cfg: DmaTransferConfig): void {
    this.checkAllocated(c, 'config_transfer');
    const b = cfg.maxDataBurstSize ?? c.burst;
    if (!Number.isInteger(b) || b < 0 || b > 64 || (b & (b - 1)) !== 0) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: burst size must be 0 or a power of two up to 64, got ${String(b)}`);
    }
    c.burst = b;
    if (cfg.accessExtMem !== undefined) c.extMem = !!cfg.accessExtMem;
  }

  checkAllocated(c: DmaChannel, what: string): void {
    const own = this.own(c);
    if (!own.allocated) throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: ${what} on a deleted channel (${own.label})`);
  }

  canReach(addr: number, len: number): boolean {
    const r = this.memory.locate(addr, len);
    return typeof r !== 'string' && r.dmaCapable && this.opts.reaches(r);
  }

  /** Bytes moved by the pair so far; the beats of the segment in flight are moved first, so memory agrees. */
  bytesMoved(pair: number): number {
    const s = this.inflight;
    if (s && s.pair === pair) {
      const k = this.partialBytes(s);
      if (k > s.done && k < s.n) { this.move(pair, k - s.done); s.done = k; }
    }
    return this.moved[pair] ?? 0;
  }

  // ---- run control ----

  startChannel(c: Channel, addr: number): void {
    if (this.inflight?.pair === c.pair) this.interrupt();
    c.clearLink();
    c.cur = addr >>> 0;
    c.linkAddr = c.cur;
    c.errored = false;
    c.running = true;
    this.startPending[c.pair] = true;
    if (this.events.observed) this.events.emit('channel-start', { pair: c.pair, dir: c.direction, descriptor: c.cur });
    this.arbitrate();
  }

  halt(c: Channel, reason: 'stop' | 'reset'): void {
    if (!c.running) return;
    if (this.inflight?.pair === c.pair) this.interrupt();
    c.running = false;
    if (this.events.observed) this.events.emit('channel-stop', { pair: c.pair, dir: c.direction, reason });
    this.arbitrate();
  }

  append(c: Channel): void {
    if (c.running || c.errored) return;
    if (c.cur === 0 && !c.loaded) return;
    c.running = true;
    this.arbitrate();
  }

  resetChannel(c: Channel): void {
    this.halt(c, 'reset');
    c.clearLink();
    c.errored = false;
  }

  // ---- ETM ----

  newEtmEvent(ch: DmaChannel, kind: 'eof'): EtmEvent {
    const c = this.own(ch);
    this.checkAllocated(c, 'new_etm_event');
    if (!this.opts.etm) throw new EspError(ESP_ERR_NOT_SUPPORTED, `${this.name}: this target's DMA has no ETM events`);
    if (kind !== 'eof') throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: unknown ETM event "${String(kind)}" (only 'eof')`);
    return { id: (c.direction === 'rx' ? this.opts.etm.inSucEofBase : this.opts.etm.outEofBase) + c.pair };
  }

  newEtmTask(ch: DmaChannel, kind: 'start'): EtmTask {
    const c = this.own(ch);
    this.checkAllocated(c, 'new_etm_task');
    if (!this.opts.etm) throw new EspError(ESP_ERR_NOT_SUPPORTED, `${this.name}: this target's DMA has no ETM tasks`);
    if (kind !== 'start') throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: unknown ETM task "${String(kind)}" (only 'start')`);
    c.etmStart = true;
    return { id: (c.direction === 'rx' ? this.opts.etm.inStartTaskBase : this.opts.etm.outStartTaskBase) + c.pair };
  }

  /** ETM event names (ID -> name) for the ETM contribution. */
  etmEventNames(): Map<number, string> {
    const m = new Map<number, string>();
    const e = this.opts.etm;
    if (!e) return m;
    for (let p = 0; p < this.pairs; p++) {
      m.set(e.inSucEofBase + p, `GDMA_EVT_IN_SUC_EOF_CH${p}`);
      m.set(e.outEofBase + p, `GDMA_EVT_OUT_EOF_CH${p}`);
    }
    return m;
  }

  etmTaskNames(): Map<number, string> {
    const m = new Map<number, string>();
    const e = this.opts.etm;
    if (!e) return m;
    for (let p = 0; p < this.pairs; p++) {
      m.set(e.inStartTaskBase + p, `GDMA_TASK_IN_START_CH${p}`);
      m.set(e.outStartTaskBase + p, `GDMA_TASK_OUT_START_CH${p}`);
    }
    return m;
  }

  attachEtm(raise: (id: number) => void): void { this.etmRaise = raise; }

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

  private runnable(p: number): boolean {
    const t = this.tx[p]!; const r = this.rx[p]!;
    return t.running && r.running && t.triggerId >= 0 && t.triggerId === r.triggerId && t.trigger !== undefined && 'm2m' in t.trigger &&
      r.trigger !== undefined && 'm2m' in r.trigger;
  }

  /** Puts the next segment on the bus if it is free: highest priority first, round-robin among equals. */
  private arbitrate(): void {
    while (!this.inflight && !this.dispatching) {
      let best = -1;
      let bestPrio = -1;
      for (let i = 1; i <= this.pairs; i++) {
        const p = (this.lastServed + i) % this.pairs;
        if (!this.runnable(p)) continue;
        const prio = Math.max(this.tx[p]!.priority, this.rx[p]!.priority);
        if (prio > bestPrio) { best = p; bestPrio = prio; }
      }
      if (best < 0) return;
      this.lastServed = best;
      this.plan(best);
    }
  }

  /** Fetches what the pair needs and schedules its next segment, or raises a descriptor error. */
  private plan(p: number): void {
    const t = this.tx[p]!; const r = this.rx[p]!;
    let head = 0;
    if (this.startPending[p]) { head += this.cost.startPs; this.startPending[p] = false; }
    if (!t.loaded) {
      if (t.cur === 0) { this.endOfList(t); return; }
      if (!this.fetch(t)) return;
      head += this.cost.fetchPs;
    }
    if (!r.loaded) {
      if (!this.fetch(r)) return;
      head += this.cost.fetchPs;
    }
    const n = Math.min(t.len - t.off, r.len - r.off);
    const src = t.bufRegion!; const dst = r.bufRegion!;
    const burst = t.burst > 0 && r.burst > 0;
    const beatPs = this.cost.beatPs(src.kind, dst.kind, src.bus === dst.bus && src.bus !== 'internal', burst);
    const beats = Math.ceil(n / this.cost.beatBytes);
    const dur = head + Math.round(beats * beatPs);
    const seg: Segment = { pair: p, start: this.kernel.now, headPs: head, beatPs, n, done: 0, end: this.kernel.now + dur, event: undefined! };
    seg.event = this.kernel.schedule(dur, () => this.complete(seg), this.name);
    this.inflight = seg;
  }

  /** Reads and checks the descriptor at `c.cur`; false (after a descriptor error) when the engine cannot use it. */
  private fetch(c: Channel): boolean {
    const addr = c.cur;
    let reason: string | undefined;
    const dr = addr === 0 ? undefined : this.dm.regionOf(addr);
    if (addr === 0) reason = 'the RX list ended before the data did';
    else if (addr % DESCRIPTOR_ALIGN !== 0) reason = `descriptor address ${hex(addr)} is not 4-byte aligned`;
    else if (!dr) reason = `descriptor address ${hex(addr)} is outside memory`;
    else if (dr.kind !== 'sram' || !dr.dmaCapable) reason = `descriptor at ${hex(addr)} is in ${dr.name}, which the DMA cannot read descriptors from`;
    if (reason === undefined) {
      const w0 = this.dm.word(dr!, addr, 0);
      const buf = this.dm.word(dr!, addr, 1);
      const len = c.direction === 'tx' ? word0Length(w0) : word0Size(w0);
      if (c.ownerCheck && word0Owner(w0) === 0) reason = `descriptor at ${hex(addr)} is owned by the CPU`;
      else if (c.direction === 'rx' && len === 0) reason = `RX descriptor at ${hex(addr)} has size 0`;
      else {
        const br = this.memory.locate(buf, len);
        if (typeof br === 'string') reason = `descriptor at ${hex(addr)}: buffer ${br}`;
        else if (!br.dmaCapable || !this.opts.reaches(br) || (c.direction === 'rx' && !br.writable)) {
          reason = `descriptor at ${hex(addr)}: buffer ${hex(buf)} is in ${br.name}, which this DMA cannot ${c.direction === 'rx' ? 'write' : 'read'}`;
        } else {
          c.w0 = w0; c.buf = buf; c.len = len; c.next = this.dm.word(dr!, addr, 2); c.eof = c.direction === 'tx' && word0SucEof(w0);
          c.descRegion = dr; c.bufRegion = br; c.off = 0; c.loaded = true;
          return true;
        }
      }
    }
    this.descriptorError(c, addr, reason);
    return false;
  }

  private descriptorError(c: Channel, addr: number, reason: string): void {
    c.running = false;
    c.errored = true;
    if (this.events.observed) this.events.emit('descr-error', { pair: c.pair, dir: c.direction, descriptor: addr, reason });
    this.dispatch(() => { c.callbacks.onDescrErr?.(c, { descriptor: addr, reason }); });
  }

  /** The TX list ended (next = 0) without more data: the transfer is over. */
  private endOfList(t: Channel): void {
    t.running = false;
    if (this.events.observed) this.events.emit('channel-stop', { pair: t.pair, dir: 'tx', reason: 'end' });
  }

  private partialBytes(s: Segment): number {
    const into = this.kernel.now - s.start - s.headPs;
    if (into <= 0) return 0;
    const beats = Math.floor(into / s.beatPs);
    return Math.min(s.n, beats * this.cost.beatBytes);
  }

  /** Stops the segment in flight now: the bytes already moved stay moved, the rest waits for a restart. */
  private interrupt(): void {
    const s = this.inflight!;
    s.event.cancel();
    this.inflight = undefined;
    const k = this.partialBytes(s);
    if (k < s.n) { this.move(s.pair, k - s.done); return; }
    const outer = this.dispatching;
    this.dispatching = true;
    try { this.commit(s); } finally { this.dispatching = outer; }
  }

  private move(p: number, n: number): void {
    const t = this.tx[p]!; const r = this.rx[p]!;
    if (n > 0) {
      const so = t.buf + t.off - t.bufRegion!.base;
      r.bufRegion!.bytes.set(t.bufRegion!.bytes.subarray(so, so + n), r.buf + r.off - r.bufRegion!.base);
      t.off += n; r.off += n;
      this.moved[p]! += n;
    }
  }

  private complete(s: Segment): void {
    this.inflight = undefined;
    const outer = this.dispatching;
    this.dispatching = true;
    try { this.commit(s); } finally { this.dispatching = outer; }
    this.arbitrate();
  }

  /** Moves the segment's bytes, writes descriptors back and raises EOFs; callbacks run after the state is final. */
  private commit(s: Segment): void {
    const p = s.pair;
    const t = this.tx[p]!; const r = this.rx[p]!;
    this.move(p, s.n - s.done);
    if (this.events.observed) this.events.emit('segment', { pair: p, bytes: s.n, total: this.moved[p]! });
    const txDone = t.off >= t.len;
    const eof = txDone && t.eof;
    const rxDone = r.off >= r.len || eof;
    const txDesc = t.cur;
    const rxDesc = r.cur;
    const rxBytes = r.off;
    if (rxDone) {
      this.dm.setWord(r.descRegion!, rxDesc, 0, rxWriteBack(r.w0, rxBytes, eof));
      r.loaded = false; r.cur = r.next; r.off = 0;
    }
    if (txDone) {
      if (t.autoWriteBack) this.dm.setWord(t.descRegion!, txDesc, 0, txWriteBack(t.w0));
      t.loaded = false; t.cur = t.next; t.off = 0;
      if (t.cur === 0) this.endOfList(t);
    }
    if (!eof) return;
    const obs = this.events.observed;
    if (obs) this.events.emit('eof', { pair: p, dir: 'tx', descriptor: txDesc, bytes: this.moved[p]! });
    if (this.etmRaise && this.opts.etm) this.etmRaise(this.opts.etm.outEofBase + p);
    if (t.callbacks.onTransEof) this.dispatch(() => t.callbacks.onTransEof!(t, { descriptor: txDesc }));
    if (obs) this.events.emit('eof', { pair: p, dir: 'rx', descriptor: rxDesc, bytes: this.moved[p]! });
    if (this.etmRaise && this.opts.etm) this.etmRaise(this.opts.etm.inSucEofBase + p);
    if (r.callbacks.onRecvEof) this.dispatch(() => r.callbacks.onRecvEof!(r, { descriptor: rxDesc }));
  }

  /**
   * Runs a callback with re-arbitration deferred until it returns (it may start or stop channels). A callback
   * that throws is a fault of the engine; the engine goes on.
   */
  private dispatch(fn: () => void): void {
    const outer = this.dispatching;
    this.dispatching = true;
    try { fn(); } catch (e) { this.reportFault(this.name, e); } finally { this.dispatching = outer; }
    if (!outer) this.arbitrate();
  }

  private own(ch: DmaChannel): Channel {
    if (!(ch instanceof Channel) || (this.tx[ch.pair] !== ch && this.rx[ch.pair] !== ch)) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.name}: not a channel of this engine`);
    }
    return ch;
  }
}
