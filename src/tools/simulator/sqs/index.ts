/** Local SQS server (AWS JSON 1.0 protocol) for the simulated SNS → SQS catalog notifications. */
export { startSqsServer, type RunningSqsServer, type SqsServerOptions } from './server';
export { SqsQueue, type QueuedMessage, type DeleteOutcome } from './sqsQueue';
