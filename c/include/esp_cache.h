/* soc-fabric: ESP-IDF's esp_cache.h. The model has no cache: esp_cache_msync checks its arguments only. */
#pragma once
#include <stddef.h>
#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_CACHE_MSYNC_FLAG_INVALIDATE (1 << 0)
#define ESP_CACHE_MSYNC_FLAG_UNALIGNED (1 << 1)
#define ESP_CACHE_MSYNC_FLAG_DIR_C2M (1 << 2)
#define ESP_CACHE_MSYNC_FLAG_DIR_M2C (1 << 3)
#define ESP_CACHE_MSYNC_FLAG_TYPE_DATA (1 << 4)
#define ESP_CACHE_MSYNC_FLAG_TYPE_INST (1 << 5)

/** ESP_OK for memory behind the cache (PSRAM here); ESP_ERR_INVALID_ARG for NULL, size 0, or memory that is not
 *  cached (internal SRAM on these targets), as ESP-IDF answers. */
esp_err_t esp_cache_msync(void *addr, size_t size, int flags);

#ifdef __cplusplus
}
#endif
