import { EspError, ESP_ERR_INVALID_ARG } from './errors.js';

/**
 * The ESP-IDF releases whose behaviour the kit can reproduce where it changed between them. 'master' is the
 * development branch (SILICON.md's "ESP-IDF master": esp_memcpy_blocking, for one, exists only there).
 */
export const IDF_VERSIONS = ['5.0', '5.1', '5.2', '5.3', '5.4', '5.5', 'master'] as const;
/** One of IDF_VERSIONS: an ESP-IDF release ('5.1') or 'master'. */
export type IdfVersion = (typeof IDF_VERSIONS)[number];

/** The default: the current ESP-IDF release (v5.5). `idf: 'master'` selects the development branch. */
export const DEFAULT_IDF: IdfVersion = '5.5';

/** The ESP-IDF version a simulation models, with the comparisons version-dependent rules need. */
export interface IdfInfo {
  readonly version: IdfVersion;
  /** Whether the modelled version is `v` or later ('master' is later than every release). */
  atLeast(v: IdfVersion): boolean;
  /** Whether the modelled version lies in [from, to], both inclusive. */
  between(from: IdfVersion, to: IdfVersion): boolean;
}

/** Checks an `idf` option (undefined: the default) and returns the version. */
export function checkIdfVersion(v: unknown, where = 'createSimulation'): IdfVersion {
  if (v === undefined) return DEFAULT_IDF;
  if (typeof v !== 'string' || !(IDF_VERSIONS as readonly string[]).includes(v)) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `${where}: idf must be one of ${IDF_VERSIONS.map((x) => `'${x}'`).join(', ')}, got ${JSON.stringify(v) ?? String(v)}`,
    );
  }
  return v as IdfVersion;
}

/** The IdfInfo of a target as plugins see it (Core.Target): its `idf`, or the default release's. */
export function idfOf(target: { readonly idf?: IdfInfo }): IdfInfo {
  return target.idf ?? idfInfo(DEFAULT_IDF);
}

/** The IdfInfo of version `v`. */
export function idfInfo(v: IdfVersion): IdfInfo {
  const rank = (x: IdfVersion): number => IDF_VERSIONS.indexOf(x);
  const r = rank(v);
  return {
    version: v,
    atLeast: (x) => r >= rank(x),
    between: (from, to) => r >= rank(from) && r <= rank(to),
  };
}
