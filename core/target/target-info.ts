import type { TargetCaps, TargetDefinition } from './target.js';

/** The target as plugins see it: its name, caps (their parameters) and full definition. */
export interface TargetInfo {
  readonly name: string;
  readonly caps: TargetCaps;
  readonly definition: TargetDefinition;
}
