/* A callback (ISR context) that blocks stops the program, naming the call. */
#include "esp_async_memcpy.h"
#include "esp_heap_caps.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

static bool blocking_cb(async_memcpy_handle_t mcp, async_memcpy_event_t *event, void *args)
{
    vTaskDelay(1);
    return false;
}

void app_main(void)
{
    async_memcpy_config_t config = ASYNC_MEMCPY_DEFAULT_CONFIG();
    async_memcpy_handle_t mcp = NULL;
    ESP_ERROR_CHECK(esp_async_memcpy_install(&config, &mcp));
    uint8_t *buf = heap_caps_malloc(128, MALLOC_CAP_DMA);
    ESP_ERROR_CHECK(esp_async_memcpy(mcp, buf + 64, buf, 64, blocking_cb, NULL));
    vTaskDelay(10);
}
