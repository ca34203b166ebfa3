/** ESP-IDF `esp_err_t` codes (components/esp_common/include/esp_err.h). */
export const ESP_OK = 0;
/** Generic failure (esp_err_t). */
export const ESP_FAIL = -1;
/** Out of memory (esp_err_t). */
export const ESP_ERR_NO_MEM = 0x101;
/** Invalid argument (esp_err_t). */
export const ESP_ERR_INVALID_ARG = 0x102;
/** Invalid state for the call (esp_err_t). */
export const ESP_ERR_INVALID_STATE = 0x103;
/** Invalid size (esp_err_t). */
export const ESP_ERR_INVALID_SIZE = 0x104;
/** Requested resource not found, e.g. no free channel (esp_err_t). */
export const ESP_ERR_NOT_FOUND = 0x105;
/** Not supported on this target (esp_err_t). */
export const ESP_ERR_NOT_SUPPORTED = 0x106;
/** Operation timed out (esp_err_t). */
export const ESP_ERR_TIMEOUT = 0x107;

const ESP_ERR_NAMES: Record<number, string> = {
  [ESP_OK]: 'ESP_OK',
  [ESP_FAIL]: 'ESP_FAIL',
  [ESP_ERR_NO_MEM]: 'ESP_ERR_NO_MEM',
  [ESP_ERR_INVALID_ARG]: 'ESP_ERR_INVALID_ARG',
  [ESP_ERR_INVALID_STATE]: 'ESP_ERR_INVALID_STATE',
  [ESP_ERR_INVALID_SIZE]: 'ESP_ERR_INVALID_SIZE',
  [ESP_ERR_NOT_FOUND]: 'ESP_ERR_NOT_FOUND',
  [ESP_ERR_NOT_SUPPORTED]: 'ESP_ERR_NOT_SUPPORTED',
  [ESP_ERR_TIMEOUT]: 'ESP_ERR_TIMEOUT',
};

/** `esp_err_to_name`: the symbolic name of a code, or `UNKNOWN ERROR 0x...`. */
export function espErrToName(code: number): string {
  return ESP_ERR_NAMES[code] ?? `UNKNOWN ERROR 0x${code.toString(16)}`;
}

/** The one error class for ESP-IDF-style services. `message` starts with the code's name. */
export class EspError extends Error {
  readonly code: number;
  constructor(code: number, detail: string) {
    super(`${espErrToName(code)}: ${detail}`);
    this.name = 'EspError';
    this.code = code;
  }
}

/** Zephyr errno values used by the DMA API (negative, as the C functions return them). */
export const EINVAL = -22;
/** Zephyr's errno: device or resource busy. */
export const EBUSY = -16;
/** Zephyr's errno: function not implemented. */
export const ENOSYS = -88;
/** Zephyr's errno: operation canceled (a stopped DMA transfer). */
export const ECANCELED = -140;
/** Zephyr's errno: I/O error. */
export const EIO = -5;

const ERRNO_NAMES: Record<number, string> = {
  [EINVAL]: 'EINVAL',
  [EBUSY]: 'EBUSY',
  [ENOSYS]: 'ENOSYS',
  [ECANCELED]: 'ECANCELED',
  [EIO]: 'EIO',
};

/** The one error class for the Zephyr-style DMA controllers; `errno` is negative. */
export class DmaError extends Error {
  readonly errno: number;
  constructor(errno: number, detail: string) {
    super(`-${ERRNO_NAMES[errno] ?? String(-errno)}: ${detail}`);
    this.name = 'DmaError';
    this.errno = errno;
  }
}

/** Thrown by the kernel and by createSimulation for problems of the simulation itself (not of an API call). */
export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

/** A run the user interrupted (Ctrl-C): `atPs` is the simulated time it stopped at. */
export class InterruptedError extends Error {
  constructor(
    message: string,
    readonly atPs: number,
  ) {
    super(message);
    this.name = 'InterruptedError';
  }
}

/** `0x3fc80000`-style hex, for messages. */
export function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
