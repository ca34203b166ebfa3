/* soc-fabric: the Unity subset ESP-IDF's unit tests use. TEST_CASE registers a test; `soc-fabric test app.wasm`
 * runs each in a fresh simulation and prints "N passed, N failed". A failed assertion ends its test at once. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*unity_test_fn_t)(void);
void unity_register_test(const char *name, const char *desc, unity_test_fn_t fn, const char *file, int line);
/** Ends the running test as failed (never returns). */
void unity_fail(const char *file, int line, const char *message) __attribute__((noreturn));
void unity_fail_fmt(const char *file, int line, const char *fmt, ...) __attribute__((noreturn, format(printf, 3, 4)));
/** Runs every registered test in this program's simulation, one after the other (ESP-IDF's unity_run_all_tests). */
void unity_run_all_tests(void);
void unity_run_menu(void);
void unity_assert_equal_memory(const void *expected, const void *actual, size_t len, const char *file, int line, const char *msg);

#define UNITY_TEST_CONCAT_(a, b) a##b
#define UNITY_TEST_CONCAT(a, b) UNITY_TEST_CONCAT_(a, b)
#define UNITY_TEST_UID(what) UNITY_TEST_CONCAT(what, __LINE__)

#define TEST_CASE(name_, desc_)                                                                  \
    static void UNITY_TEST_UID(test_func_)(void);                                               \
    __attribute__((constructor)) static void UNITY_TEST_UID(test_reg_)(void) {                  \
        unity_register_test(name_, desc_, &UNITY_TEST_UID(test_func_), __FILE__, __LINE__);     \
    }                                                                                           \
    static void UNITY_TEST_UID(test_func_)(void)

#define TEST_FAIL_MESSAGE(msg) unity_fail(__FILE__, __LINE__, (msg))
#define TEST_FAIL() unity_fail(__FILE__, __LINE__, "")
#define TEST_PASS() return
#define TEST_PASS_MESSAGE(msg) do { printf("%s:%d:PASS: %s\n", __FILE__, __LINE__, (msg)); return; } while (0)
#define TEST_MESSAGE(msg) printf("%s:%d:INFO: %s\n", __FILE__, __LINE__, (msg))
/** Ends the running test as ignored (never returns): ESP-IDF's tests skip what the chip lacks this way. */
void unity_ignore(const char *file, int line, const char *message) __attribute__((noreturn));
#define TEST_IGNORE() unity_ignore(__FILE__, __LINE__, "")
#define TEST_IGNORE_MESSAGE(msg) unity_ignore(__FILE__, __LINE__, (msg))

#define TEST_ASSERT_MESSAGE(cond, msg) do { if (!(cond)) unity_fail(__FILE__, __LINE__, (msg)); } while (0)
#define TEST_ASSERT(cond) TEST_ASSERT_MESSAGE((cond), "Expression Evaluated To FALSE: " #cond)
#define TEST_ASSERT_TRUE(cond) TEST_ASSERT_MESSAGE((cond), "Expected TRUE Was FALSE: " #cond)
#define TEST_ASSERT_FALSE(cond) TEST_ASSERT_MESSAGE(!(cond), "Expected FALSE Was TRUE: " #cond)
#define TEST_ASSERT_NULL(p) TEST_ASSERT_MESSAGE((p) == NULL, "Expected NULL: " #p)
#define TEST_ASSERT_NOT_NULL(p) TEST_ASSERT_MESSAGE((p) != NULL, "Expected Non-NULL: " #p)

#define UNITY_CMP_INT_(e, a, op, what) do {                                                        \
        long long e_ = (long long)(e), a_ = (long long)(a);                                        \
        if (!(a_ op e_)) unity_fail_fmt(__FILE__, __LINE__, what " %lld Was %lld (%s)", e_, a_, #a); \
    } while (0)
#define UNITY_CMP_HEX_(e, a) do {                                                                  \
        unsigned long long e_ = (unsigned long long)(e), a_ = (unsigned long long)(a);             \
        if (a_ != e_) unity_fail_fmt(__FILE__, __LINE__, "Expected 0x%llX Was 0x%llX (%s)", e_, a_, #a); \
    } while (0)

