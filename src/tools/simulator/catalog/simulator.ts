/**
 * Amazon's side of the catalog flow, for local runs and tests: the Catalog API (SigV4, limits,
 * validation messages, rate limiting), the processing timeline, the presigned result reports and
 * the SNS → SQS notifications. `createCatalogApiSimulator` builds the Express app and leaves
 * listening to the caller; `startCatalogApiSimulator` (server.ts) does both on 127.0.0.1.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { adminRoutes } from './adminRoutes';
import { catalogApiRoutes } from './catalogApiRoutes';
import type { SimulatorContext } from './context';
import { createFaults, type CatalogSimulatorFaults } from './faults';
import { FinalStateWatcher } from './finalStateWatcher';
import { IngestionStore, type Ingestion, type ProcessingStatus } from './ingestions';
import { DEFAULTS, type CatalogApiSimulatorOptions, type NotificationOptions } from './options';
import { createRateLimiter } from './rateLimiter';
import { ReportLinkSigner } from './reportLinks';
import { reportRoute } from './reportRoute';
import { SnsPublisher, type DeliveryRecord, type SubscriptionState } from './snsPublisher';
import { sqsQueueSink } from './sqsSink';

export interface CatalogSimulatorState {
  ingestions(): Ingestion[];
  statusOf(ingestionId: string): ProcessingStatus | undefined;
  /** The most upload calls seen in any rolling second, throttled ones included. */
  maxRequestsInAnySecond(): number;
  /** SNS subscription of the notification queue; 'Unknown' without notifications. */
  subscription(): SubscriptionState;
  /** Every SQS message sent or dropped, in order. */
  deliveries(): readonly DeliveryRecord[];
}

export interface CatalogApiSimulator {
  app: express.Express;
  state: CatalogSimulatorState;
  /** Live fault injection: push to the queues, set overrides. */
  faults: CatalogSimulatorFaults;
  /** Sets the URL links point at and, with notifications on, sends the SubscriptionConfirmation. */
  setPublicUrl(url: string): Promise<void>;
  /** Publishes the notifications of ingestions that are final now, without waiting for the sweep. */
  flushNotifications(): Promise<void>;
  /** Stops the notification sweep and closes the SQS sink. */
  stop(): void;
}

export function createCatalogApiSimulator(options: CatalogApiSimulatorOptions): CatalogApiSimulator {
  const now = options.now ?? Date.now;
  const region = options.region ?? DEFAULTS.region;
  const faults = createFaults(options.faults);
  const ingestions = new IngestionStore(
    {
      inqueueMs: options.processing?.inqueueMs ?? DEFAULTS.inqueueMs,
      inprogressMs: options.processing?.inprogressMs ?? DEFAULTS.inprogressMs,
    },
    faults.statusOverride,
  );
  const reportLinks = new ReportLinkSigner(options.reportTtlMs ?? DEFAULTS.reportTtlMs);
  const uploadRateLimiter = createRateLimiter(options.maxRequestsPerSecond ?? DEFAULTS.maxRequestsPerSecond);
  const publisher = createPublisher(options.notifications, region, now);
  let publicUrl = options.publicUrl?.replace(/\/+$/, '');
  let subscribing: Promise<void> | undefined;
  /** Subscribes the queue once the SubscribeURL can be written (the public URL is known). */
  const ensureSubscribed = (): Promise<void> => {
    if (publisher && publicUrl && !subscribing) subscribing = publisher.subscribe(publicUrl);
    return subscribing ?? Promise.resolve();
  };

  const watcher = new FinalStateWatcher({
    ingestions,
    now,
    intervalMs: DEFAULTS.notificationSweepMs,
    ready: () => publicUrl !== undefined,
    onFinal: async (ingestion, processingStatus) => {
      await ensureSubscribed(); // the confirmation always goes out first
      const reportDownloadLink =
        processingStatus === 'DONE' && publicUrl ? reportLinks.link(publicUrl, ingestion.ingestionId, now()) : '';
      await publisher?.publish({ ingestionId: ingestion.ingestionId, processingStatus, reportDownloadLink });
    },
  });

  const ctx: SimulatorContext = {
    now,
    stores: options.stores,
    maxItemsPerRequest: options.maxItemsPerRequest ?? DEFAULTS.maxItemsPerRequest,
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    sigv4: {
      service: 'execute-api',
      region,
      secretFor: (accessKeyId) => (accessKeyId === options.credentials.accessKeyId ? options.credentials : undefined),
      now,
    },
    uploadRateLimiter,
    faults,
    ingestions,
    reportLinks,
    watcher,
    publisher,
    baseUrlFor: (requestOrigin) => publicUrl ?? requestOrigin,
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(catalogApiRoutes(ctx), reportRoute(ctx), adminRoutes(ctx));
  // API Gateway answers unknown resources of an IAM-authorised API like this.
  app.use((_req: Request, res: Response) => {
    res.status(403).json({ message: 'Missing Authentication Token' });
  });
  app.use(apiGatewayErrors);

  void ensureSubscribed();

  return {
    app,
    faults,
    state: {
      ingestions: () => ingestions.all(),
      statusOf: (ingestionId) => {
        const ingestion = ingestions.get(ingestionId);
        return ingestion && ingestions.statusAt(ingestion, now());
      },
      maxRequestsInAnySecond: () => uploadRateLimiter.maxRequestsInAnySecond(),
      subscription: () => publisher?.subscription ?? { status: 'Unknown' },
      deliveries: () => publisher?.deliveries ?? [],
    },
    async setPublicUrl(url) {
      publicUrl = url.replace(/\/+$/, '');
      await ensureSubscribed();
    },
    flushNotifications: () => watcher.sweep(),
    stop() {
      watcher.stop();
      publisher?.close();
    },
  };
}

function createPublisher(
  notifications: NotificationOptions | undefined,
  region: string,
  now: () => number,
): SnsPublisher | undefined {
  if (!notifications || notifications.enabled === false) return undefined;
  return new SnsPublisher({
    sink: typeof notifications.sqs === 'string' ? sqsQueueSink(notifications.sqs, region) : notifications.sqs,
    topicArn: notifications.topicArn ?? `arn:aws:sns:${region}:000000000000:jwo-catalog-upload-status`,
    rawMessageDelivery: notifications.rawMessageDelivery ?? false,
    requireConfirmation: notifications.requireConfirmation ?? true,
    now,
  });
}

/** Body-parser failures in API Gateway's words; anything else is a simulator bug and says so. */
function apiGatewayErrors(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const status = (err as { status?: number }).status;
  if (status === 413) {
    res.status(413).json({ message: 'Request Too Long' });
  } else if (status === 400) {
    res.status(400).json({ errorMsg: 'Invalid request body' });
  } else {
    res.status(500).json({ errorMsg: `catalog simulator failure: ${(err as Error).message}` });
  }
}
