/* Heap, static and stack buffers are simulated memory: the host reads and writes them while the task sleeps.
 * Where the target has PSRAM, a MALLOC_CAP_SPIRAM buffer is there, and a DMA copy into it is what C reads. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "esp_heap_caps.h"
#include "esp_async_memcpy.h"
#include "esp_cache.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "freertos/semphr.h"

static uint8_t static_buf[16];

static bool give(async_memcpy_handle_t mcp, async_memcpy_event_t *event, void *args)
{
    BaseType_t woken = pdFALSE;
    xSemaphoreGiveFromISR((SemaphoreHandle_t)args, &woken);
    return woken;
}

void app_main(void)
{
    uint8_t *heap_buf = heap_caps_malloc(16, MALLOC_CAP_DMA);
    uint8_t stack_buf[16];
    for (int i = 0; i < 16; i++) {
        heap_buf[i] = (uint8_t)i;
        static_buf[i] = (uint8_t)(0x40 + i);
        stack_buf[i] = (uint8_t)(0x80 + i);
    }
    printf("heap %p static %p stack %p\n", (void *)heap_buf, (void *)static_buf, (void *)stack_buf);
    uint8_t *psram_buf = heap_caps_aligned_alloc(64, 64, MALLOC_CAP_SPIRAM | MALLOC_CAP_DMA);
    printf("spiram %p\n", (void *)psram_buf);
    if (psram_buf) {
        async_memcpy_config_t config = ASYNC_MEMCPY_DEFAULT_CONFIG();
        async_memcpy_handle_t mcp = NULL;
        SemaphoreHandle_t done = xSemaphoreCreateBinary();
        ESP_ERROR_CHECK(esp_async_memcpy_install(&config, &mcp));
        ESP_ERROR_CHECK(esp_async_memcpy(mcp, psram_buf, heap_buf, 16, give, done));
        xSemaphoreTake(done, portMAX_DELAY);
        printf("psram copy %s\n", memcmp(psram_buf, heap_buf, 16) == 0 ? "ok" : "BAD");
        esp_err_t line = esp_cache_msync(psram_buf, 64, ESP_CACHE_MSYNC_FLAG_DIR_C2M);
        esp_err_t off_line = esp_cache_msync(psram_buf + 4, 60, ESP_CACHE_MSYNC_FLAG_DIR_C2M);
        esp_err_t internal = esp_cache_msync(heap_buf, 16, ESP_CACHE_MSYNC_FLAG_DIR_C2M);
        printf("msync 0x%x 0x%x 0x%x\n", line, off_line, internal);
    }
    vTaskDelay(1);
    printf("after: heap %u static %u stack %u\n", heap_buf[3], static_buf[3], stack_buf[3]);
}
