export { esp32 } from './esp32.js';
export { esp32s2 } from './esp32s2.js';
export { esp32s3 } from './esp32s3.js';
export { esp32c3 } from './esp32c3.js';
export { esp32c6 } from './esp32c6.js';
export { esp32h2 } from './esp32h2.js';
