/* soc-fabric runtime: the host functions (wasm imports, module "env") the TypeScript side implements
 * (wasm/host/ in TypeScript). Every public API function of c/include is a thin C shim over these: C structs are read
 * here, so the host sees only integers and pointers. Functions marked "blocks" may suspend the calling task
 * in simulated time (binaryen Asyncify unwinds and rewinds the wasm stack around them). */
#pragma once
#include <stdint.h>
#include <stddef.h>

#define SF_HOST __attribute__((visibility("default")))
#define SF_NORETURN __attribute__((noreturn))

/* heap */
void *__sf_malloc(uint32_t size, uint32_t caps, uint32_t align);
void __sf_free(void *ptr);
uint32_t __sf_block_size(void *ptr);
uint32_t __sf_free_size(uint32_t caps);
int __sf_cache_msync(void *addr, uint32_t size, int flags);

/* time, faults, tests */
double __sf_now_us(void);
void __sf_error_check_failed(int rc, const char *file, int line, const char *func, const char *expr) SF_NORETURN;
void __sf_abort(const char *message) SF_NORETURN;
void __sf_test_register(const char *name, const char *desc, void (*fn)(void), const char *file, int line);
void __sf_test_fail(const char *file, int line, const char *message) SF_NORETURN;
void __sf_test_ignore(const char *file, int line, const char *message) SF_NORETURN;

/* FreeRTOS */
void __sf_delay_ticks(uint32_t ticks);                 /* blocks */
void __sf_busy_wait_us(uint32_t us);                   /* blocks */
void __sf_yield(void);                                 /* blocks */
uint32_t __sf_tick_count(void);
uint32_t __sf_task_create(void (*fn)(void *), const char *name, uint32_t stack, void *arg, uint32_t prio);
uint32_t __sf_task_current(void);
void __sf_task_delete(uint32_t task);                  /* blocks forever for the caller's own task */
uint32_t __sf_sem_create(uint32_t max, uint32_t initial);
int __sf_sem_take(uint32_t sem, uint32_t ticks);       /* blocks */
int __sf_sem_take_isr(uint32_t sem);
int __sf_sem_give(uint32_t sem);                       /* bit 0: given, bit 1: woke a task */
uint32_t __sf_sem_count(uint32_t sem);
void __sf_sem_delete(uint32_t sem);
uint32_t __sf_queue_create(uint32_t length, uint32_t item_size);
int __sf_queue_send(uint32_t q, const void *item, uint32_t ticks, int front); /* blocks */
int __sf_queue_send_isr(uint32_t q, const void *item, int front);           /* bit 0: sent, bit 1: woke */
int __sf_queue_receive(uint32_t q, void *buf, uint32_t ticks);              /* blocks */
int __sf_queue_receive_isr(uint32_t q, void *buf);                          /* bit 0: received, bit 1: woke */
uint32_t __sf_queue_waiting(uint32_t q);
uint32_t __sf_queue_spaces(uint32_t q);
void __sf_queue_delete(uint32_t q);
uint32_t __sf_notify_take(int clear, uint32_t ticks);  /* blocks */
int __sf_notify_give(uint32_t task);                   /* bit 1: woke */

/* esp_async_memcpy (backend 0 auto, 1 gdma-ahb, 2 gdma-axi, 3 cpdma) */
int __sf_amcp_install(int backend, uint32_t backlog, uint32_t burst, uint32_t weight, void *out);
int __sf_amcp_uninstall(void *mcp);
int __sf_amcp_memcpy(void *mcp, void *dst, void *src, uint32_t n, void *cb, void *args);
int __sf_amcp_new_etm_event(void *mcp, int type, void *out);

/* esp_etm (op 0 enable, 1 disable, 2 delete) */
int __sf_etm_new_channel(void *out);
int __sf_etm_channel_op(void *chan, int op);
int __sf_etm_connect(void *chan, void *event, void *task);
int __sf_etm_del_event(void *event);
int __sf_etm_del_task(void *task);
int __sf_etm_dump(void);

/* GPIO */
int __sf_gpio_check(int pin);
int __sf_gpio_set_level(int pin, uint32_t level);
int __sf_gpio_get_level(int pin);
int __sf_gpio_new_etm_event(int edge, void *out);
int __sf_gpio_etm_event_bind(void *event, int pin);
int __sf_gpio_new_etm_task(int action, void *out);
int __sf_gpio_etm_task_pin(void *task, int pin, int add);

/* GPTimer (op 0 delete, 1 enable, 2 disable, 3 start, 4 stop) */
int __sf_gptimer_new(uint32_t resolution_hz, int up, void *out);
int __sf_gptimer_op(void *timer, int op);
int __sf_gptimer_set_count(void *timer, double value);
int __sf_gptimer_get_count(void *timer, int captured, void *out_u64);
int __sf_gptimer_get_resolution(void *timer, void *out_u32);
int __sf_gptimer_set_alarm(void *timer, int enabled, double alarm, double reload, int auto_reload);
int __sf_gptimer_register_cb(void *timer, void *cb, void *user);
int __sf_gptimer_new_etm_event(void *timer, int type, void *out);
int __sf_gptimer_new_etm_task(void *timer, int type, void *out);

/* SPI master (host 1 SPI2, 2 SPI3; dma 0 disabled, 1/2 a channel, 3 auto) */
int __sf_spi_bus_init(int host, int max_transfer, int dma, int loopback);
int __sf_spi_bus_free(int host);
int __sf_spi_add_device(int host, int clock_hz, int mode, int queue_size, void *out);
int __sf_spi_remove_device(void *dev);
int __sf_spi_transmit(void *dev, const void *tx, void *rx, uint32_t len, uint32_t rxlen, int polling); /* blocks */
int __sf_spi_queue_trans(void *dev, void *trans, const void *tx, void *rx, uint32_t len, uint32_t rxlen);
int __sf_spi_get_trans_result(void *dev, uint32_t ticks, void *out_trans);                            /* blocks */
int __sf_spi_actual_freq_khz(void *dev);

/* Zephyr DMA (dev 0 GDMA, 1 CP DMA; op 0 start, 1 stop, 2 suspend, 3 resume, 4 release) */
int __sf_dma_ready(int dev);
int __sf_dma_config(int dev, uint32_t ch, int direction, int flags, uint32_t burst, uint32_t priority,
                    const uint32_t *blocks, uint32_t nblocks, void *cb, void *user_data, const void *device);
int __sf_dma_op(int dev, uint32_t ch, int op);
int __sf_dma_reload(int dev, uint32_t ch, uint32_t src, uint32_t dst, uint32_t size);
int __sf_dma_status(int dev, uint32_t ch, uint32_t *out4);
int __sf_dma_request(int dev);
