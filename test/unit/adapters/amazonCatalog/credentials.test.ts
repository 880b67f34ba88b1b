/**
 * Where the catalog client's base credentials come from: the AWS_* keys of the environment when
 * set (checked at once, as always), otherwise the AWS SDK's default chain, whose failures become
 * CredentialsErrors saying whether another attempt can help.
 */
import {
  baseCredentials,
  defaultChainCredentials,
  CredentialsError,
  type CredentialsProvider,
} from '../../../../src/adapters/amazonCatalog';

const CHAIN_KEYS = { accessKeyId: 'ASIACHAIN', secretAccessKey: 'chain-secret', sessionToken: 'chain-token' };

describe('baseCredentials', () => {
  const chain: CredentialsProvider = async () => CHAIN_KEYS;

  test('when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set, then they are used and the default chain is not built', async () => {
    const fallback = jest.fn(() => chain);
    const provider = baseCredentials({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' }, fallback);
    expect(await provider()).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'secret' });
    expect(fallback).not.toHaveBeenCalled();
  });

  test('when only one of the pair is set, then building fails naming the other (a half-set environment is a mistake, not a reason to look elsewhere)', () => {
    expect(() => baseCredentials({ AWS_ACCESS_KEY_ID: 'AKID' }, () => chain)).toThrow(
      'AWS credentials missing or empty in the environment: AWS_SECRET_ACCESS_KEY',
    );
    expect(() => baseCredentials({ AWS_SECRET_ACCESS_KEY: 'secret', AWS_ACCESS_KEY_ID: '' }, () => chain)).toThrow(
      /AWS_ACCESS_KEY_ID/,
    );
  });

  test('when neither is set (an ECS task, an instance profile), then the default chain provides them', async () => {
    expect(await baseCredentials({}, () => chain)()).toEqual(CHAIN_KEYS);
  });
});

describe('defaultChainCredentials', () => {
  test("when the SDK's chain resolves, then its keys and session token are used and its extra fields dropped", async () => {
    const provider = defaultChainCredentials(async () => ({ ...CHAIN_KEYS, expiration: new Date(), accountId: '1' }));
    expect(await provider()).toEqual(CHAIN_KEYS);
    const withoutToken = defaultChainCredentials(async () => ({ accessKeyId: 'AKID', secretAccessKey: 's' }));
    expect(await withoutToken()).toEqual({ accessKeyId: 'AKID', secretAccessKey: 's' });
  });

  test('when no source has credentials, then the error says where it looked and is not retryable', async () => {
    const provider = defaultChainCredentials(async () => {
      throw new Error('Could not load credentials from any providers');
    });
    const error = await provider().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/^none found in AWS_ACCESS_KEY_ID.*an ECS task role/),
    });
  });

  test('when a source fails (the container endpoint did not answer), then the error is retryable', async () => {
    const provider = defaultChainCredentials(async () => {
      throw new Error('connect ECONNREFUSED 169.254.170.2:80');
    });
    await expect(provider()).rejects.toMatchObject({
      retryable: true,
      message: 'AWS credentials from the default chain failed: connect ECONNREFUSED 169.254.170.2:80',
    });
  });
});
