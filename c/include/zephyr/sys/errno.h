/* soc-fabric: Zephyr's errno values (lib/libc/minimal/include/errno.h), which its DMA API returns negated.
 * wasi-libc's <errno.h> numbers them differently (EINVAL is 28 there), so a Zephyr program gets these. */
#pragma once
#include <errno.h>
#undef EAGAIN
#undef EBUSY
#undef EINVAL
#undef ENOMEM
#undef ENOSYS
#undef ECANCELED
#undef EIO
#undef ENODEV
#undef ETIMEDOUT
#define EIO 5
#define EAGAIN 11
#define ENOMEM 12
#define EBUSY 16
#define ENODEV 19
#define EINVAL 22
#define ENOSYS 88
#define ETIMEDOUT 116
#define ECANCELED 140
