export { asyncMemcpy } from './plugin.js';
export { AsyncMemcpy } from './tokens.js';
export type { AsyncMemcpyService } from './service.js';
export type { AsyncMemcpyDriver, AsyncMemcpyConfig, AsyncMemcpyBackend, AsyncMemcpyEvents } from './driver.js';
