import type { IdfInfo } from '../idf.js';
import type { TargetCaps, TargetDefinition } from './target.js';

/** The target as plugins see it: its name, caps (their parameters) and full definition. */
export interface TargetInfo {
  readonly name: string;
  readonly caps: TargetCaps;
  readonly definition: TargetDefinition;
  /**
   * The ESP-IDF version modelled (createSimulation's `idf`, else the target's `idf`, else the current release).
   * Always set on the simulation's own TargetInfo; optional so that hand-made TargetInfo objects stay valid
   * (read it through `idfOf(target)`).
   */
  readonly idf?: IdfInfo;
}
