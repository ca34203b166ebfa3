import { espErrToName } from '../../core/errors.js';
import { AppStop } from '../app-error.js';
import type { HostContext, HostFunctions } from './context.js';

/** Time, aborts, ESP_ERROR_CHECK and Unity's registration and failures. */
export function systemFunctions(ctx: HostContext): HostFunctions {
  const s = (p: number): string => ctx.mem.cstring(p);
  return {
    __sf_now_us: () => ctx.sim.now / 1e6,
    __sf_error_check_failed: (rc, file, line, func, expr) => {
      const code = rc | 0;
      const hexCode = (code >>> 0).toString(16);
      throw new AppStop(
        {
          status: 1,
          message: `ESP_ERROR_CHECK failed: esp_err_t 0x${hexCode} (${espErrToName(code)}) in ${s(func)}() at ${s(file)}:${line}: ${s(expr)}`,
        },
        'abort',
      );
    },
    __sf_abort: (msg) => {
      throw new AppStop({ status: 134, message: s(msg) }, 'abort');
    },
    __sf_test_register: (name, desc, fn, file, line) => {
      ctx.tests.push({ name: s(name), desc: s(desc), fn, file: s(file), line });
    },
    __sf_test_ignore: (file, line, msg) => {
      throw new AppStop(
        { status: 0, ignored: true, message: `${s(file)}:${line}: IGNORED${msg && s(msg) ? `: ${s(msg)}` : ''}` },
        'test-ignore',
      );
    },
    __sf_test_fail: (file, line, msg) => {
      const text = s(msg);
      throw new AppStop({ status: 1, message: `${s(file)}:${line}: ${text === '' ? 'FAIL' : text}` }, 'test-fail');
    },
  };
}

// WASI errno values (wasi_snapshot_preview1)
const WASI_ESUCCESS = 0;
const WASI_EBADF = 8;
const WASI_ENOSYS = 52;
const WASI_ESPIPE = 70;

/**
 * The WASI functions wasi-libc needs for printf, exit and clocks: stdout and stderr become the program's
 * output lines (time-stamped by whoever prints them); every other WASI call answers ENOSYS.
 */
export function wasiFunctions(ctx: HostContext, wanted: readonly string[]): HostFunctions {
  const pending = new Map<number, string>();
  const utf8 = new TextDecoder();
  const write = (fd: number, text: string): void => {
    let buf = (pending.get(fd) ?? '') + text;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      ctx.print(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    pending.set(fd, buf);
  };
  const known: HostFunctions = {
    fd_write: (fd, iovs, iovsLen, nwritten) => {
      if (fd !== 1 && fd !== 2) return WASI_EBADF;
      let n = 0;
      let text = '';
      for (let i = 0; i < iovsLen; i++) {
        const p = ctx.mem.u32(iovs + 8 * i);
        const len = ctx.mem.u32(iovs + 8 * i + 4);
        text += utf8.decode(ctx.mem.slice(p, len));
        n += len;
      }
      write(fd, text);
      ctx.mem.setU32(nwritten, n);
      return WASI_ESUCCESS;
    },
    fd_close: () => WASI_ESUCCESS,
    fd_seek: () => WASI_ESPIPE,
    fd_fdstat_get: (fd, out) => {
      if (fd > 2) return WASI_EBADF;
      ctx.mem.slice(out, 24).fill(0);
      ctx.mem.slice(out, 1)[0] = 2; // character device: stdio is a terminal
      return WASI_ESUCCESS;
    },
    proc_exit: (code) => {
      throw new AppStop({ status: code >>> 0 }, 'exit');
    },
    environ_sizes_get: (count, size) => {
      ctx.mem.setU32(count, 0);
      ctx.mem.setU32(size, 0);
      return WASI_ESUCCESS;
    },
    environ_get: () => WASI_ESUCCESS,
    args_sizes_get: (count, size) => {
      ctx.mem.setU32(count, 0);
      ctx.mem.setU32(size, 0);
      return WASI_ESUCCESS;
    },
    args_get: () => WASI_ESUCCESS,
    clock_time_get: (_id: number, _precision: unknown, out: number) => {
      ctx.mem.setU64(out, Math.floor(ctx.sim.now / 1000)); // nanoseconds of simulated time
      return WASI_ESUCCESS;
    },
    random_get: (buf, len) => {
      const b = ctx.mem.slice(buf, len);
      for (let i = 0; i < len; i++) b[i] = ctx.sim.random.int(0, 255);
      return WASI_ESUCCESS;
    },
  } as HostFunctions;
  const fns: HostFunctions = {};
  for (const name of wanted) fns[name] = known[name] ?? (() => WASI_ENOSYS);
  return fns;
}
