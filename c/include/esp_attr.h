/* soc-fabric: placement attributes have no meaning in the model; they compile to nothing. */
#pragma once
#define IRAM_ATTR
#define DRAM_ATTR
#define DMA_ATTR
#define RTC_DATA_ATTR
#define EXT_RAM_BSS_ATTR
#define WORD_ALIGNED_ATTR __attribute__((aligned(4)))
#define NOINLINE_ATTR __attribute__((noinline))
