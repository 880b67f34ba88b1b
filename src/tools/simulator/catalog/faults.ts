/**
 * Failure injection for tests. Queued answers are consumed one per call, after the signature
 * check and the rate limit and before any validation, so a test can script "429, then 500, then
 * accept". Final-status overrides make a given ingestion end FATAL or CANCELLED instead of DONE.
 *
 * The same can be set over HTTP with `POST /__sim/faults` and a JSON body
 * `{ "uploadQueue"?: Fault[], "statusQueue"?: Fault[], "statusOverride"?: { "<ingestionId>": "FATAL" | "CANCELLED" } }`;
 * queued faults are appended, overrides merged.
 */
import { z } from 'zod';
import type { FinalStatusOverride } from './ingestions';

export type InjectedFault = '429' | '500-retry' | '500-no-retry';

export interface CatalogSimulatorFaults {
  /** Answers for the next upload calls. */
  uploadQueue: InjectedFault[];
  /** Answers for the next getCatalogUploadStatus calls. */
  statusQueue: InjectedFault[];
  statusOverride: Map<string, FinalStatusOverride>;
}

export interface FaultResponse {
  status: number;
  errorMsg: string;
}

export const TOO_MANY_REQUESTS = 'Too Many Requests';

/** The 500 texts are Amazon's two documented kinds (jwo-api.md §3.4), en dash included. */
export const FAULT_RESPONSES: Record<InjectedFault, FaultResponse> = {
  '429': { status: 429, errorMsg: TOO_MANY_REQUESTS },
  '500-retry': { status: 500, errorMsg: 'Server Error – Retry Recommended' },
  '500-no-retry': { status: 500, errorMsg: 'Server Error – No Retry' },
};

const faultSchema = z.enum(['429', '500-retry', '500-no-retry']);

export const faultsRequestSchema = z.object({
  uploadQueue: z.array(faultSchema).optional(),
  statusQueue: z.array(faultSchema).optional(),
  statusOverride: z.record(z.string(), z.enum(['FATAL', 'CANCELLED'])).optional(),
});

export function createFaults(initial: Partial<CatalogSimulatorFaults> = {}): CatalogSimulatorFaults {
  return {
    uploadQueue: [...(initial.uploadQueue ?? [])],
    statusQueue: [...(initial.statusQueue ?? [])],
    statusOverride: new Map(initial.statusOverride ?? []),
  };
}

export function addFaults(faults: CatalogSimulatorFaults, request: z.infer<typeof faultsRequestSchema>): void {
  faults.uploadQueue.push(...(request.uploadQueue ?? []));
  faults.statusQueue.push(...(request.statusQueue ?? []));
  for (const [ingestionId, status] of Object.entries(request.statusOverride ?? {}))
    faults.statusOverride.set(ingestionId, status);
}
