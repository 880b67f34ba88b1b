/** Reading the catalog notification queue's messages: SNS envelopes, raw delivery, confirmations, junk. */
import {
  isSnsSubscribeUrl,
  readCatalogQueueMessage,
} from '../../../../src/adapters/catalogNotifications/notificationMessage';

const inner = {
  ingestionId: 'ing-1',
  processingStatus: 'DONE',
  reportDownloadLink: 'https://bucket.s3.amazonaws.com/r?X-Amz-Expires=3600',
};

describe('readCatalogQueueMessage', () => {
  test('when the body is an SNS Notification, then its Message is unwrapped', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      MessageId: 'm',
      TopicArn: 't',
      Message: JSON.stringify(inner),
      Timestamp: 'now',
    });
    expect(readCatalogQueueMessage(body)).toEqual({ kind: 'ingestion-finished', outcome: inner });
  });

  test('when the body is the bare message (raw delivery) with unknown fields and a lower-case status, then it is read the same', () => {
    const body = JSON.stringify({ ...inner, processingStatus: 'fatal', reportDownloadLink: null, retailerId: 'r-1' });
    expect(readCatalogQueueMessage(body)).toEqual({
      kind: 'ingestion-finished',
      outcome: { ingestionId: 'ing-1', processingStatus: 'FATAL', reportDownloadLink: '' },
    });
  });

  test('when the body is a SubscriptionConfirmation, then its SubscribeURL is returned', () => {
    const body = JSON.stringify({
      Type: 'SubscriptionConfirmation',
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
    });
    expect(readCatalogQueueMessage(body)).toEqual({
      kind: 'subscription-confirmation',
      subscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
      topicArn: 'arn:aws:sns:us-east-1:1:t',
    });
  });

  test('when the status is not final or the message is an unsubscribe confirmation, then it is ignored', () => {
    expect(readCatalogQueueMessage(JSON.stringify({ ...inner, processingStatus: 'INPROGRESS' }))).toEqual({
      kind: 'ignored',
      reason: 'ingestion ing-1 is INPROGRESS',
    });
    expect(readCatalogQueueMessage(JSON.stringify({ Type: 'UnsubscribeConfirmation' }))).toMatchObject({
      kind: 'ignored',
    });
  });

  test.each([
    ['not JSON', 'hello'],
    ['a JSON array', '[1]'],
    ['a Notification whose Message is not JSON', JSON.stringify({ Type: 'Notification', Message: 'oops' })],
    ['a message without ingestionId', JSON.stringify({ processingStatus: 'DONE' })],
    ['an unknown status', JSON.stringify({ ...inner, processingStatus: 'EXPLODED' })],
    ['a confirmation without SubscribeURL', JSON.stringify({ Type: 'SubscriptionConfirmation' })],
  ])('when the body is %s, then it is unreadable', (_, body) => {
    expect(readCatalogQueueMessage(body)).toMatchObject({ kind: 'unreadable', reason: expect.any(String) });
  });
});

describe('isSnsSubscribeUrl', () => {
  test.each([
    ['https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription', true],
    ['https://sns.cn-north-1.amazonaws.com.cn/?Action=ConfirmSubscription', true],
    ['http://sns.eu-west-1.amazonaws.com/', false],
    ['https://sns.eu-west-1.amazonaws.com.evil.example/', false],
    ['http://127.0.0.1:9999/__sns/confirm', false],
  ])('when the SubscribeURL is %s, then trusted is %s', (url, trusted) => {
    expect(isSnsSubscribeUrl(new URL(url))).toBe(trusted);
  });
});
