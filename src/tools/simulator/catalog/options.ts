/** Options of the Catalog API simulator and their defaults. */
import type { CatalogSimulatorFaults } from './faults';
import type { ProcessingTimes } from './ingestions';
import type { SqsMessageSink } from './sqsSink';
import type { KnownStore } from './uploadValidation';

export interface CatalogApiSimulatorOptions {
  /** The only key accepted. With a sessionToken, requests must carry it (temporary credentials). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SigV4 region requests must be scoped to. Default us-east-1. */
  region?: string;
  /** Known stores, each with its retailer. */
  stores: KnownStore[];
  /** Default 10,000 (jwo-api.md §3.3). */
  maxItemsPerRequest?: number;
  /** Upload calls per rolling second before 429. Default 10. Applies to upload only. */
  maxRequestsPerSecond?: number;
  /** Time spent in INQUEUE and INPROGRESS before DONE. Default 200 ms and 300 ms. */
  processing?: Partial<ProcessingTimes>;
  /** Lifetime of a report link. Default 60 minutes (jwo-api.md §4). Rounded up to whole seconds. */
  reportTtlMs?: number;
  now?: () => number;
  /** Initial fault injection; the live object is `simulator.faults`. */
  faults?: Partial<CatalogSimulatorFaults>;
  notifications?: NotificationOptions;
  /**
   * Base URL the simulator is reached at, for report links and the SubscribeURL. Without it the
   * links use the Host of the request; notifications wait for `setPublicUrl`.
   */
  publicUrl?: string;
}

export interface NotificationOptions {
  /** An SQS queue URL (sent to with @aws-sdk/client-sqs) or any sink. */
  sqs: string | SqsMessageSink;
  /** Default true. */
  enabled?: boolean;
  /** SQS body is the bare inner message instead of the SNS envelope. Default false. */
  rawMessageDelivery?: boolean;
  /** Deliver notifications only after the SubscribeURL was visited, as SNS does. Default true. */
  requireConfirmation?: boolean;
  /** Default arn:aws:sns:<region>:000000000000:jwo-catalog-upload-status (Amazon's real ARN comes at onboarding). */
  topicArn?: string;
}

export const DEFAULTS = {
  region: 'us-east-1',
  maxItemsPerRequest: 10_000,
  maxRequestsPerSecond: 10,
  inqueueMs: 200,
  inprogressMs: 300,
  reportTtlMs: 60 * 60 * 1000,
  /** How often final states are looked for when notifications are on. */
  notificationSweepMs: 25,
  /** API Gateway's payload limit. */
  maxBodyBytes: 10 * 1024 * 1024,
} as const;
