import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';

/**
 * The objects C code holds as opaque handles (async_memcpy_handle_t, esp_etm_channel_handle_t, TaskHandle_t,
 * ...): small integers, never 0, each remembering its kind so that a handle of the wrong kind is
 * ESP_ERR_INVALID_ARG instead of a confusion. Numbers are not reused, so a stale handle is caught too.
 */
export class Handles {
  private next = 1;
  private readonly live = new Map<number, { kind: string; value: unknown }>();

  add(kind: string, value: unknown): number {
    const h = this.next++;
    this.live.set(h, { kind, value });
    return h;
  }

  /** The object behind `h`; EspError ESP_ERR_INVALID_ARG naming `fn` when it is not a live `kind`. */
  get<T>(kind: string, h: number, fn: string): T {
    const e = this.live.get(h);
    if (!e || e.kind !== kind) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${fn}: ${h === 0 ? 'NULL' : `0x${h.toString(16)}`} is not a live ${kind} handle`,
      );
    }
    return e.value as T;
  }

  /** The object behind `h` whatever its kind, if live. */
  peek(h: number): { kind: string; value: unknown } | undefined {
    return this.live.get(h);
  }

  delete(h: number): void {
    this.live.delete(h);
  }
}
