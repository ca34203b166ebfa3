import { Observable, type Observer, type OperatorFunction, type Subscription } from 'rxjs';

type Next<T> = ((value: T) => void) | null | undefined;

/**
 * An Observable whose subscribers' exceptions are reported (as simulation faults) instead of being
 * re-thrown asynchronously by RxJS, and which stays guarded through `pipe`. A throwing `next` handler keeps
 * its subscription; an error travelling down a pipe (from an operator's callback) ends that subscription as
 * RxJS specifies, and is reported when the subscriber has no error handler.
 */
export class GuardedObservable<T> extends Observable<T> {
  constructor(
    inner: Observable<T>,
    private readonly report: (error: unknown) => void,
  ) {
    super((subscriber) => inner.subscribe(subscriber));
  }

  override subscribe(observerOrNext?: Partial<Observer<T>> | Next<T>): Subscription {
    const o: Partial<Observer<T>> =
      typeof observerOrNext === 'function' || observerOrNext == null
        ? { next: observerOrNext ?? undefined }
        : observerOrNext;
    const report = this.report;
    return super.subscribe({
      next: (v: T) => {
        if (o.next) {
          try {
            o.next.call(o, v);
          } catch (e) {
            report(e);
          }
        }
      },
      error: (err: unknown) => {
        if (!o.error) {
          report(err);
          return;
        }
        try {
          o.error.call(o, err);
        } catch (e) {
          report(e);
        }
      },
      complete: () => {
        if (o.complete) {
          try {
            o.complete.call(o);
          } catch (e) {
            report(e);
          }
        }
      },
    });
  }

  // Observable.pipe's overloads are all `(...ops) => Observable<X>`; one guarded implementation serves them.
  override pipe(): Observable<T>;
  override pipe<A>(op1: OperatorFunction<T, A>): Observable<A>;
  override pipe<A, B>(op1: OperatorFunction<T, A>, op2: OperatorFunction<A, B>): Observable<B>;
  override pipe<A, B, C>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
  ): Observable<C>;
  override pipe<A, B, C, D>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
  ): Observable<D>;
  override pipe(...ops: OperatorFunction<unknown, unknown>[]): Observable<unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the overloads above carry the types
  override pipe(...ops: any[]): Observable<any> {
    const piped = (Observable.prototype.pipe as (...o: unknown[]) => Observable<unknown>).apply(this, ops);
    return new GuardedObservable(piped, this.report);
  }
}
