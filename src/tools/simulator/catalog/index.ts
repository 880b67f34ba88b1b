/** Simulated Amazon Catalog API (SigV4, limits, processing, reports, SNS → SQS notifications). */
export { createCatalogApiSimulator, type CatalogApiSimulator, type CatalogSimulatorState } from './simulator';
export { startCatalogApiSimulator, type RunningCatalogApiSimulator } from './server';
export type { CatalogApiSimulatorOptions, NotificationOptions } from './options';
export { DEFAULTS as CATALOG_SIMULATOR_DEFAULTS } from './options';
export { FAULT_RESPONSES, TOO_MANY_REQUESTS, type CatalogSimulatorFaults, type InjectedFault } from './faults';
export type { FinalStatusOverride, Ingestion, ProcessingStatus, ReportLine } from './ingestions';
export type { CatalogNotification, DeliveryRecord, SubscriptionState, SubscriptionStatus } from './snsPublisher';
export { sqsQueueSink, type SqsMessageSink } from './sqsSink';
export {
  verifySigV4,
  SIGNATURE_MISMATCH,
  type IncomingSignedRequest,
  type SigV4Expectations,
  type SigV4Secret,
  type SigV4Verdict,
} from './sigv4Verifier';
export {
  INVALID_REQUEST_BODY,
  MIXED_STORES,
  UNKNOWN_STORE,
  type AcceptedItem,
  type KnownStore,
} from './uploadValidation';
export { BAD_STATUS_REQUEST, UNKNOWN_INGESTION } from './catalogApiRoutes';
