/**
 * The promise `memcpy` returns. It resolves like any promise, but it only wakes the kernel's run loop (which
 * then lets the host drain its microtasks before simulated time moves on) when somebody is waiting for it:
 * copies chained from callbacks, whose promises nobody awaits, cost no trip through the host's event loop.
 */
export class CopyCompletion extends Promise<void> {
  static override get [Symbol.species](): PromiseConstructor { return Promise; }
  /** Set once `then` (or `await`, `catch`, `finally`) was called. */
  awaited = false;

  override then<A = void, B = never>(
    onFulfilled?: ((value: void) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.awaited = true;
    return super.then(onFulfilled, onRejected);
  }
}

/** A CopyCompletion with its settle functions. */
export function newCompletion(): { promise: CopyCompletion; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new CopyCompletion((a, b) => { resolve = a; reject = b; });
  return { promise, resolve, reject };
}
