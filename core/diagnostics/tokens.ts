import { defineToken } from '../plugin/tokens.js';
import type { DiagnosticsService } from './diagnostics.js';

/**
 * The diagnostics service, bound only when the simulation was created with `checks`. Models that see a
 * condition only from inside (the DMA engine on a descriptor error, a driver refusing a call) inject it
 * optionally (`ctx.get(Diagnostics, { optional: true })`) and report when it is there.
 */
export const Diagnostics = defineToken<DiagnosticsService>('Diagnostics');
