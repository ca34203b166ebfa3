// The bare-metal GDMA copy the cache tests use is the field scenarios' (a driver without cache maintenance).
export { dmaCopy } from '../../scenarios/field/m2m-pair.js';
