/*
 * GPTimer alarm -> ETM -> GPIO: the alarm toggles a GPIO and re-arms itself through the ETM with no CPU in the
 * loop (as ESP-IDF's gptimer_etm_alarm_event_without_interrupt test); then the same timer with an alarm ISR
 * that wakes a task. Targets with GPTimer ETM: esp32c6, esp32h2 (the second test runs everywhere).
 */
#include <stdio.h>
#include "unity.h"
#include "esp_rom_sys.h"
#include "esp_timer.h"
#include "esp_etm.h"
#include "driver/gpio.h"
#include "driver/gpio_etm.h"
#include "driver/gptimer.h"
#include "driver/gptimer_etm.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"

#define OUT_GPIO 4

TEST_CASE("gptimer alarm toggles a GPIO through ETM and re-arms itself", "[gptimer][etm]")
{
    gptimer_handle_t timer = NULL;
    gptimer_config_t timer_config = {
        .clk_src = GPTIMER_CLK_SRC_DEFAULT,
        .direction = GPTIMER_COUNT_UP,
        .resolution_hz = 1000000, /* 1 tick = 1 us */
    };
    TEST_ESP_OK(gptimer_new_timer(&timer_config, &timer));

    esp_etm_event_handle_t alarm_event = NULL;
    gptimer_etm_event_config_t event_config = { .event_type = GPTIMER_ETM_EVENT_ALARM_MATCH };
    TEST_ESP_OK(gptimer_new_etm_event(timer, &event_config, &alarm_event));
    esp_etm_task_handle_t en_alarm_task = NULL;
    gptimer_etm_task_config_t task_config = { .task_type = GPTIMER_ETM_TASK_EN_ALARM };
    TEST_ESP_OK(gptimer_new_etm_task(timer, &task_config, &en_alarm_task));

    esp_etm_task_handle_t toggle_task = NULL;
    gpio_etm_task_config_t gpio_task_config = { .action = GPIO_ETM_TASK_ACTION_TOG };
    TEST_ESP_OK(gpio_new_etm_task(&gpio_task_config, &toggle_task));
    TEST_ESP_OK(gpio_etm_task_add_gpio(toggle_task, OUT_GPIO));
    gpio_config_t io_conf = { .mode = GPIO_MODE_OUTPUT, .pin_bit_mask = 1ULL << OUT_GPIO };
    TEST_ESP_OK(gpio_config(&io_conf));

    esp_etm_channel_config_t etm_config = {};
    esp_etm_channel_handle_t to_gpio = NULL, rearm = NULL;
    TEST_ESP_OK(esp_etm_new_channel(&etm_config, &to_gpio));
    TEST_ESP_OK(esp_etm_new_channel(&etm_config, &rearm));
    TEST_ESP_OK(esp_etm_channel_connect(to_gpio, alarm_event, toggle_task));
    TEST_ESP_OK(esp_etm_channel_connect(rearm, alarm_event, en_alarm_task));
    TEST_ESP_OK(esp_etm_channel_enable(to_gpio));
    TEST_ESP_OK(esp_etm_channel_enable(rearm));

    gptimer_alarm_config_t alarm_config = { .alarm_count = 100, .reload_count = 0, .flags.auto_reload_on_alarm = true };
    TEST_ESP_OK(gptimer_set_alarm_action(timer, &alarm_config));
    TEST_ESP_OK(gptimer_enable(timer));
    TEST_ESP_OK(gptimer_start(timer));
    esp_rom_delay_us(450); /* alarms at 100, 200, 300 and 400 us: four toggles */
    TEST_ESP_OK(gptimer_stop(timer));
    uint64_t count = 0;
    TEST_ESP_OK(gptimer_get_raw_count(timer, &count));
    printf("GPIO%d is %d, count %llu\n", OUT_GPIO, gpio_get_level(OUT_GPIO), (unsigned long long)count);
    TEST_ASSERT_EQUAL(0, gpio_get_level(OUT_GPIO));
    TEST_ASSERT_EQUAL_UINT64(50, count);
    TEST_ESP_OK(gptimer_disable(timer));

    TEST_ESP_OK(esp_etm_channel_disable(to_gpio));
    TEST_ESP_OK(esp_etm_channel_disable(rearm));
    TEST_ESP_OK(esp_etm_del_channel(to_gpio));
    TEST_ESP_OK(esp_etm_del_channel(rearm));
    TEST_ESP_OK(gpio_etm_task_rm_gpio(toggle_task, OUT_GPIO));
    TEST_ESP_OK(esp_etm_del_task(toggle_task));
    TEST_ESP_OK(esp_etm_del_task(en_alarm_task));
    TEST_ESP_OK(esp_etm_del_event(alarm_event));
    TEST_ESP_OK(gptimer_del_timer(timer));
}

typedef struct {
    SemaphoreHandle_t fifth;
    int alarms;
    uint64_t last_alarm_value;
} alarm_ctx_t;

static bool on_alarm(gptimer_handle_t timer, const gptimer_alarm_event_data_t *edata, void *user_ctx)
{
    alarm_ctx_t *ctx = user_ctx;
    BaseType_t woken = pdFALSE;
    ctx->last_alarm_value = edata->alarm_value;
    if (++ctx->alarms == 5) xSemaphoreGiveFromISR(ctx->fifth, &woken);
    return woken == pdTRUE;
}

TEST_CASE("gptimer alarm ISR wakes a task at the fifth alarm", "[gptimer]")
{
    alarm_ctx_t ctx = { .fifth = xSemaphoreCreateBinary() };
    gptimer_handle_t timer = NULL;
    gptimer_config_t timer_config = { .clk_src = GPTIMER_CLK_SRC_DEFAULT, .direction = GPTIMER_COUNT_UP, .resolution_hz = 1000000 };
    TEST_ESP_OK(gptimer_new_timer(&timer_config, &timer));
    gptimer_event_callbacks_t cbs = { .on_alarm = on_alarm };
    TEST_ESP_OK(gptimer_register_event_callbacks(timer, &cbs, &ctx));
    gptimer_alarm_config_t alarm_config = { .alarm_count = 200, .reload_count = 0, .flags.auto_reload_on_alarm = true };
    TEST_ESP_OK(gptimer_set_alarm_action(timer, &alarm_config));
    TEST_ESP_OK(gptimer_enable(timer));
    int64_t t0 = esp_timer_get_time();
    TEST_ESP_OK(gptimer_start(timer));
    TEST_ASSERT_EQUAL(pdTRUE, xSemaphoreTake(ctx.fifth, pdMS_TO_TICKS(100)));
    int64_t waited = esp_timer_get_time() - t0;
    TEST_ESP_OK(gptimer_stop(timer));
    printf("fifth alarm after %lld us\n", (long long)waited);
    TEST_ASSERT_EQUAL(5, ctx.alarms);
    TEST_ASSERT_EQUAL_UINT64(200, ctx.last_alarm_value);
    TEST_ASSERT_EQUAL(1000, waited);
    TEST_ESP_OK(gptimer_disable(timer));
    TEST_ESP_OK(gptimer_del_timer(timer));
    vSemaphoreDelete(ctx.fifth);
}
