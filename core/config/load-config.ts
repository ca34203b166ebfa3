import { existsSync, realpathSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
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
  tsxRegistered ??= import('tsx/esm/api').then(({ register }) => { register(); });
  return tsxRegistered;
}

async function importConfig(file: string, label: string): Promise<SimConfig> {
  return validateModule(await import(pathToFileURL(file).href), label);
}

function validateModule(mod: unknown, label: string): SimConfig {
  const config = (mod as { default?: unknown }).default;
  if (config === undefined || config === null || typeof config !== 'object') {
    throw new EspError(ESP_ERR_INVALID_ARG, `${label} has no default export (export default defineConfig({...}))`);
  }
  return defineConfig(config as SimConfig);
}
