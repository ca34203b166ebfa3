/*
 * esp_async_memcpy unit tests in ESP-IDF's style (after components/esp_hw_support/test_apps/dma/main/
 * test_async_memcpy.c): copy sizes and alignments, callbacks and semaphores, backlog exhaustion, a copy issued
 * from a callback. Build and run with:
 *   soc-fabric cc --target esp32c6 async_memcpy_test.c -o t.wasm && soc-fabric test t.wasm --target esp32c6
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "unity.h"
#include "esp_heap_caps.h"
#include "esp_async_memcpy.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "freertos/semphr.h"

#define MAX(a, b) ((a) > (b) ? (a) : (b))

typedef struct {
    uint32_t seed;
    size_t buffer_size;
    size_t copy_size;
    uint8_t *src_buf;
    uint8_t *dst_buf;
    uint8_t *from_addr;
    uint8_t *to_addr;
    uint32_t align;
    uint32_t src_offset;
    uint32_t dst_offset;
} memcpy_testbench_context_t;

static void setup_testbench(memcpy_testbench_context_t *ctx)
{
    srand(ctx->seed);
    const uint32_t caps = MALLOC_CAP_INTERNAL | MALLOC_CAP_DMA | MALLOC_CAP_8BIT;
    ctx->src_buf = heap_caps_aligned_calloc(ctx->align, 1, ctx->buffer_size, caps);
    ctx->dst_buf = heap_caps_aligned_calloc(ctx->align, 1, ctx->buffer_size, caps);
    TEST_ASSERT_NOT_NULL(ctx->src_buf);
    TEST_ASSERT_NOT_NULL(ctx->dst_buf);
    ctx->from_addr = ctx->src_buf + ctx->src_offset;
    ctx->to_addr = ctx->dst_buf + ctx->dst_offset;
    ctx->copy_size = ctx->buffer_size - MAX(ctx->src_offset, ctx->dst_offset);
    for (size_t i = 0; i < ctx->copy_size; i++) {
        ctx->from_addr[i] = rand() % 256;
    }
}

static void verify_and_clear_testbench(memcpy_testbench_context_t *ctx)
{
    for (size_t i = 0; i < ctx->copy_size; i++) {
        if (ctx->from_addr[i] != ctx->to_addr[i]) {
            printf("location[%u]:s=%d,d=%d\n", (unsigned)i, ctx->from_addr[i], ctx->to_addr[i]);
            TEST_FAIL_MESSAGE("destination data doesn't match source data");
        }
    }
    free(ctx->src_buf);
    free(ctx->dst_buf);
}

static bool give_sem_cb(async_memcpy_handle_t mcp_hdl, async_memcpy_event_t *event, void *cb_args)
{
    SemaphoreHandle_t sem = (SemaphoreHandle_t)cb_args;
    BaseType_t high_task_wakeup = pdFALSE;
    xSemaphoreGiveFromISR(sem, &high_task_wakeup);
    return high_task_wakeup == pdTRUE;
}

TEST_CASE("memory copy the same buffer with different content", "[async mcp]")
{
    async_memcpy_config_t config = ASYNC_MEMCPY_DEFAULT_CONFIG();
    async_memcpy_handle_t driver = NULL;
    TEST_ESP_OK(esp_async_memcpy_install(&config, &driver));
    uint8_t *sbuf = heap_caps_calloc(1, 256, MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT);
    uint8_t *dbuf = heap_caps_calloc(1, 256, MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT);
    TEST_ASSERT_NOT_NULL(sbuf);
    TEST_ASSERT_NOT_NULL(dbuf);
    for (int j = 0; j < 20; j++) {
        TEST_ESP_OK(esp_async_memcpy(driver, dbuf, sbuf, 256, NULL, NULL));
        vTaskDelay(pdMS_TO_TICKS(10));
        for (int i = 0; i < 256; i++) {
            if (sbuf[i] != dbuf[i]) {
                printf("location[%d]:s=%d,d=%d\n", i, sbuf[i], dbuf[i]);
                TEST_FAIL_MESSAGE("destination data doesn't match source data");
            }
            sbuf[i] += 1;
        }
    }
    free(sbuf);
    free(dbuf);
    TEST_ESP_OK(esp_async_memcpy_uninstall(driver));
}

TEST_CASE("memory copy by DMA (blocking), sizes and offsets", "[async mcp]")
{
    async_memcpy_config_t config = { .backlog = 1, .dma_burst_size = 0 };
    async_memcpy_handle_t driver = NULL;
    TEST_ESP_OK(esp_async_memcpy_install(&config, &driver));
    SemaphoreHandle_t sem = xSemaphoreCreateBinary();
    const uint32_t test_buffer_size[] = {256, 512, 1024, 2048, 4096, 5008};
    memcpy_testbench_context_t ctx = { .align = 16 };
    for (int i = 0; i < sizeof(test_buffer_size) / sizeof(test_buffer_size[0]); i++) {
        for (int off = 0; off < 4; off++) {
            ctx.buffer_size = test_buffer_size[i];
            ctx.seed = i;
            ctx.src_offset = off;
            ctx.dst_offset = off;
            setup_testbench(&ctx);
            TEST_ESP_OK(esp_async_memcpy(driver, ctx.to_addr, ctx.from_addr, ctx.copy_size, give_sem_cb, sem));
            TEST_ASSERT_EQUAL(pdTRUE, xSemaphoreTake(sem, pdMS_TO_TICKS(10)));
            verify_and_clear_testbench(&ctx);
        }
    }
    vSemaphoreDelete(sem);
    TEST_ESP_OK(esp_async_memcpy_uninstall(driver));
}

#if GDMA_LL_AHB_RX_BURST_NEEDS_ALIGNMENT /* soc-fabric cc --target defines it on AHB GDMA v1 chips */
TEST_CASE("burst needs the destination and size 4-byte aligned on AHB GDMA v1", "[async mcp]")
{
    async_memcpy_config_t config = { .backlog = 4, .dma_burst_size = 32 };
    async_memcpy_handle_t driver = NULL;
    TEST_ESP_OK(esp_async_memcpy_install_gdma_ahb(&config, &driver));
    uint8_t *src = heap_caps_aligned_calloc(4, 1, 260, MALLOC_CAP_DMA);
    uint8_t *dst = heap_caps_aligned_calloc(4, 1, 260, MALLOC_CAP_DMA);
    TEST_ESP_ERR(ESP_ERR_INVALID_ARG, esp_async_memcpy(driver, dst + 1, src, 256, NULL, NULL));
    TEST_ESP_ERR(ESP_ERR_INVALID_ARG, esp_async_memcpy(driver, dst, src, 255, NULL, NULL));
    /* the source may be unaligned: only the RX side bursts into memory */
    SemaphoreHandle_t sem = xSemaphoreCreateBinary();
    for (int i = 0; i < 260; i++) src[i] = (uint8_t)(i * 7);
    TEST_ESP_OK(esp_async_memcpy(driver, dst, src + 1, 256, give_sem_cb, sem));
    TEST_ASSERT_EQUAL(pdTRUE, xSemaphoreTake(sem, portMAX_DELAY));
    TEST_ASSERT_EQUAL_MEMORY(src + 1, dst, 256);
    vSemaphoreDelete(sem);
    free(src);
    free(dst);
    TEST_ESP_OK(esp_async_memcpy_uninstall(driver));
}
#endif

