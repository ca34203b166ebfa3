/* Unity results of every kind: a pass, a failed assertion, an ignored test, a test that blocks forever. */
#include "unity.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"

TEST_CASE("passes", "[fixture]") { TEST_ASSERT_EQUAL(4, 2 + 2); }
TEST_CASE("fails", "[fixture]") { TEST_ASSERT_EQUAL_HEX32(0x10, 0x20); }
TEST_CASE("is ignored", "[fixture]") { TEST_IGNORE_MESSAGE("not on this chip"); }
TEST_CASE("blocks forever", "[fixture]")
{
    SemaphoreHandle_t s = xSemaphoreCreateBinary();
    xSemaphoreTake(s, portMAX_DELAY);
}
