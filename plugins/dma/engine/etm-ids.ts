import { z } from 'zod';

const id = z.number().int().nonnegative();

/**
 * Hardware ETM IDs of a DMA engine, for pair 0 (pair n is base + n): the IN_SUC_EOF and OUT_EOF events and the
 * IN/OUT START tasks (a target's caps.gdma.etmIds).
 */
export const dmaEtmIdsSchema = z.object({ inSucEofBase: id, outEofBase: id, inStartTaskBase: id, outStartTaskBase: id }).strict();
/** Hardware ETM ID bases of a DMA engine (dmaEtmIdsSchema's type). */
export type DmaEtmIds = z.infer<typeof dmaEtmIdsSchema>;
