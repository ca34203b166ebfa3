/**
 * How esp_async_memcpy lays out a destination behind the data cache (ESP-IDF esp_dma_utils.c,
 * esp_dma_split_rx_buffer_to_cache_aligned): the part of the first and last cache lines the copy shares with
 * other data (head, tail) goes to stash buffers in internal memory and is copied into place by the CPU at the
 * end (esp_dma_merge_aligned_rx_buffers); the line-aligned body is the DMA's own, invalidated before the copy.
 */
export interface RxSplit {
  /** Bytes from `dst` that go through the first stash line (0: none). */
  readonly head: number;
  /** Line-aligned bytes the DMA writes in place, from `dst + head`. */
  readonly body: number;
  /** Bytes at the end that go through a stash line (0: none). */
  readonly tail: number;
}

/** The split of [dst, dst+n) for cache lines of `line` bytes, as esp_dma_split_rx_buffer_to_cache_aligned computes it. */
export function splitRx(dst: number, n: number, line: number): RxSplit {
  const rem = dst % line;
  const headOverflow = rem ? line - rem : 0;
  const tailOverflow = (dst + n) % line;
  // a buffer no longer than its overflow goes through the head stash line whole
  const small = headOverflow >= n || tailOverflow >= n;
  const head = headOverflow || small ? (small ? n : headOverflow) : 0;
  const bodyLen = n - headOverflow - tailOverflow;
  const body = bodyLen > 0 && !small ? bodyLen : 0;
  const tail = tailOverflow && !small ? tailOverflow : 0;
  return { head, body, tail };
}
