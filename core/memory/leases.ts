import { EspError, ESP_ERR_INVALID_STATE, hex } from '../errors.js';

/** A claim on a range of memory: until released, every other use of it through the kit is refused. */
export interface Lease {
  readonly addr: number;
  readonly len: number;
  /** Who holds it, for messages ("SPI2 transfer #3"). */
  readonly holder: string;
  /** Ends the claim. */
  release(): void;
}

/**
 * Buffers owned by an in-flight transfer (esp-hal moves them into the Transfer until `wait()` hands them back).
 * The checks cost one length test while no lease is live.
 */
export class LeaseTable {
  private live: Lease[] = [];

  /** Leases held now. */
  get size(): number { return this.live.length; }

  /** Claims [addr, addr+len) for `holder`; ESP_ERR_INVALID_STATE when it overlaps another live lease. */
  take(addr: number, len: number, holder: string): Lease {
    const clash = this.find(addr, len);
    if (clash) {
      throw new EspError(ESP_ERR_INVALID_STATE, `[${hex(addr)}, ${hex(addr + len)}) overlaps a buffer held by ${clash.holder} until it completes`);
    }
    const lease: Lease = {
      addr, len, holder,
      release: () => { this.live = this.live.filter((l) => l !== lease); },
    };
    this.live = [...this.live, lease];
    return lease;
  }

  /** The live lease overlapping [addr, addr+len), if any. */
  find(addr: number, len: number): Lease | undefined {
    if (this.live.length === 0) return undefined;
    const end = addr + Math.max(len, 1);
    return this.live.find((l) => addr < l.addr + l.len && l.addr < end);
  }

  /** Throws ESP_ERR_INVALID_STATE naming the holder when [addr, addr+len) is leased (except to `by`). */
  check(addr: number, len: number, what: string, by?: Lease): void {
    if (this.live.length === 0) return;
    const l = this.find(addr, len);
    if (l && l !== by) {
      throw new EspError(ESP_ERR_INVALID_STATE, `${what}: ${hex(addr)} is in a buffer held by ${l.holder} until it completes`);
    }
  }
}
