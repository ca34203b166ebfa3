export { dmaTriggerChecker, type TriggerCheckerParams } from './trigger-checker.js';
export { dmaDescriptorChecker, type DescriptorCheckerParams } from './descriptor-checker.js';
export { dmaInterruptChecker, type InterruptCheckerParams } from './interrupt-checker.js';
