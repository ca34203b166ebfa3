import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A file written in chunks as it goes: text accumulates up to `chunkBytes` and is then written with one
 * synchronous call, so a long run never holds more than one chunk in memory (the kernel loop is
 * synchronous; a stream's backpressure could not be honoured there anyway).
 */
export class ChunkedFile {
  private fd: number | undefined;
  private parts: string[] = [];
  private pending = 0;

  constructor(
    readonly path: string,
    private readonly chunkBytes = 1 << 16,
  ) {
    this.fd = openSync(path, 'w'); // a path that cannot be opened throws here, naming it (Node's message)
  }

  write(text: string): void {
    if (this.fd === undefined) throw new Error(`${this.path} is already closed`);
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= this.chunkBytes) this.flush();
  }

  flush(): void {
    if (this.fd === undefined || this.pending === 0) return;
    try {
      writeSync(this.fd, this.parts.join(''));
    } catch (e) {
      // a write that fails mid-run (disk full, ...) names the file, not just the system call
      throw new Error(`cannot write ${this.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.parts = [];
    this.pending = 0;
  }

  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }
}
