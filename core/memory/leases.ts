import { EspError, ESP_ERR_INVALID_STATE, hex } from '../errors.js';

/** A claim on a range of memory: until released, every other use of it through the kit is refused. */
export interface Lease {
  readonly addr: number;
  readonly len: number;
  /** Who holds it, for messages ("SPI2 transfer #3"). */
  readonly holder: string;
  /**
   * A shared lease (a DMA transfer's buffers) refuses writes, frees and exclusive leases, but lets others
   * read the range and take shared leases on it (two copies may read one source). An exclusive one (an SPI
   * transaction's buffers, as esp-hal moves them into the Transfer) refuses every other use.
   */
  readonly shared: boolean;
  /** Ends the claim (a second call does nothing). */
  release(): void;
}

/** A lease of a LeaseTable (a class, not a closure: transfers take and drop them copy after copy). */
class LiveLease implements Lease {
  private released = false;
  constructor(
    private readonly table: LeaseTable,
    readonly addr: number,
    readonly len: number,
    readonly holder: string,
    readonly shared: boolean,
  ) {}
  release(): void {
    if (this.released) return;
    this.released = true;
    this.table.remove(this);
  }
}

/** What a use of memory does: reads leave shared leases alone; writes and frees are refused by any lease. */
export type LeaseAccess = 'read' | 'write';

/**
 * Buffers owned by in-flight transfers. The checks cost one length test while no lease is live.
 */
export class LeaseTable {
  private live: Lease[] = [];
  /** Live exclusive leases: while there are none, shared takes and reads need no scan. */
  private exclusive = 0;

  /** Leases held now. */
  get size(): number {
    return this.live.length;
  }

  /**
   * Claims [addr, addr+len) for `holder`; ESP_ERR_INVALID_STATE when it overlaps a live lease it cannot share
   * (an exclusive one, or any one when this lease is exclusive).
   */
  take(addr: number, len: number, holder: string, opts: { shared?: boolean } = {}): Lease {
    const shared = opts.shared === true;
    const clash = shared && this.exclusive === 0 ? undefined : this.find(addr, len, shared ? 'read' : 'write');
    if (clash) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `[${hex(addr)}, ${hex(addr + len)}) overlaps a buffer held by ${clash.holder} until it completes`,
      );
    }
    const lease = new LiveLease(this, addr, len, holder, shared);
    this.live.push(lease);
    if (!shared) this.exclusive++;
    return lease;
  }

  /** @internal Drops `lease` from the live ones (LiveLease.release). */
  remove(lease: Lease): void {
    const live = this.live;
    const i = live.indexOf(lease);
    if (i >= 0) {
      live[i] = live[live.length - 1]!;
      live.pop();
      if (!lease.shared) this.exclusive--;
    }
  }

  /** The live lease overlapping [addr, addr+len) that refuses `access` (default: any lease), if any. */
  find(addr: number, len: number, access: LeaseAccess = 'write'): Lease | undefined {
    const live = this.live;
    if (live.length === 0) return undefined;
    const end = addr + Math.max(len, 1);
    for (let i = 0; i < live.length; i++) {
      const l = live[i]!;
      if (addr < l.addr + l.len && l.addr < end && !(access === 'read' && l.shared)) return l;
    }
    return undefined;
  }

  /**
   * Throws ESP_ERR_INVALID_STATE naming the holder when [addr, addr+len) is leased in a way that refuses
   * `access` (except to `by`).
   */
  check(addr: number, len: number, what: string, by?: Lease, access: LeaseAccess = 'write'): void {
    if (this.live.length === 0 || (access === 'read' && this.exclusive === 0)) return;
    const l = this.find(addr, len, access);
    if (l && l !== by) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `${what}: ${hex(addr)} is in a buffer held by ${l.holder} until it completes`,
      );
    }
  }
}
