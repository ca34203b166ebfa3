/* A trap (here: a call through a bad function pointer) stops the program, naming the function. */
#include <stdio.h>
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

typedef void (*handler_t)(void);
volatile handler_t handlers[2];

__attribute__((noinline)) static void dispatch(int i) { handlers[i](); }

void app_main(void)
{
    printf("about to trap\n");
    vTaskDelay(1);
    dispatch(1);
}
