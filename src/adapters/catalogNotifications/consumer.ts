/**
 * Consumes Amazon's catalog notifications from the retailer's SQS queue (jwo-api.md §4.1): long
 * polls with @aws-sdk/client-sqs, confirms the SNS subscription by visiting its SubscribeURL (and
 * records the confirmation in catalog_notification_subscriptions), and
 * signals the CatalogUploadWorkflow that owns each finished ingestion. A message is deleted once
 * handled; one that could not be handled (database or Temporal unreachable, ingestion not recorded
 * yet) is left to come back after the queue's visibility timeout.
 *
 * A notification is only a wake-up: SNS signatures are not verified, so anyone able to write to the
 * queue could forge one. Its ingestionId says which ingestion to ask about; its processingStatus and
 * reportDownloadLink are never used. The consumer asks getCatalogUploadStatus (SigV4-signed, to
 * Amazon's endpoint) and signals the workflow with that answer only, when it is final.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import type { Queryable } from '../db/database';
import type { Logger } from '../logger';
import { findUploadIdByIngestion } from '../catalog/catalogUploadStore';
import type { StatusResult } from '../amazonCatalog/types';
import { ingestionFinishedSignal, isFinalProcessingStatus, type IngestionOutcome } from '../../shared/catalogMessages';
import { catalogUploadWorkflowId } from '../../shared/workflowIds';
import { isSnsSubscribeUrl, readCatalogQueueMessage } from './notificationMessage';
import { recordSubscriptionConfirmed } from './subscriptionStore';

export interface CatalogNotificationConsumerOptions {
  queueUrl: string;
  sqs: SQSClient;
  db: Queryable;
  temporal: Client;
  logger: Logger;
  /** The authoritative status call (getCatalogUploadStatus): what the workflow is told comes from it alone. */
  getUploadStatus: (ingestionId: string) => Promise<StatusResult>;
  /** Which SubscribeURLs may be visited. Default: SNS's https endpoints only, so a forged message cannot make us call anywhere. */
  isTrustedSubscribeUrl?: (url: URL) => boolean;
  /** Long-poll wait. Default 20 s, the SQS maximum. */
  waitTimeSeconds?: number;
  fetchImpl?: typeof fetch;
}

export interface CatalogNotificationConsumer {
  /** Ends the long poll in progress, finishes the message at hand and closes the SQS client. */
  stop(): Promise<void>;
}

/**
 * A notification whose ingestion is still unknown after this many receives is not ours (or its
 * upload was lost) and is dropped, instead of cycling forever in a queue without a dead-letter queue.
 */
const MAX_RECEIVES_OF_UNKNOWN_INGESTION = 5;
const PAUSE_AFTER_RECEIVE_ERROR_MS = 2_000;

/**
 * An SQS client for a queue URL. The endpoint is the queue's own origin, which is what AWS uses too
 * and lets a local queue (src/tools/simulator/sqs) work unchanged; the region comes from an AWS queue host.
 * Credentials: the SDK's default chain (AWS_* variables, profiles, instance roles) unless given.
 */
