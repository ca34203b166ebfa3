import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BLOCKING_HOST_FUNCTIONS, hostFunctionNames } from './host/index.js';
import { BUILT_FOR } from './built-for.js';

/** The Debian packages `soc-fabric cc` needs (`clangMajor` names the compiler-rt package). */
export function installCommand(clangMajor = 14): string {
  return `apt-get install -y clang lld wasi-libc libclang-rt-${clangMajor}-dev-wasm32 binaryen`;
}

/** Where the kit's C files are: c/include (headers) and c/runtime (the shims linked into every program). */
export const C_DIR = fileURLToPath(new URL('../../c/', import.meta.url));

export interface Toolchain {
  clang: string;
  wasmOpt: string;
  clangMajor: number;
}

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Debian's clang for wasm32-wasi with wasi-libc, compiler-rt's wasm32 builtins, wasm-ld and binaryen's
 * wasm-opt; or what is missing, as one line naming the apt-get command.
 */
export function findToolchain(): Toolchain | { missing: string } {
  const lacking: string[] = [];
  let clangMajor = 14;
  if (!which('clang')) lacking.push('clang');
  else {
    const v = /clang version (\d+)/.exec(execFileSync('clang', ['--version'], { encoding: 'utf8' }));
    if (v) clangMajor = Number(v[1]);
    const rt = spawnSync('clang', ['--target=wasm32-wasi', '-print-libgcc-file-name'], {
      encoding: 'utf8',
    }).stdout.trim();
    if (!rt || !existsSync(rt)) lacking.push(`libclang-rt-${clangMajor}-dev-wasm32`);
  }
  if (!which('wasm-ld')) lacking.push('lld');
  if (!existsSync('/usr/lib/wasm32-wasi/libc.a') && !existsSync('/usr/share/wasi-sysroot/lib/wasm32-wasi/libc.a'))
    lacking.push('wasi-libc');
  if (!which('wasm-opt')) lacking.push('binaryen');
  if (lacking.length) return { missing: `soc-fabric cc needs ${lacking.join(', ')}: ${installCommand(clangMajor)}` };
  return { clang: 'clang', wasmOpt: 'wasm-opt', clangMajor };
}

