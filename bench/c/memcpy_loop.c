/* The benchmark's C side: 64-byte async memcpy copies in a loop. COPIES and CHAINED come from -D.
 * CHAINED=0: app_main issues a copy and takes a semaphore its callback gives, COPIES times (a task loop).
 * CHAINED=1: each copy's callback issues the next one (7 chains, backlog 8), app_main waits for the last. */
#include "esp_async_memcpy.h"
#include "esp_heap_caps.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"

static SemaphoreHandle_t sem;
static uint8_t *src, *dst;
static int issued, completed;

static bool give(async_memcpy_handle_t mcp, async_memcpy_event_t *event, void *args)
{
    BaseType_t woken = pdFALSE;
    xSemaphoreGiveFromISR(sem, &woken);
    return woken;
}

static bool chain(async_memcpy_handle_t mcp, async_memcpy_event_t *event, void *args)
{
    int k = (int)(intptr_t)args;
    BaseType_t woken = pdFALSE;
    if (++completed == COPIES) xSemaphoreGiveFromISR(sem, &woken);
    if (issued < COPIES) {
        issued++;
        esp_async_memcpy(mcp, dst + 64 * k, src + 64 * k, 64, chain, args);
    }
    return woken;
}

void app_main(void)
{
    async_memcpy_config_t config = { .backlog = 8, .dma_burst_size = 16 };
    async_memcpy_handle_t mcp = NULL;
    ESP_ERROR_CHECK(esp_async_memcpy_install(&config, &mcp));
    sem = xSemaphoreCreateBinary();
    src = heap_caps_malloc(64 * 8, MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL);
    dst = heap_caps_malloc(64 * 8, MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL);
#if CHAINED
    for (int k = 0; k < 7; k++) {
        issued++;
        ESP_ERROR_CHECK(esp_async_memcpy(mcp, dst + 64 * k, src + 64 * k, 64, chain, (void *)(intptr_t)k));
    }
#else
    for (int i = 0; i < COPIES; i++) {
        ESP_ERROR_CHECK(esp_async_memcpy(mcp, dst, src, 64, give, NULL));
        xSemaphoreTake(sem, portMAX_DELAY);
    }
#endif
    xSemaphoreTake(sem, CHAINED ? portMAX_DELAY : 0);
}
