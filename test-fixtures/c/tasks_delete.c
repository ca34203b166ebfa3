/* app_main returns first; the last task deletes itself: the program ends then, with status 0. */
#include <stdio.h>
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

static void worker(void *arg)
{
    vTaskDelay((TickType_t)(intptr_t)arg);
    printf("worker %d done\n", (int)(intptr_t)arg);
    vTaskDelete(NULL);
}

void app_main(void)
{
    xTaskCreate(worker, "w3", 2048, (void *)3, 5, NULL);
    xTaskCreate(worker, "w7", 2048, (void *)7, 5, NULL);
    printf("main returns\n");
}
