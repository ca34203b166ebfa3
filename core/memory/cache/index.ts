import { Core } from '../../tokens.js';

export {
  ESP_CACHE_MSYNC_FLAG_INVALIDATE,
  ESP_CACHE_MSYNC_FLAG_UNALIGNED,
  ESP_CACHE_MSYNC_FLAG_DIR_C2M,
  ESP_CACHE_MSYNC_FLAG_DIR_M2C,
  ESP_CACHE_MSYNC_FLAG_TYPE_DATA,
  ESP_CACHE_MSYNC_FLAG_TYPE_INST,
  type CacheService,
} from './msync.js';
export { DataCache, type DmaObserver, type Dropped } from './data-cache.js';
export type { CpuCachePath } from '../memory.js';
export { dataCacheCapsSchema, type DataCacheCaps } from './caps.js';
export { CACHE_RULES } from './findings.js';

/** esp_cache.h's functions: `sim.get(Cache).msync(addr, size, ESP_CACHE_MSYNC_FLAG_DIR_C2M)` (the same token as Core.Cache). */
export const Cache = Core.Cache;
