/**
 * GET /ops/v1/readiness: what the deployment knows about its own readiness and a plain HTTP probe
 * cannot see. Unknown fields are ignored so the endpoint can grow without breaking older checkers.
 */
import { z } from 'zod';

export const READINESS_PATH = '/ops/v1/readiness';

export const readinessReportSchema = z.object({
  temporal: z.object({ reachable: z.boolean(), searchAttributes: z.array(z.string()) }),
  stores: z.array(
    z.object({
      storeId: z.string(),
      catalogItems: z.number(),
      lastCatalogUpload: z.object({ status: z.string().nullable(), finishedAt: z.string().nullable() }),
    }),
  ),
  lastLoadTest: z.object({ gateP99Ms: z.number().nullable(), at: z.string().nullable() }).nullable(),
  secretsAtDemoValues: z.array(z.string()),
});

export type ReadinessReport = z.infer<typeof readinessReportSchema>;
