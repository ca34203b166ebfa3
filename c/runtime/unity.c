/* soc-fabric runtime: Unity's registration and failure reporting; the host runs the tests (wasm/unity.ts). */
#include <stdarg.h>
#include <stdio.h>
#include "unity.h"
#include "sf_host.h"

void unity_register_test(const char *name, const char *desc, unity_test_fn_t fn, const char *file, int line) {
    __sf_test_register(name, desc, fn, file, line);
}
void unity_fail(const char *file, int line, const char *message) { __sf_test_fail(file, line, message); }
void unity_ignore(const char *file, int line, const char *message) { __sf_test_ignore(file, line, message); }
void unity_fail_fmt(const char *file, int line, const char *fmt, ...) {
    static char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    __sf_test_fail(file, line, buf);
}
void unity_assert_equal_memory(const void *expected, const void *actual, size_t len, const char *file, int line, const char *what) {
    const unsigned char *e = expected, *a = actual;
    for (size_t i = 0; i < len; i++) {
        if (e[i] != a[i]) {
            unity_fail_fmt(file, line, "Memory Mismatch at byte %u: Expected 0x%02X Was 0x%02X (%s)", (unsigned)i, e[i], a[i], what);
        }
    }
}