export function sqsClientForQueue(
  queueUrl: string,
  options: { region?: string; credentials?: SQSClientConfig['credentials'] } = {},
): SQSClient {
  const url = new URL(queueUrl);
  const region = /^sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(url.hostname)?.[1] ?? options.region ?? 'us-east-1';
  return new SQSClient({
    region,
    endpoint: url.origin,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

export function startCatalogNotificationConsumer(
  options: CatalogNotificationConsumerOptions,
): CatalogNotificationConsumer {
  const { sqs, queueUrl, logger } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const isTrusted = options.isTrustedSubscribeUrl ?? isSnsSubscribeUrl;
  const abort = new AbortController();
  const deleteMessage = (message: Message) =>
    sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));

  /** Handles one message; true when it can be deleted. */
  async function handle(message: Message): Promise<boolean> {
    const read = readCatalogQueueMessage(message.Body ?? '');
    switch (read.kind) {
      case 'subscription-confirmation':
        return confirmSubscription(read.subscribeUrl, read.topicArn);
      case 'ingestion-finished':
        return signalUpload(read.outcome, Number(message.Attributes?.ApproximateReceiveCount ?? 1));
      case 'ignored':
        logger.debug('catalog notification ignored', { reason: read.reason, messageId: message.MessageId });
        return true;
      case 'unreadable':
        // It will not become readable by coming back: drop it, loudly.
        logger.error('catalog notification unreadable, dropped', {
          reason: read.reason,
          messageId: message.MessageId,
          body: message.Body?.slice(0, 500),
        });
        return true;
    }
  }

  async function confirmSubscription(subscribeUrl: string, topicArn: string | null): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(subscribeUrl);
    } catch {
      logger.error('catalog subscription confirmation with an invalid SubscribeURL, dropped', { subscribeUrl });
      return true;
    }
    if (!isTrusted(url)) {
      logger.error('catalog subscription confirmation not visited: its SubscribeURL is not an SNS endpoint', {
        host: url.host,
        topicArn,
      });
      return true;
    }
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) {
      logger.warn('catalog subscription confirmation refused, will retry', { status: response.status, topicArn });
      return false;
    }
    // Recorded for `jwo connectivity-test`; if the database refuses, the message comes back and is confirmed again.
    await recordSubscriptionConfirmed(options.db, queueUrl, topicArn);
    logger.info('catalog notification subscription confirmed', { topicArn });
    return true;
  }

  async function signalUpload(outcome: IngestionOutcome, receiveCount: number): Promise<boolean> {
    const uploadId = await findUploadIdByIngestion(options.db, outcome.ingestionId);
    if (!uploadId) {
      // The upload activity records the ingestion right after Amazon's 201; the notification can only beat it narrowly.
      const giveUp = receiveCount >= MAX_RECEIVES_OF_UNKNOWN_INGESTION;
      logger.warn(
        giveUp
          ? 'catalog notification for an unknown ingestion, dropped'
          : 'catalog notification for an unknown ingestion, will retry',
        {
          ingestionId: outcome.ingestionId,
          receiveCount,
        },
      );
      return giveUp;
    }
    // A wake-up only: the status call says what happened, never the message (which may be forged).
    const status = await options.getUploadStatus(outcome.ingestionId);
    if (status.kind === 'error') {
      logger.warn('catalog notification: the status call failed', {
        ingestionId: outcome.ingestionId,
        status: status.status,
        error: status.errorMsg,
        retryable: status.retryable,
      });
      // Polling goes on in the workflow either way; a retryable failure lets the message come back.
      return !status.retryable;
    }
    if (!isFinalProcessingStatus(status.processingStatus)) {
      logger.warn('catalog notification for an ingestion the status call says is not final, ignored', {
        uploadId,
        ingestionId: outcome.ingestionId,
        notified: outcome.processingStatus,
        processingStatus: status.processingStatus,
      });
      return true;
    }
    const confirmed: IngestionOutcome = {
      ingestionId: outcome.ingestionId,
      processingStatus: status.processingStatus,
      reportDownloadLink: status.reportDownloadLink,
    };
    try {
      await options.temporal.workflow
        .getHandle(catalogUploadWorkflowId(uploadId))
        .signal(ingestionFinishedSignal, confirmed);
      logger.info('catalog notification delivered', { uploadId, ...confirmed });
    } catch (err) {
      // Compared by name: instanceof fails across module registries.
      if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
      // Status polling saw the final state first and the upload has finished: nothing left to tell it.
      logger.info('catalog notification after its upload finished', { uploadId, ingestionId: outcome.ingestionId });
    }
    return true;
  }

  const loop = (async () => {
    while (!abort.signal.aborted) {
      let messages: Message[];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: options.waitTimeSeconds ?? 20,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          { abortSignal: abort.signal },
        );
        messages = received.Messages ?? [];
      } catch (err) {
        if (abort.signal.aborted) break;
        logger.warn('catalog notification queue unreachable, retrying', { queueUrl, error: (err as Error).message });
        await sleep(PAUSE_AFTER_RECEIVE_ERROR_MS, undefined, { signal: abort.signal }).catch(() => undefined);
        continue;
      }
      for (const message of messages) {
        try {
          if (await handle(message)) await deleteMessage(message);
        } catch (err) {
          logger.warn('catalog notification not handled, it will come back', {
            messageId: message.MessageId,
            error: (err as Error).message,
          });
        }
      }
    }
  })();

  return {
    async stop() {
      abort.abort();
      await loop;
      sqs.destroy();
    },
  };
}
