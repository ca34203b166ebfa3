/* soc-fabric: esp_timer_get_time, the simulated time in microseconds since the program started. */
#pragma once
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
int64_t esp_timer_get_time(void);
#ifdef __cplusplus
}
#endif
