/*
 * ESP-IDF's "async_memcpy_eof_event" ETM test (components/esp_hw_support/test_apps/etm): each copy's COPY_DONE
 * event toggles a GPIO through one ETM channel, with no CPU involved. The pin starts at 1; after 19 copies it
 * is 0. Targets with GDMA ETM: esp32c6, esp32h2.
 */
#include <stdio.h>
#include <stdlib.h>
#include "unity.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "esp_heap_caps.h"
#include "esp_etm.h"
#include "driver/gpio.h"
#include "driver/gpio_etm.h"
#include "esp_async_memcpy.h"

TEST_CASE("async_memcpy_eof_event", "[GDMA][ETM]")
{
    const uint32_t output_gpio = 1;
    /* copy done --> ETM channel --> GPIO toggle */
    esp_etm_channel_config_t etm_config = {};
    esp_etm_channel_handle_t etm_channel;
    TEST_ESP_OK(esp_etm_new_channel(&etm_config, &etm_channel));

    esp_etm_task_handle_t gpio_task = NULL;
    gpio_etm_task_config_t gpio_task_config = { .action = GPIO_ETM_TASK_ACTION_TOG };
    TEST_ESP_OK(gpio_new_etm_task(&gpio_task_config, &gpio_task));
    TEST_ESP_OK(gpio_etm_task_add_gpio(gpio_task, output_gpio));

    gpio_config_t io_conf = {
        .intr_type = GPIO_INTR_DISABLE,
        .mode = GPIO_MODE_INPUT_OUTPUT,
        .pin_bit_mask = 1ULL << output_gpio,
    };
    TEST_ESP_OK(gpio_config(&io_conf));
    TEST_ESP_OK(gpio_set_level(output_gpio, 1));

    async_memcpy_handle_t mcp = NULL;
    async_memcpy_config_t config = ASYNC_MEMCPY_DEFAULT_CONFIG();
    TEST_ESP_OK(esp_async_memcpy_install(&config, &mcp));
    esp_etm_event_handle_t mcp_event = NULL;
    TEST_ESP_OK(esp_async_memcpy_new_etm_event(mcp, ASYNC_MEMCPY_ETM_EVENT_COPY_DONE, &mcp_event));

    TEST_ESP_OK(esp_etm_channel_connect(etm_channel, mcp_event, gpio_task));
    TEST_ESP_OK(esp_etm_channel_enable(etm_channel));
    TEST_ESP_OK(esp_etm_dump(stdout));

    const uint32_t buffer_size = 1024;
    uint8_t *src_buf = heap_caps_aligned_alloc(64, buffer_size, MALLOC_CAP_8BIT | MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL);
    uint8_t *dst_buf = heap_caps_aligned_alloc(64, buffer_size, MALLOC_CAP_8BIT | MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL);
    TEST_ASSERT_NOT_NULL(src_buf);
    TEST_ASSERT_NOT_NULL(dst_buf);

    for (int j = 0; j < 19; j++) {
        TEST_ESP_OK(esp_async_memcpy(mcp, dst_buf, src_buf, buffer_size, NULL, NULL));
        vTaskDelay(pdMS_TO_TICKS(10));
    }
    vTaskDelay(pdMS_TO_TICKS(1000));
    TEST_ASSERT_EQUAL(0, gpio_get_level(output_gpio));

    TEST_ESP_OK(gpio_etm_task_rm_gpio(gpio_task, output_gpio));
    TEST_ESP_OK(esp_etm_channel_disable(etm_channel));
    TEST_ESP_OK(esp_etm_del_task(gpio_task));
    TEST_ESP_OK(esp_etm_del_event(mcp_event));
    TEST_ESP_OK(esp_etm_del_channel(etm_channel));
    TEST_ESP_OK(esp_async_memcpy_uninstall(mcp));
    free(src_buf);
    free(dst_buf);
}
