import { Simulation } from '../core/simulation.js';
import { loadApp, type CApp, type LoadAppOptions } from './app.js';

declare module '../core/simulation.js' {
  interface Simulation {
    /**
     * Loads a C program built by `soc-fabric cc` into this simulation (before anything else allocates memory):
     * its memory becomes the target's RAM. `start()` the returned app to run its app_main (docs/c-apps.md).
     */
    loadApp(wasm: Uint8Array | WebAssembly.Module, opts?: LoadAppOptions): Promise<CApp>;
  }
}

// The method lives with the C-app host, so that core/ needs nothing from wasm/.
Simulation.prototype.loadApp = function loadAppMethod(
  this: Simulation,
  wasm: Uint8Array | WebAssembly.Module,
  opts?: LoadAppOptions,
) {
  return loadApp(this, wasm, opts);
};