#define TEST_ASSERT_EQUAL(e, a) UNITY_CMP_INT_(e, a, ==, "Expected")
#define TEST_ASSERT_EQUAL_INT(e, a) UNITY_CMP_INT_(e, a, ==, "Expected")
#define TEST_ASSERT_EQUAL_INT32(e, a) UNITY_CMP_INT_(e, a, ==, "Expected")
#define TEST_ASSERT_EQUAL_UINT(e, a) UNITY_CMP_INT_(e, a, ==, "Expected")
#define TEST_ASSERT_EQUAL_UINT8(e, a) UNITY_CMP_INT_((uint8_t)(e), (uint8_t)(a), ==, "Expected")
#define TEST_ASSERT_EQUAL_UINT32(e, a) UNITY_CMP_INT_((uint32_t)(e), (uint32_t)(a), ==, "Expected")
#define TEST_ASSERT_EQUAL_UINT64(e, a) UNITY_CMP_HEX_((uint64_t)(e), (uint64_t)(a))
#define TEST_ASSERT_EQUAL_HEX(e, a) UNITY_CMP_HEX_(e, a)
#define TEST_ASSERT_EQUAL_HEX8(e, a) UNITY_CMP_HEX_((uint8_t)(e), (uint8_t)(a))
#define TEST_ASSERT_EQUAL_HEX32(e, a) UNITY_CMP_HEX_((uint32_t)(e), (uint32_t)(a))
#define TEST_ASSERT_NOT_EQUAL(e, a) UNITY_CMP_INT_(e, a, !=, "Expected Not-Equal to")
#define TEST_ASSERT_GREATER_THAN(threshold, a) UNITY_CMP_INT_(threshold, a, >, "Expected Greater Than")
#define TEST_ASSERT_GREATER_OR_EQUAL(threshold, a) UNITY_CMP_INT_(threshold, a, >=, "Expected Greater Or Equal")
#define TEST_ASSERT_LESS_THAN(threshold, a) UNITY_CMP_INT_(threshold, a, <, "Expected Less Than")
#define TEST_ASSERT_LESS_OR_EQUAL(threshold, a) UNITY_CMP_INT_(threshold, a, <=, "Expected Less Or Equal")
#define TEST_ASSERT_INT_WITHIN(delta, e, a) do {                                                   \
        long long d_ = (long long)(a) - (long long)(e); if (d_ < 0) d_ = -d_;                      \
        if (d_ > (long long)(delta)) unity_fail_fmt(__FILE__, __LINE__, "Values Not Within Delta %lld: Expected %lld Was %lld", \
                                                    (long long)(delta), (long long)(e), (long long)(a)); \
    } while (0)
#define TEST_ASSERT_UINT32_WITHIN(delta, e, a) TEST_ASSERT_INT_WITHIN(delta, e, a)
#define TEST_ASSERT_EQUAL_PTR(e, a) UNITY_CMP_HEX_((uintptr_t)(e), (uintptr_t)(a))
#define TEST_ASSERT_EQUAL_STRING(e, a) do {                                                        \
        const char *e_ = (e), *a_ = (a);                                                           \
        if (strcmp(e_, a_) != 0) unity_fail_fmt(__FILE__, __LINE__, "Expected '%s' Was '%s'", e_, a_); \
    } while (0)
#define TEST_ASSERT_EQUAL_MEMORY(e, a, len) unity_assert_equal_memory((e), (a), (len), __FILE__, __LINE__, #a)
#define TEST_ASSERT_EQUAL_HEX8_ARRAY(e, a, n) TEST_ASSERT_EQUAL_MEMORY((e), (a), (n))
#define TEST_ASSERT_EQUAL_UINT8_ARRAY(e, a, n) TEST_ASSERT_EQUAL_MEMORY((e), (a), (n))
#define TEST_ASSERT_EQUAL_UINT32_ARRAY(e, a, n) TEST_ASSERT_EQUAL_MEMORY((e), (a), (n) * 4)

/* ESP-IDF's test_utils additions */
#define TEST_ESP_OK(rc) do {                                                                        \
        esp_err_t rc_ = (rc);                                                                       \
        if (rc_ != ESP_OK) unity_fail_fmt(__FILE__, __LINE__, "Expected ESP_OK Was %s (0x%x): %s", esp_err_to_name(rc_), rc_, #rc); \
    } while (0)
#define TEST_ESP_ERR(err, rc) do {                                                                  \
        esp_err_t e_ = (err), rc_ = (rc);                                                           \
        if (rc_ != e_) unity_fail_fmt(__FILE__, __LINE__, "Expected %s Was %s (0x%x): %s", esp_err_to_name(e_), esp_err_to_name(rc_), rc_, #rc); \
    } while (0)

#ifdef __cplusplus
}
#endif
