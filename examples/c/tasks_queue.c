/*
 * FreeRTOS tasks in simulated time: a producer task feeds a queue that app_main drains; a worker task is woken
 * by task notifications given from a DMA completion callback. Each task has its own stack; every blocking
 * call suspends only the task that made it.
 */
#include <stdio.h>
#include <string.h>
#include "esp_log.h"
#include "esp_timer.h"
#include "esp_heap_caps.h"
#include "esp_async_memcpy.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "freertos/queue.h"
#include "freertos/semphr.h"

static const char *TAG = "tasks";

typedef struct {
    int seq;
    int64_t sent_us;
} msg_t;

static QueueHandle_t queue;
static TaskHandle_t worker;
static SemaphoreHandle_t worker_done;

static void producer(void *arg)
{
    int count = (int)(intptr_t)arg;
    for (int i = 0; i < count; i++) {
        msg_t m = { .seq = i, .sent_us = esp_timer_get_time() };
        xQueueSend(queue, &m, portMAX_DELAY); /* blocks while the queue (length 2) is full */
        vTaskDelay(pdMS_TO_TICKS(10));
    }
    ESP_LOGI(TAG, "producer done");
    vTaskDelete(NULL);
}

static bool notify_worker(async_memcpy_handle_t mcp, async_memcpy_event_t *event, void *args)
{
    BaseType_t woken = pdFALSE;
    vTaskNotifyGiveFromISR((TaskHandle_t)args, &woken);
    return woken == pdTRUE;
}

static void copier(void *arg)
{
    async_memcpy_config_t config = ASYNC_MEMCPY_DEFAULT_CONFIG();
    async_memcpy_handle_t mcp = NULL;
    ESP_ERROR_CHECK(esp_async_memcpy_install(&config, &mcp));
    uint8_t *src = heap_caps_malloc(2048, MALLOC_CAP_DMA);
    uint8_t *dst = heap_caps_calloc(1, 2048, MALLOC_CAP_DMA);
    for (int i = 0; i < 2048; i++) src[i] = (uint8_t)(i * 3);
    for (int round = 0; round < 3; round++) {
        ESP_ERROR_CHECK(esp_async_memcpy(mcp, dst, src, 2048, notify_worker, xTaskGetCurrentTaskHandle()));
        uint32_t n = ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
        ESP_LOGI(TAG, "copy %d done (notified %u), data %s", round, (unsigned)n, memcmp(src, dst, 2048) == 0 ? "ok" : "BAD");
        src[round] ^= 0xff;
    }
    ESP_ERROR_CHECK(esp_async_memcpy_uninstall(mcp));
    xSemaphoreGive(worker_done);
    vTaskDelete(NULL);
}

void app_main(void)
{
    queue = xQueueCreate(2, sizeof(msg_t));
    worker_done = xSemaphoreCreateBinary();
    xTaskCreate(producer, "producer", 4096, (void *)(intptr_t)5, 5, NULL);
    xTaskCreate(copier, "copier", 4096, NULL, 6, &worker);
    msg_t m;
    for (int i = 0; i < 5; i++) {
        if (xQueueReceive(queue, &m, pdMS_TO_TICKS(100)) != pdTRUE) {
            ESP_LOGE(TAG, "queue timed out");
            return;
        }
        ESP_LOGI(TAG, "got %d, sent at %lld us, %u waiting", m.seq, (long long)m.sent_us, (unsigned)uxQueueMessagesWaiting(queue));
        vTaskDelay(pdMS_TO_TICKS(25)); /* slower than the producer: the queue fills up */
    }
    if (xSemaphoreTake(worker_done, pdMS_TO_TICKS(1000)) == pdTRUE) {
        ESP_LOGI(TAG, "all done");
    }
}