TEST_CASE("backlog exhaustion is ESP_ERR_INVALID_STATE, and the queue drains in order", "[async mcp]")
{
    async_memcpy_config_t config = { .backlog = 2, .dma_burst_size = 16 };
    async_memcpy_handle_t driver = NULL;
    TEST_ESP_OK(esp_async_memcpy_install(&config, &driver));
    uint8_t *src = heap_caps_malloc(3 * 1024, MALLOC_CAP_DMA);
    uint8_t *dst = heap_caps_calloc(1, 3 * 1024, MALLOC_CAP_DMA);
    for (int i = 0; i < 3 * 1024; i++) src[i] = (uint8_t)(i ^ (i >> 8));
    SemaphoreHandle_t sem = xSemaphoreCreateCounting(3, 0);
    TEST_ESP_OK(esp_async_memcpy(driver, dst, src, 1024, give_sem_cb, sem));
    TEST_ESP_OK(esp_async_memcpy(driver, dst + 1024, src + 1024, 1024, give_sem_cb, sem));
    TEST_ESP_ERR(ESP_ERR_INVALID_STATE, esp_async_memcpy(driver, dst + 2048, src + 2048, 1024, give_sem_cb, sem));
    TEST_ESP_ERR(ESP_ERR_INVALID_STATE, esp_async_memcpy_uninstall(driver)); /* copies pending */
    TEST_ASSERT_EQUAL(pdTRUE, xSemaphoreTake(sem, portMAX_DELAY));
    TEST_ESP_OK(esp_async_memcpy(driver, dst + 2048, src + 2048, 1024, give_sem_cb, sem));
    TEST_ASSERT_EQUAL(pdTRUE, xSemaphoreTake(sem, portMAX_DELAY));
    TEST_ASSERT_EQUAL(pdTRUE, xSemaphoreTake(sem, portMAX_DELAY));
    TEST_ASSERT_EQUAL(pdFALSE, xSemaphoreTake(sem, 0));
    TEST_ASSERT_EQUAL_MEMORY(src, dst, 3 * 1024);
    vSemaphoreDelete(sem);
    free(src);
    free(dst);
    TEST_ESP_OK(esp_async_memcpy_uninstall(driver));
}

