/* Heap, static and stack buffers are simulated memory: the host reads and writes them while the task sleeps. */
#include <stdio.h>
#include <stdint.h>
#include "esp_heap_caps.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

static uint8_t static_buf[16];

void app_main(void)
{
    uint8_t *heap_buf = heap_caps_malloc(16, MALLOC_CAP_DMA);
    uint8_t stack_buf[16];
    for (int i = 0; i < 16; i++) {
        heap_buf[i] = (uint8_t)i;
        static_buf[i] = (uint8_t)(0x40 + i);
        stack_buf[i] = (uint8_t)(0x80 + i);
    }
    printf("heap %p static %p stack %p\n", (void *)heap_buf, (void *)static_buf, (void *)stack_buf);
    vTaskDelay(1);
    printf("after: heap %u static %u stack %u\n", heap_buf[3], static_buf[3], stack_buf[3]);
}
