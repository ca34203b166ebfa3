import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_NOT_FOUND } from '../errors.js';
import { defineConfig, type SimConfig } from './config.js';

/**
 * dist/ and the package root (the folder holding package.json and dist/). Worked out on first use, not at
 * import: the CLI's bundle (scripts/bundle-cli.mjs) carries this module without an import.meta.url of its own.
 */
function roots(): { distRoot: string; packageRoot: string } {
  const distRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return { distRoot, packageRoot: resolve(distRoot, '..') };
}

/**
 * Loads a config file: `.js`/`.mjs` natively, `.ts`/`.mts` through tsx. A `.ts` file of this package that
 * was compiled into dist/ is loaded from its build, so that it shares module instances (tokens) with the kit.
 */
export async function loadConfigFile(path: string): Promise<SimConfig> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new EspError(ESP_ERR_NOT_FOUND, `config file ${path} does not exist`);
  const real = realpathSync(abs);
  const ext = extname(real);
  if (ext === '.ts' || ext === '.mts') {
    const { distRoot, packageRoot } = roots();
    const rel = relative(packageRoot, real);
    if (!rel.startsWith('..') && !rel.startsWith(`dist${sep}`)) {
      const built = join(distRoot, rel.replace(/\.m?ts$/, '.js'));
      if (existsSync(built)) return importConfig(built, path);
    }
    await registerTypeScriptLoader();
    return importConfig(real, path);
  }
  return importConfig(real, path);
}

let tsxRegistered: Promise<void> | undefined;

/**
 * Registers tsx's loader for the process (once). Not `tsImport`: that loads the file's whole import graph
 * in a namespace of its own, so its `import ... from 'soc-fabric'` would be a second copy of the kit with
 * tokens of its own. Registered globally, the config's imports resolve to the very modules the kit runs.
 */
function registerTypeScriptLoader(): Promise<void> {
  tsxRegistered ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return tsxRegistered;
}

async function importConfig(file: string, label: string): Promise<SimConfig> {
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    throw explainLoadError(e, file, label);
  }
  return validateModule(mod, label);
}

/**
 * A config that fails to load, said in one line a person can act on: esbuild's syntax errors (tsx's
 * "Transform failed with N errors", whose next lines are `file:line:col: ERROR: reason`) as `file:line:col:
 * reason`; a .ts file in a CommonJS package scope (tsx then compiles it to CommonJS, which cannot import
 * the kit's ES modules) with what to change.
 */
function explainLoadError(e: unknown, file: string, label: string): unknown {
  const msg = e instanceof Error ? e.message : String(e);
  const located = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(msg);
  if (located && /Transform failed/.test(msg)) {
    const count = /Transform failed with (\d+) error/.exec(msg)?.[1];
    const more =
      count !== undefined && Number(count) > 1
        ? ` (and ${Number(count) - 1} more error${Number(count) > 2 ? 's' : ''})`
        : '';
    return new EspError(
      ESP_ERR_INVALID_ARG,
      `config ${relative(process.cwd(), located[1]!) || located[1]}:${located[2]}:${located[3]}: syntax error: ${located[4]}${more}`,
    );
  }
  const ext = extname(file);
  if (
    (ext === '.ts' || ext === '.js') &&
    !isEsmScope(file) &&
    /require\(\)|ERR_REQUIRE|Cannot use import statement|exports is not defined/.test(msg)
  ) {
    const pkg = nearestPackageJson(file);
    return new EspError(
      ESP_ERR_INVALID_ARG,
      `config ${label} is in a CommonJS folder (${pkg ? `${pkg} has no "type": "module"` : 'no package.json says "type": "module"'}), ` +
        `so it cannot import soc-fabric's ES modules: rename it to ${basename(file).replace(/\.(ts|js)$/, (m) => (m === '.ts' ? '.mts' : '.mjs'))} ` +
        `or add "type": "module" to ${pkg ?? `a package.json in ${dirname(file)}`}`,
    );
  }
  return e;
}

function nearestPackageJson(file: string): string | undefined {
  for (let d = dirname(file); ; d = dirname(d)) {
    const p = join(d, 'package.json');
    if (existsSync(p)) return p;
    if (dirname(d) === d) return undefined;
  }
}

/** Whether Node treats `file` (.ts/.js) as an ES module: its nearest package.json says "type": "module". */
function isEsmScope(file: string): boolean {
  const p = nearestPackageJson(file);
  if (p === undefined) return false;
  try {
    return (JSON.parse(readFileSync(p, 'utf8')) as { type?: unknown }).type === 'module';
  } catch {
    return false;
  }
}

function validateModule(mod: unknown, label: string): SimConfig {
  const config = (mod as { default?: unknown }).default;
  if (config === undefined || config === null || typeof config !== 'object') {
    throw new EspError(ESP_ERR_INVALID_ARG, `${label} has no default export (export default defineConfig({...}))`);
  }
  return defineConfig(config as SimConfig);
}
