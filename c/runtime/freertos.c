/* soc-fabric runtime: FreeRTOS over the host's simulation tasks, semaphores and queues. */
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "freertos/semphr.h"
#include "freertos/queue.h"
#include "sf_host.h"

#define H(x) ((uint32_t)(uintptr_t)(x))

BaseType_t xTaskCreatePinnedToCore(TaskFunction_t fn, const char *name, uint32_t stack, void *arg, UBaseType_t prio,
                                   TaskHandle_t *created, BaseType_t core) {
    (void)core;
    uint32_t t = __sf_task_create(fn, name ? name : "", stack, arg, prio);
    if (created) *created = (TaskHandle_t)(uintptr_t)t;
    return t ? pdPASS : pdFAIL;
}
BaseType_t xTaskCreate(TaskFunction_t fn, const char *name, uint32_t stack, void *arg, UBaseType_t prio, TaskHandle_t *created) {
    return xTaskCreatePinnedToCore(fn, name, stack, arg, prio, created, tskNO_AFFINITY);
}
void vTaskDelete(TaskHandle_t task) { __sf_task_delete(H(task)); }
void vTaskDelay(const TickType_t ticks) { __sf_delay_ticks(ticks); }
BaseType_t xTaskDelayUntil(TickType_t *prev, const TickType_t inc) {
    TickType_t wake = *prev + inc, now = __sf_tick_count();
    *prev = wake;
    if ((int32_t)(wake - now) <= 0) return pdFALSE;
    __sf_delay_ticks(wake - now);
    return pdTRUE;
}
TickType_t xTaskGetTickCount(void) { return __sf_tick_count(); }
TickType_t xTaskGetTickCountFromISR(void) { return __sf_tick_count(); }
TaskHandle_t xTaskGetCurrentTaskHandle(void) { return (TaskHandle_t)(uintptr_t)__sf_task_current(); }
void taskYIELD(void) { __sf_yield(); }

uint32_t ulTaskNotifyTake(BaseType_t clear, TickType_t ticks) { return __sf_notify_take(clear, ticks); }
BaseType_t xTaskNotifyGive(TaskHandle_t task) { __sf_notify_give(H(task)); return pdPASS; }
void vTaskNotifyGiveFromISR(TaskHandle_t task, BaseType_t *woken) {
    int r = __sf_notify_give(H(task));
    if (woken && (r & 2)) *woken = pdTRUE;
}

SemaphoreHandle_t xSemaphoreCreateBinary(void) { return (SemaphoreHandle_t)(uintptr_t)__sf_sem_create(1, 0); }
SemaphoreHandle_t xSemaphoreCreateCounting(UBaseType_t max, UBaseType_t initial) {
    return (SemaphoreHandle_t)(uintptr_t)__sf_sem_create(max, initial);
}
/* A mutex is a binary semaphore that starts given (no priority inheritance in the model). */
SemaphoreHandle_t xSemaphoreCreateMutex(void) { return (SemaphoreHandle_t)(uintptr_t)__sf_sem_create(1, 1); }
BaseType_t xSemaphoreTake(SemaphoreHandle_t s, TickType_t ticks) { return __sf_sem_take(H(s), ticks); }
BaseType_t xSemaphoreGive(SemaphoreHandle_t s) { return __sf_sem_give(H(s)) & 1; }
BaseType_t xSemaphoreGiveFromISR(SemaphoreHandle_t s, BaseType_t *woken) {
    int r = __sf_sem_give(H(s));
    if (woken && (r & 2)) *woken = pdTRUE;
    return r & 1;
}
BaseType_t xSemaphoreTakeFromISR(SemaphoreHandle_t s, BaseType_t *woken) { (void)woken; return __sf_sem_take_isr(H(s)); }
UBaseType_t uxSemaphoreGetCount(SemaphoreHandle_t s) { return __sf_sem_count(H(s)); }
void vSemaphoreDelete(SemaphoreHandle_t s) { __sf_sem_delete(H(s)); }

QueueHandle_t xQueueCreate(UBaseType_t length, UBaseType_t item_size) {
    return (QueueHandle_t)(uintptr_t)__sf_queue_create(length, item_size);
}
BaseType_t xQueueSend(QueueHandle_t q, const void *item, TickType_t ticks) { return __sf_queue_send(H(q), item, ticks, 0); }
BaseType_t xQueueSendToBack(QueueHandle_t q, const void *item, TickType_t ticks) { return __sf_queue_send(H(q), item, ticks, 0); }
BaseType_t xQueueSendToFront(QueueHandle_t q, const void *item, TickType_t ticks) { return __sf_queue_send(H(q), item, ticks, 1); }
BaseType_t xQueueSendFromISR(QueueHandle_t q, const void *item, BaseType_t *woken) {
    int r = __sf_queue_send_isr(H(q), item, 0);
    if (woken && (r & 2)) *woken = pdTRUE;
    return r & 1;
}
BaseType_t xQueueReceive(QueueHandle_t q, void *buf, TickType_t ticks) { return __sf_queue_receive(H(q), buf, ticks); }
BaseType_t xQueueReceiveFromISR(QueueHandle_t q, void *buf, BaseType_t *woken) {
    int r = __sf_queue_receive_isr(H(q), buf);
    if (woken && (r & 2)) *woken = pdTRUE;
    return r & 1;
}
UBaseType_t uxQueueMessagesWaiting(QueueHandle_t q) { return __sf_queue_waiting(H(q)); }
UBaseType_t uxQueueSpacesAvailable(QueueHandle_t q) { return __sf_queue_spaces(H(q)); }
void vQueueDelete(QueueHandle_t q) { __sf_queue_delete(H(q)); }
