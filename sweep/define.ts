import { sweepSchema, type SweepDefinition, type SweepPointParams } from '../core/config/sweep.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';
import { formatIssues } from '../core/target/schema.js';

/**
 * Declares a sweep for a config's `sweeps: [...]`: checks it (zod) and returns it. A bad field throws one EspError
 * ESP_ERR_INVALID_ARG naming its path.
 */
export function defineSweep<P extends SweepPointParams>(sweep: SweepDefinition<P>): SweepDefinition<P> {
  const r = sweepSchema.safeParse(sweep);
  if (!r.success) {
    const name =
      typeof (sweep as { name?: unknown })?.name === 'string' ? ` "${(sweep as { name: string }).name}"` : '';
    throw new EspError(ESP_ERR_INVALID_ARG, `invalid sweep${name}: ${formatIssues(r.error.issues)}`);
  }
  return sweep;
}
