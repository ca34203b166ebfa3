/*
 * app_main in ESP-IDF's style: logs, a DMA-capable buffer, and delays in simulated time.
 *   soc-fabric cc examples/c/hello_log.c -o hello.wasm && soc-fabric run --app hello.wasm --target esp32c6
 */
#include <stdio.h>
#include <string.h>
#include "esp_log.h"
#include "esp_heap_caps.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

static const char *TAG = "hello";

void app_main(void)
{
    uint8_t *buf = heap_caps_malloc(64, MALLOC_CAP_DMA);
    ESP_LOGI(TAG, "64 DMA-capable bytes at %p, %u bytes of internal heap free", buf,
             (unsigned)heap_caps_get_free_size(MALLOC_CAP_INTERNAL));
    for (int i = 0; i < 3; i++) {
        vTaskDelay(pdMS_TO_TICKS(20));
        ESP_LOGI(TAG, "tick %u, %lld us", (unsigned)xTaskGetTickCount(), (long long)esp_timer_get_time());
    }
    heap_caps_free(buf);
    printf("done\n");
}
