import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE } from '../core/errors.js';
import { loadDefaultConfig } from '../create-simulation.js';
import { pluginTemplate, TEMPLATE_IMPORTS, type PluginNames } from './plugin-template.js';
import { dmaPluginTemplate, DMA_TEMPLATE_IMPORTS } from './plugin-template-dma.js';

/** A plugin name: lower-case words joined by hyphens (`pulse-counter`), as a folder and a bus source. */
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
  'await',
  'arguments',
  'eval',
]);

/** The identifiers for `name`, or an EspError ESP_ERR_INVALID_ARG saying what is wrong with it. */
export function pluginNames(name: string): PluginNames {
  if (!NAME.test(name) || name.length > 40) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `plugin name "${name}" must be lower-case letters and digits in words joined by hyphens, starting with a letter (e.g. pulse-counter), at most 40 characters`,
    );
  }
  const words = name.split('-');
  const factory =
    words[0]! +
    words
      .slice(1)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('');
  const token = factory[0]!.toUpperCase() + factory.slice(1);
  if (RESERVED.has(factory))
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `plugin name "${name}" would make a factory named "${factory}", a reserved word in JavaScript`,
    );
  const taken = [factory, token, `${token}Service`, `${token}Model`, `${token}BusEvents`].find(
    (id) => TEMPLATE_IMPORTS.includes(id) || DMA_TEMPLATE_IMPORTS.includes(id),
  );
  if (taken !== undefined) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `plugin name "${name}" would make an identifier "${taken}" that the generated code imports from soc-fabric or chai; choose another name`,
    );
  }
  return { name, factory, token };
}

/**
 * `soc-fabric new plugin NAME [--dma]`: writes the folder `dir/NAME` with a plugin (index.ts, NAME-model.ts), its test,
 * a tsconfig.json and a README. Refuses a bad name or an existing folder, writing nothing. Returns the files.
 */
export async function scaffoldPlugin(name: string, dir = '.', opts: { dma?: boolean } = {}): Promise<string[]> {
  const names = pluginNames(name);
  const builtIn = await builtInPluginNames();
  if (builtIn.has(name)) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `plugin name "${name}" is a built-in plugin's (${[...builtIn].sort().join(', ')}); a plugin of that name could not join a target that has the built-in one: choose another name`,
    );
  }
  const folder = resolve(dir, name);
  if (existsSync(folder))
    throw new EspError(ESP_ERR_INVALID_STATE, `${folder} already exists; choose another name or --dir`);
  // --dma: a peripheral streaming through GDMA; its index, model and test replace the plain ones
  const files = opts.dma ? { ...pluginTemplate(names), ...dmaPluginTemplate(names) } : pluginTemplate(names);
  mkdirSync(folder, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const path = join(folder, file);
    writeFileSync(path, text);
    written.push(path);
  }
  return written;
}

/** The names of the plugins the built-in targets are made of (a new plugin may not take one). */
async function builtInPluginNames(): Promise<Set<string>> {
  const config = await loadDefaultConfig();
  return new Set(config.targets.flatMap((t) => t.plugins.map((p) => p.name)));
}
