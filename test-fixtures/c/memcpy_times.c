/* Copies of several sizes, each awaited through a semaphore given by its callback, 3 us apart. The same
 * experiment written in TypeScript must give the same completion times to the picosecond. */
#include "esp_async_memcpy.h"
#include "esp_heap_caps.h"
#include "esp_rom_sys.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"

static bool give(async_memcpy_handle_t mcp, async_memcpy_event_t *event, void *args)
{
    BaseType_t woken = pdFALSE;
    xSemaphoreGiveFromISR((SemaphoreHandle_t)args, &woken);
    return woken;
}

void app_main(void)
{
    static const size_t sizes[] = {64, 1000, 4096, 5000};
    async_memcpy_config_t config = ASYNC_MEMCPY_DEFAULT_CONFIG();
    async_memcpy_handle_t mcp = NULL;
    ESP_ERROR_CHECK(esp_async_memcpy_install(&config, &mcp));
    SemaphoreHandle_t sem = xSemaphoreCreateBinary();
    uint8_t *src = heap_caps_malloc(5000, MALLOC_CAP_DMA);
    uint8_t *dst = heap_caps_malloc(5000, MALLOC_CAP_DMA);
    for (int i = 0; i < 4; i++) {
        ESP_ERROR_CHECK(esp_async_memcpy(mcp, dst, src, sizes[i], give, sem));
        xSemaphoreTake(sem, portMAX_DELAY);
        esp_rom_delay_us(3);
    }
}