/** A hash of everything the runtime's objects depend on: the flags, the runtime's sources and the kit's headers. */
function runtimeKey(cflags: string[], runtime: string[]): string {
  const h = createHash('sha256').update(cflags.join('\0'));
  const headers = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.h'))
      .map((e) => join(e.parentPath, e.name))
      .sort();
  for (const f of [...runtime, ...headers(join(C_DIR, 'include')), ...headers(join(C_DIR, 'runtime'))])
    h.update(f).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

export interface CompileOptions {
  /** -D definitions (NAME or NAME=VALUE). */
  defines?: string[];
  /** Extra include folders. */
  includes?: string[];
  /** -O level for clang (default 2). */
  optimize?: 0 | 1 | 2 | 3 | 's';
  /** -D definitions for the program's own sources only (not the runtime): the target's sdkconfig and SOC_ macros. */
  targetDefines?: string[];
  /** The target the program is built for: loadApp refuses to run it on another (undefined: any target). */
  target?: string;
  /** Bytes of the main task's stack (default 32 KiB). */
  mainStack?: number;
}

/** What a compile produced: the diagnostics, and whether it failed. */
export interface CompileResult {
  ok: boolean;
  output: string;
}

/**
 * Compiles C sources with the kit's runtime into a program `loadApp` can run: clang for wasm32-wasi as a reactor
 * that imports its memory; link errors for any function the kit does not implement (wasm-ld may leave undefined
 * only the host functions); then binaryen's Asyncify over the blocking host functions.
 */
export function compileC(sources: string[], out: string, opts: CompileOptions = {}): CompileResult {
  const tc = findToolchain();
  if ('missing' in tc) return { ok: false, output: tc.missing };
  const tmp = mkdtempSync(join(tmpdir(), 'soc-fabric-cc-'));
  try {
    const allowed = join(tmp, 'host-functions.txt');
    writeFileSync(allowed, hostFunctionNames().join('\n') + '\n');
    const runtime = readdirSync(join(C_DIR, 'runtime'))
      .filter((f) => f.endsWith('.c'))
      .map((f) => join(C_DIR, 'runtime', f));
    const linked = join(tmp, 'linked.wasm');
    const cflags = [
      '--target=wasm32-wasi',
      `-O${opts.optimize ?? 2}`,
      '-mmutable-globals',
      '-I',
      join(C_DIR, 'include'),
      ...(opts.includes ?? []).flatMap((i) => ['-I', i]),
      ...(opts.defines ?? []).map((d) => `-D${d}`),
    ];
    // Compile and link apart: clang runs wasm-opt itself when it links with -O, which drops the names section
    // that trap messages take function names from.
    let output = '';
    const objects: string[] = [];
    const compile = (src: string, obj: string, extra: string[] = []): boolean => {
      const cc = spawnSync(tc.clang, [...cflags, ...extra, '-c', src, '-o', obj], { encoding: 'utf8' });
      output += (cc.stdout ?? '') + (cc.stderr ?? '');
      return cc.status === 0;
    };
    // Which target the program was built for, in the name of an export: loadApp reads it before instantiating.
    const built = join(tmp, 'built-for.c');
    writeFileSync(
      built,
      opts.target === undefined
        ? ''
        : `__attribute__((export_name(${JSON.stringify(`${BUILT_FOR}${opts.target}`)}))) void sf_built_for(void) {}\n`,
    );
    const targetFlags = (opts.targetDefines ?? []).map((d) => `-D${d}`);
    for (const [i, src] of [...sources, built].entries()) {
      const obj = join(tmp, `${i}.o`);
      if (!compile(src, obj, targetFlags)) return { ok: false, output: output.trim() };
      objects.push(obj);
    }
    // The runtime's objects depend only on the flags and the kit's C files: built once, kept in a cache folder.
    const cache = join(tmpdir(), 'soc-fabric-cc-cache', runtimeKey(cflags, runtime));
    mkdirSync(cache, { recursive: true });
    for (const src of runtime) {
      const obj = join(cache, basename(src).replace(/\.c$/, '.o'));
      if (!existsSync(obj)) {
        const part = `${obj}.${process.pid}.tmp`;
        if (!compile(src, part)) return { ok: false, output: output.trim() };
        renameSync(part, obj);
      }
      objects.push(obj);
    }
    const link = spawnSync(
      tc.clang,
      [
        '--target=wasm32-wasi',
        '-mexec-model=reactor',
        ...objects,
        '-Wl,--import-memory',
        '-Wl,--export-table',
        '-Wl,--export=__stack_pointer',
        '-Wl,--export=__heap_base',
        '-Wl,--export-if-defined=app_main',
        '-Wl,--stack-first',
        `-Wl,-z,stack-size=${opts.mainStack ?? 32768}`,
        `-Wl,--allow-undefined-file=${allowed}`,
        '-o',
        linked,
      ],
      { encoding: 'utf8' },
    );
    output += (link.stdout ?? '') + (link.stderr ?? '');
    if (link.status !== 0) {
      output = output.replace(/undefined symbol: (\S+)/g, 'undefined symbol: $1 (soc-fabric does not implement $1)');
      return { ok: false, output: output.trim() };
    }
    const imports = BLOCKING_HOST_FUNCTIONS.map((f) => `env.${f}`).join(',');
    const opt = spawnSync(
      tc.wasmOpt,
      [linked, '--asyncify', `--pass-arg=asyncify-imports@${imports}`, '-O2', '--debuginfo', '-o', out],
      { encoding: 'utf8' },
    );
    output += (opt.stdout ?? '') + (opt.stderr ?? '');
    return { ok: opt.status === 0, output: output.trim() };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
