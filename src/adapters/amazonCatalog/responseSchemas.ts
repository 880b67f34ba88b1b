/**
 * Success bodies of the two Catalog API calls (jwo-api.md §3.4 and §4). Unknown fields are
 * ignored, never rejected: Amazon says new attributes may appear at any time.
 */
import { z } from 'zod';

export const uploadAcceptedSchema = z.object({ ingestionId: z.string().min(1) });

export const uploadStatusSchema = z.object({
  // Compared upper-case so "done" and "DONE" read the same.
  processingStatus: z
    .string()
    .transform((value) => value.trim().toUpperCase())
    .pipe(z.enum(['DONE', 'INQUEUE', 'INPROGRESS', 'CANCELLED', 'FATAL'])),
  // Required by the contract, but INFERRED to be "" until DONE; a missing link reads as "" too.
  reportDownloadLink: z
    .string()
    .nullish()
    .transform((value) => value ?? ''),
});
