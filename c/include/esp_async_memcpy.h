/* soc-fabric: ESP-IDF's esp_async_memcpy.h (master; the v5.0-v5.5 config fields are accepted too). */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "esp_err.h"
#include "esp_etm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct async_memcpy_context_t *async_memcpy_handle_t;
typedef async_memcpy_handle_t async_memcpy_t;

typedef struct {
    void *data;
} async_memcpy_event_t;

/** Runs in ISR context when the copy is done: must not block; returns whether it woke a higher-priority task. */
typedef bool (*async_memcpy_isr_cb_t)(async_memcpy_handle_t mcp_hdl, async_memcpy_event_t *event, void *cb_args);

typedef struct {
    uint32_t backlog;           /* transactions in flight at most; 0 means 4 */
    size_t sram_trans_align;    /* v5.0-v5.5; ignored */
    union {
        size_t psram_trans_align; /* v5.0-v5.2 */
        size_t dma_burst_size;    /* a power of two; 0 disables burst */
    };
    size_t weight;
    uint32_t flags;
} async_memcpy_config_t;

#define ASYNC_MEMCPY_DEFAULT_CONFIG() \
    {                                 \
        .backlog = 8,                 \
        .dma_burst_size = 16,         \
        .flags = 0,                   \
    }

esp_err_t esp_async_memcpy_install(const async_memcpy_config_t *config, async_memcpy_handle_t *mcp);
esp_err_t esp_async_memcpy_install_gdma_ahb(const async_memcpy_config_t *config, async_memcpy_handle_t *mcp);
esp_err_t esp_async_memcpy_install_gdma_axi(const async_memcpy_config_t *config, async_memcpy_handle_t *mcp);
esp_err_t esp_async_memcpy_install_cpdma(const async_memcpy_config_t *config, async_memcpy_handle_t *mcp);
esp_err_t esp_async_memcpy_uninstall(async_memcpy_handle_t mcp);
esp_err_t esp_async_memcpy(async_memcpy_handle_t mcp, void *dst, void *src, size_t n,
                           async_memcpy_isr_cb_t cb_isr, void *cb_args);

typedef enum {
    ASYNC_MEMCPY_ETM_EVENT_COPY_DONE,
} async_memcpy_etm_event_t;

/** The copy-done ETM event (the RX channel's IN_SUC_EOF); ESP_ERR_NOT_SUPPORTED on CP DMA or a GDMA without ETM. */
esp_err_t esp_async_memcpy_new_etm_event(async_memcpy_handle_t mcp, async_memcpy_etm_event_t event_type,
                                         esp_etm_event_handle_t *out_event);

#ifdef __cplusplus
}
#endif
