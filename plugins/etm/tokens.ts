/**
 * The ETM's tokens. The service and the two contribution points are the ETM contract every plugin may import
 * (plugins/contracts/etm.ts); they are re-exported here so that this folder has the same entry files as every
 * other plugin.
 */
export { Etm, EtmEventSources, EtmTaskSinks } from '../contracts/etm.js';
