/* Two tasks run a script the test writes into `script` before starting the program (its address is printed by a
 * constructor): delays, takes with timeouts and gives on one binary semaphore, and busy waits. Each step logs
 * what it returned and the tick count and time before and after, for the property test to check. */
#include <stdio.h>
#include <stdint.h>
#include "esp_timer.h"
#include "esp_rom_sys.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "freertos/semphr.h"

enum { OP_END, OP_DELAY, OP_TAKE, OP_GIVE, OP_BUSY };
#define STEPS 24

static uint32_t script[2][STEPS][2];
static SemaphoreHandle_t sem;
static SemaphoreHandle_t finished;

__attribute__((constructor)) static void announce(void) { printf("script %p\n", (void *)script); }

static void runner(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < STEPS && script[id][i][0] != OP_END; i++) {
        uint32_t op = script[id][i][0], a = script[id][i][1];
        TickType_t k0 = xTaskGetTickCount();
        int64_t t0 = esp_timer_get_time();
        int r = 0;
        switch (op) {
        case OP_DELAY: vTaskDelay(a); break;
        case OP_TAKE: r = xSemaphoreTake(sem, a); break;
        case OP_GIVE: r = xSemaphoreGive(sem); break;
        case OP_BUSY: esp_rom_delay_us(a); break;
        }
        printf("step %d %u %u %d %u %u %lld %lld\n", id, (unsigned)op, (unsigned)a, r, (unsigned)k0,
               (unsigned)xTaskGetTickCount(), (long long)t0, (long long)esp_timer_get_time());
    }
    xSemaphoreGive(finished);
    vTaskDelete(NULL);
}

void app_main(void)
{
    sem = xSemaphoreCreateBinary();
    finished = xSemaphoreCreateCounting(2, 0);
    xTaskCreate(runner, "t0", 4096, (void *)0, 5, NULL);
    xTaskCreate(runner, "t1", 4096, (void *)1, 5, NULL);
    xSemaphoreTake(finished, portMAX_DELAY);
    xSemaphoreTake(finished, portMAX_DELAY);
    printf("count %u\n", (unsigned)uxSemaphoreGetCount(sem));
}
