import { defineToken } from '../../core/plugin/tokens.js';
import type { AsyncMemcpyService } from './service.js';

/** esp_async_memcpy: install a driver on the target's DMA (CP DMA, else AHB GDMA). */
export const AsyncMemcpy = defineToken<AsyncMemcpyService>('AsyncMemcpy');
