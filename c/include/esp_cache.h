/* soc-fabric: ESP-IDF's esp_cache.h. esp_cache_msync is the kit's (Core.Cache): ESP-IDF's argument rules, and with the
 * data cache model on (createSimulation({ cache: true })) the write-back / invalidate of the lines the kit's accesses
 * cached; the app's own loads and stores reach memory directly. */
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

/** ESP_OK for memory behind the cache (PSRAM here); ESP_ERR_INVALID_ARG for NULL, both directions or types, an address
 *  or size off the cache line without ESP_CACHE_MSYNC_FLAG_UNALIGNED, or memory that is not cached (internal SRAM on
 *  these targets; ESP_ERR_NOT_SUPPORTED on ESP-IDF master), as ESP-IDF answers. */
esp_err_t esp_cache_msync(void *addr, size_t size, int flags);

#ifdef __cplusplus
}
#endif