typedef struct {
    async_memcpy_handle_t driver;
    uint8_t *src;
    uint8_t *dst;
    int chained;
    esp_err_t chained_rc;
    SemaphoreHandle_t done;
    int64_t done_at[2];
} chain_ctx_t;

static bool chain_cb(async_memcpy_handle_t mcp_hdl, async_memcpy_event_t *event, void *cb_args)
{
    chain_ctx_t *c = cb_args;
    BaseType_t woken = pdFALSE;
    c->done_at[c->chained] = esp_timer_get_time();
    if (c->chained++ == 0) {
        /* a copy issued from the callback: queued, and started after this callback returns */
        c->chained_rc = esp_async_memcpy(mcp_hdl, c->dst + 512, c->src + 512, 512, chain_cb, c);
        if (c->chained_rc != ESP_OK) xSemaphoreGiveFromISR(c->done, &woken);
    } else {
        xSemaphoreGiveFromISR(c->done, &woken);
    }
    return woken == pdTRUE;
}

TEST_CASE("a copy issued from the callback runs after it (backlog 2)", "[async mcp]")
{
    async_memcpy_config_t config = { .backlog = 2, .dma_burst_size = 16 };
    chain_ctx_t c = { .src = heap_caps_malloc(1024, MALLOC_CAP_DMA), .dst = heap_caps_calloc(1, 1024, MALLOC_CAP_DMA),
                      .done = xSemaphoreCreateBinary() };
    for (int i = 0; i < 1024; i++) c.src[i] = (uint8_t)(255 - i);
    TEST_ESP_OK(esp_async_memcpy_install(&config, &c.driver));
    TEST_ESP_OK(esp_async_memcpy(c.driver, c.dst, c.src, 512, chain_cb, &c));
    TEST_ASSERT_EQUAL(pdTRUE, xSemaphoreTake(c.done, portMAX_DELAY));
    TEST_ESP_OK(c.chained_rc);
    TEST_ASSERT_EQUAL(2, c.chained);
    TEST_ASSERT_GREATER_THAN(c.done_at[0], c.done_at[1]);
    TEST_ASSERT_EQUAL_MEMORY(c.src, c.dst, 1024);
    TEST_ESP_OK(esp_async_memcpy_uninstall(c.driver));
}

TEST_CASE("a copy issued from the callback with backlog 1 finds no free node", "[async mcp]")
{
    async_memcpy_config_t config = { .backlog = 1, .dma_burst_size = 16 };
    chain_ctx_t c = { .src = heap_caps_malloc(1024, MALLOC_CAP_DMA), .dst = heap_caps_calloc(1, 1024, MALLOC_CAP_DMA),
                      .done = xSemaphoreCreateBinary() };
    TEST_ESP_OK(esp_async_memcpy_install(&config, &c.driver));
    TEST_ESP_OK(esp_async_memcpy(c.driver, c.dst, c.src, 512, chain_cb, &c));
    TEST_ASSERT_EQUAL(pdTRUE, xSemaphoreTake(c.done, portMAX_DELAY));
    TEST_ESP_ERR(ESP_ERR_INVALID_STATE, c.chained_rc);
    TEST_ESP_OK(esp_async_memcpy_uninstall(c.driver));
}

TEST_CASE("a take with a timeout times out in simulated time", "[async mcp]")
{
    SemaphoreHandle_t sem = xSemaphoreCreateBinary();
    int64_t t0 = esp_timer_get_time();
    TickType_t k0 = xTaskGetTickCount();
    TEST_ASSERT_EQUAL(pdFALSE, xSemaphoreTake(sem, 5));
    TEST_ASSERT_EQUAL(k0 + 5, xTaskGetTickCount());
    TEST_ASSERT_GREATER_THAN(t0, esp_timer_get_time());
    vSemaphoreDelete(sem);
}

TEST_CASE("PSRAM allocations exist exactly where the target has PSRAM", "[heap]")
{
    size_t psram = heap_caps_get_free_size(MALLOC_CAP_SPIRAM);
    void *p = heap_caps_malloc(1024, MALLOC_CAP_SPIRAM);
    printf("PSRAM free %u, allocation %p\n", (unsigned)psram, p);
    if (psram == 0) {
        TEST_ASSERT_NULL(p);
    } else {
        TEST_ASSERT_NOT_NULL(p);
        heap_caps_free(p);
    }
    TEST_ASSERT_NULL(heap_caps_malloc(64, MALLOC_CAP_EXEC));
}
