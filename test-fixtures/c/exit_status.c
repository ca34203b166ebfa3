/* exit(n) ends the program with status n. */
#include <stdlib.h>
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

void app_main(void)
{
    vTaskDelay(2);
    exit(3);
}
