/**
 * The promise `memcpy` returns. It resolves like any promise, but it only wakes the kernel's run loop (which
 * then lets the host drain its microtasks before simulated time moves on) when somebody is waiting for it:
 * copies chained from callbacks, whose promises nobody awaits, cost no trip through the host's event loop.
 */
export class CopyCompletion extends Promise<void> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }
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

let lastResolve: (() => void) | undefined;
let lastReject: ((e: unknown) => void) | undefined;
const capture = (a: () => void, b: (e: unknown) => void): void => {
  lastResolve = a;
  lastReject = b;
};

/** Where a copy's completion lives: the transaction object, reused copy after copy. */
export interface CompletionHolder {
  promise: CopyCompletion | undefined;
  resolve: (() => void) | undefined;
  reject: ((e: unknown) => void) | undefined;
}

/** A new CopyCompletion in `h` (one shared executor: nothing allocated beyond the promise and its functions). */
export function newCompletion(h: CompletionHolder): CopyCompletion {
  const p = new CopyCompletion(capture);
  h.promise = p;
  h.resolve = lastResolve;
  h.reject = lastReject;
  lastResolve = undefined;
  lastReject = undefined;
  return p;
}
