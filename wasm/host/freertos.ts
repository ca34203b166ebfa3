import { AppStop } from '../app-error.js';
import { AppTask, ASYNCIFY_BYTES, MIN_TASK_STACK } from '../tasks.js';
import { blockingFn, type HostContext, type HostFunctions } from './context.js';

/** portMAX_DELAY: wait forever. */
const MAX_DELAY = 0xffffffff;

/** A task blocked on a semaphore or queue: woken with a value, or by its timeout with 0. */
interface Waiter {
  wake(v: number): void;
}

class Semaphore {
  readonly takers: Waiter[] = [];
  constructor(
    public count: number,
    readonly max: number,
  ) {}
}

class Queue {
  readonly items: Uint8Array[] = [];
  readonly receivers: (Waiter & { buf: number })[] = [];
  readonly senders: (Waiter & { item: Uint8Array; front: boolean })[] = [];
  constructor(
    readonly length: number,
    readonly itemSize: number,
  ) {}
}

/**
 * FreeRTOS on the simulation: tasks are simulation tasks (TaskRunner); delays, semaphores, queues and
 * notifications block in simulated time. Ticks are FreeRTOS's: a delay of N ticks wakes at the N-th tick
 * boundary from now (xTickCount + N), a timeout likewise.
 */
export function freertosFunctions(ctx: HostContext): HostFunctions {
  const h = ctx.handles;
  const r = (): typeof ctx.runner => ctx.runner;
  const tickNow = (): number => Math.floor(ctx.sim.now / ctx.tickPs);
  /** Picoseconds from now to the tick boundary `ticks` ticks ahead. */
  const untilTick = (ticks: number): number => (tickNow() + (ticks >>> 0)) * ctx.tickPs - ctx.sim.now;

  /** A promise woken by `wake`, or after `ticks` (not for portMAX_DELAY) with 0; `remove` undoes the wait. */
  const wait = (ticks: number, add: (w: Waiter) => void, remove: (w: Waiter) => void): Promise<number> => {
    const d = r().kernel.deferred<number>();
    let timer: { cancel(): void } | undefined;
    const w: Waiter = {
      wake: (v) => {
        timer?.cancel();
        d.resolve(v);
      },
    };
    add(w);
    if (ticks >>> 0 !== MAX_DELAY)
      timer = ctx.sim.schedule(untilTick(ticks), () => {
        remove(w);
        d.resolve(0);
      });
    return d.promise;
  };
  const sem = (x: number, fn: string): Semaphore => h.get<Semaphore>('semaphore', x, fn);
  const queue = (x: number, fn: string): Queue => h.get<Queue>('queue', x, fn);
  const without = <T>(list: T[], w: T): void => {
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
  };

  const give = (s: Semaphore): number => {
    const w = s.takers.shift();
    if (w) {
      w.wake(1);
      return 3;
    }
    if (s.count < s.max) {
      s.count++;
      return 1;
    }
    return 0;
  };
  const put = (q: Queue, item: Uint8Array, front: boolean): number => {
    const rx = q.receivers.shift();
    if (rx) {
      ctx.mem.slice(rx.buf, q.itemSize).set(item);
      rx.wake(1);
      return 3;
    }
    if (q.items.length >= q.length) return 0;
    if (front) q.items.unshift(item);
    else q.items.push(item);
    return 1;
  };
  const take = (q: Queue, buf: number): number => {
    const item = q.items.shift();
    if (!item) return 0;
    ctx.mem.slice(buf, q.itemSize).set(item);
    const tx = q.senders.shift();
    if (tx) {
      if (tx.front) q.items.unshift(tx.item);
      else q.items.push(tx.item);
      tx.wake(1);
      return 3;
    }
    return 1;
  };

  const taskOf = (handle: number, fn: string): AppTask => {
    const t = handle === 0 ? r().current : h.get<AppTask>('task', handle, fn);
    if (!t)
      throw new AppStop({ status: 1, message: `${fn}: no task handle given, and not called from a task` }, 'abort');
    return t;
  };

  return {
    __sf_delay_ticks: blockingFn(ctx, 'vTaskDelay', (_t, ticks: number) =>
      ticks === 0 ? ctx.sim.delay(0).then(() => 0) : ctx.sim.delay(untilTick(ticks)).then(() => 0),
    ),
    __sf_busy_wait_us: blockingFn(ctx, 'esp_rom_delay_us', (_t, us: number) => ctx.sim.delay(us * 1e6).then(() => 0)),
    __sf_yield: blockingFn(ctx, 'taskYIELD', () => ctx.sim.delay(0).then(() => 0)),
    __sf_tick_count: () => tickNow() >>> 0,

    __sf_task_create: (fn, name, stack, arg, prio) => {
      const size = Math.max(stack, MIN_TASK_STACK);
      let base: number, data: number;
      try {
        base = ctx.sim.memory.alloc(size, { caps: ['internal'], align: 16 });
      } catch {
        return 0;
      }
      try {
        data = ctx.sim.memory.alloc(ASYNCIFY_BYTES, { caps: ['internal'], align: 16 });
      } catch {
        ctx.sim.memory.free(base);
        return 0;
      }
      const handle = h.add('task', undefined);
      const task = new AppTask(
        handle,
        ctx.mem.cstring(name, 16) || `task${handle}`,
        prio,
        ctx.mem.toWasm(base) + size,
        ctx.mem.toWasm(data),
      );
      (h.peek(handle) as { value: unknown }).value = task;
      const table = (): WebAssembly.Table => r().exports.__indirect_function_table;
      r().start(task, () => {
        (table().get(fn) as (a: number) => void)(arg);
      });
      return handle;
    },
    __sf_task_current: () => r().current?.handle ?? 0,
    __sf_task_delete: blockingFn(ctx, 'vTaskDelete', (t, handle: number) => {
      if (handle !== 0 && handle !== t.handle) {
        throw new AppStop(
          { status: 1, message: 'vTaskDelete of another task is not modelled (only vTaskDelete(NULL))' },
          'abort',
        );
      }
      t.deleted = true;
      queueMicrotask(() => r().onTaskEnd?.()); // once its stack has unwound
      return new Promise<number>(() => undefined); // never rewinds: the task is gone
    }),

    __sf_sem_create: (max, initial) =>
      max === 0 || initial > max ? 0 : h.add('semaphore', new Semaphore(initial, max)),
    __sf_sem_take: blockingFn(ctx, 'xSemaphoreTake', (_t, x: number, ticks: number) => {
      const s = sem(x, 'xSemaphoreTake');
      if (s.count > 0) {
        s.count--;
        return 1;
      }
      if (ticks === 0) return 0;
      return wait(
        ticks,
        (w) => s.takers.push(w),
        (w) => without(s.takers, w),
      );
    }),
    __sf_sem_take_isr: (x) => {
      const s = sem(x, 'xSemaphoreTakeFromISR');
      if (s.count > 0) {
        s.count--;
        return 1;
      }
      return 0;
    },
    __sf_sem_give: (x) => give(sem(x, 'xSemaphoreGive')),
    __sf_sem_count: (x) => sem(x, 'uxSemaphoreGetCount').count,
    __sf_sem_delete: (x) => {
      sem(x, 'vSemaphoreDelete');
      h.delete(x);
    },

    __sf_queue_create: (length, size) => (length === 0 || size === 0 ? 0 : h.add('queue', new Queue(length, size))),
    __sf_queue_send: blockingFn(ctx, 'xQueueSend', (_t, x: number, item: number, ticks: number, front: number) => {
      const q = queue(x, 'xQueueSend');
      const copy = ctx.mem.slice(item, q.itemSize).slice();
      if (put(q, copy, front !== 0)) return 1;
      if (ticks === 0) return 0;
      return wait(
        ticks,
        (w) => q.senders.push({ ...w, wake: w.wake, item: copy, front: front !== 0 }),
        (w) => {
          const i = q.senders.findIndex((s) => s.wake === w.wake);
          if (i >= 0) q.senders.splice(i, 1);
        },
      );
    }),
    __sf_queue_send_isr: (x, item, front) => {
      const q = queue(x, 'xQueueSendFromISR');
      return put(q, ctx.mem.slice(item, q.itemSize).slice(), front !== 0);
    },
    __sf_queue_receive: blockingFn(ctx, 'xQueueReceive', (_t, x: number, buf: number, ticks: number) => {
      const q = queue(x, 'xQueueReceive');
      if (take(q, buf)) return 1;
      if (ticks === 0) return 0;
      return wait(
        ticks,
        (w) => q.receivers.push({ wake: w.wake, buf }),
        (w) => {
          const i = q.receivers.findIndex((s) => s.wake === w.wake);
          if (i >= 0) q.receivers.splice(i, 1);
        },
      );
    }),
    __sf_queue_receive_isr: (x, buf) => take(queue(x, 'xQueueReceiveFromISR'), buf),
    __sf_queue_waiting: (x) => queue(x, 'uxQueueMessagesWaiting').items.length,
    __sf_queue_spaces: (x) => {
      const q = queue(x, 'uxQueueSpacesAvailable');
      return q.length - q.items.length;
    },
    __sf_queue_delete: (x) => {
      queue(x, 'vQueueDelete');
      h.delete(x);
    },

    __sf_notify_take: blockingFn(ctx, 'ulTaskNotifyTake', (t, clear: number, ticks: number) => {
      const takeValue = (): number => {
        const v = t.notifyValue;
        t.notifyValue = clear ? 0 : v - 1;
        return v;
      };
      if (t.notifyValue > 0) return takeValue();
      if (ticks === 0) return 0;
      return wait(
        ticks,
        (w) => {
          t.notifyWaiter = () => w.wake(takeValue());
        },
        () => {
          t.notifyWaiter = undefined;
        },
      );
    }),
    __sf_notify_give: (handle) => {
      const t = taskOf(handle, 'xTaskNotifyGive');
      t.notifyValue++;
      const w = t.notifyWaiter;
      if (!w) return 1;
      t.notifyWaiter = undefined;
      w(0);
      return 3;
    },
  };
}
