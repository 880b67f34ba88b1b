/**
 * Every secret the connector reads, in Secrets Manager, and the environment variable each one is
 * injected into (as an ECS `secrets` entry, so the value never appears in the task definition or
 * the template).
 *
 * Values are set once, when the secret is created: generated where any random value will do (keys
 * the retailer hands to Amazon, to its operators or to its app backend; the metrics token), empty where only the retailer can know the
 * value (Temporal Cloud credentials, the payment processor's key). Fill those in before starting
 * the services (README: "Secrets to fill in"). CloudFormation leaves a secret's value alone on
 * later deployments as long as its definition here does not change.
 */
import { SecretValue } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Characters kept out of generated values: the product splits key lists on commas. */
const generated = (length: number): secretsmanager.SecretStringGenerator => ({
  passwordLength: length,
  excludePunctuation: true,
});

export class ConnectorSecrets extends Construct {
  /** CONNECTOR_API_KEYS: the key(s) Amazon sends in CONNECTOR_AUTH_HEADER; the same value goes in the Merchant Portal. */
  readonly connectorApiKeys: secretsmanager.Secret;
  /** OPERATOR_API_KEYS: keys of the operator API and of the `jwo` command. */
  readonly operatorApiKeys: secretsmanager.Secret;
  /** SCAN_KEY_MAC_KEYS: the HMAC keys of Scan Key Codes (a bare value is key `A`, see entrypoint.ts). */
  readonly scanKeyMacKeys: secretsmanager.Secret;
  /** APP_SESSION_SECRETS: the HMAC secrets of the app's shopper sessions, comma-separated, the first signs. */
  readonly appSessionSecrets: secretsmanager.Secret;
  /** APP_BACKEND_KEYS: the key(s) the retailer's app backend enrolls shoppers with (header x-app-backend-key). */
  readonly appBackendKeys: secretsmanager.Secret;
  /** METRICS_TOKEN: the bearer token /metrics requires; the CloudWatch agent sidecar scrapes with it (metricsAgent.ts). */
  readonly metricsToken: secretsmanager.Secret;
  /** TEMPORAL_API_KEY, TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: JSON fields apiKey, tlsCert, tlsKey (Temporal Cloud). */
  readonly temporal: secretsmanager.Secret;
  /** STRIPE_SECRET_KEY: JSON field secretKey (the payment processor; API and worker). */
  readonly payments: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.connectorApiKeys = new secretsmanager.Secret(this, 'ConnectorApiKeys', {
      description: 'CONNECTOR_API_KEYS: comma-separated keys Amazon sends (enter the first in the Merchant Portal)',
      generateSecretString: generated(40),
    });
    this.operatorApiKeys = new secretsmanager.Secret(this, 'OperatorApiKeys', {
      description: 'OPERATOR_API_KEYS: comma-separated keys of the operator API (header x-operator-key)',
      generateSecretString: generated(40),
    });
    this.scanKeyMacKeys = new secretsmanager.Secret(this, 'ScanKeyMacKeys', {
      description: 'SCAN_KEY_MAC_KEYS: id:secret[,id:secret], the first signs; a bare generated value is used as key A',
      generateSecretString: generated(48),
    });
    this.appSessionSecrets = new secretsmanager.Secret(this, 'AppSessionSecrets', {
      description:
        "APP_SESSION_SECRETS: comma-separated secrets signing the app's shopper sessions; the first signs, all verify",
      generateSecretString: generated(48),
    });
    this.appBackendKeys = new secretsmanager.Secret(this, 'AppBackendKeys', {
      description:
        "APP_BACKEND_KEYS: comma-separated keys of the retailer's app backend (header x-app-backend-key on /app-backend/v1)",
      generateSecretString: generated(40),
    });
    this.metricsToken = new secretsmanager.Secret(this, 'MetricsToken', {
      description:
        "METRICS_TOKEN: the bearer token of the API's /metrics, read by the API and by its CloudWatch agent sidecar",
      generateSecretString: generated(48),
    });
    // Empty fields are not secrets, so writing them in the template discloses nothing; the product
    // treats an empty variable as unset.
    this.temporal = new secretsmanager.Secret(this, 'Temporal', {
      description:
        'Temporal Cloud credentials: apiKey (TEMPORAL_API_KEY) or tlsCert/tlsKey PEM (TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY); empty for a self-hosted cluster without auth',
      secretObjectValue: {
        apiKey: SecretValue.unsafePlainText(''),
        tlsCert: SecretValue.unsafePlainText(''),
        tlsKey: SecretValue.unsafePlainText(''),
      },
    });
    this.payments = new secretsmanager.Secret(this, 'Payments', {
      description: "The payment processor's secret key: secretKey (STRIPE_SECRET_KEY)",
      secretObjectValue: { secretKey: SecretValue.unsafePlainText('') },
    });
  }

  /**
   * Secrets both processes read: the database credentials (fields of the RDS secret; host, port and
   * database name are not secret and go in the plain environment), Temporal's, and the payment
   * processor's key. Both call the processor (PAYMENT_GATEWAY=stripe, set in connectorStack.ts): the
   * worker charges (pre-auths, captures, voids); the API refunds (operator API) and sets shoppers'
   * cards up (Stripe Customer and SetupIntent at enrollment); and each refuses to start without it.
   */
  private common(database: secretsmanager.ISecret): Record<string, ecs.Secret> {
    return {
      DB_USER: ecs.Secret.fromSecretsManager(database, 'username'),
      DB_PASSWORD: ecs.Secret.fromSecretsManager(database, 'password'),
      TEMPORAL_API_KEY: ecs.Secret.fromSecretsManager(this.temporal, 'apiKey'),
      TEMPORAL_TLS_CERT: ecs.Secret.fromSecretsManager(this.temporal, 'tlsCert'),
      TEMPORAL_TLS_KEY: ecs.Secret.fromSecretsManager(this.temporal, 'tlsKey'),
      STRIPE_SECRET_KEY: ecs.Secret.fromSecretsManager(this.payments, 'secretKey'),
    };
  }

  /**
   * The API checks callers' keys (Amazon's, operators', the app backend's, the metrics scraper's),
   * issues and verifies Scan Key Codes and signs shoppers in.
   */
  forApi(database: secretsmanager.ISecret): Record<string, ecs.Secret> {
    return {
      ...this.common(database),
      CONNECTOR_API_KEYS: ecs.Secret.fromSecretsManager(this.connectorApiKeys),
      OPERATOR_API_KEYS: ecs.Secret.fromSecretsManager(this.operatorApiKeys),
      APP_BACKEND_KEYS: ecs.Secret.fromSecretsManager(this.appBackendKeys),
      METRICS_TOKEN: this.metricsTokenSecret(),
      SCAN_KEY_MAC_KEYS: ecs.Secret.fromSecretsManager(this.scanKeyMacKeys),
      APP_SESSION_SECRETS: ecs.Secret.fromSecretsManager(this.appSessionSecrets),
    };
  }

  /** METRICS_TOKEN, for the API and for the container that hands it to the metrics agent (metricsAgent.ts). */
  metricsTokenSecret(): ecs.Secret {
    return ecs.Secret.fromSecretsManager(this.metricsToken);
  }

  /**
   * The worker runs the workflows (payments, catalog uploads): it needs none of the API's keys, and
   * does not check them (`loadServiceConfig(env, 'worker')` in the product's config.ts).
   */
  forWorker(database: secretsmanager.ISecret): Record<string, ecs.Secret> {
    return this.common(database);
  }

  /** Every secret with the variable(s) it feeds, for the stack's outputs and the README. */
  all(): Array<{ id: string; secret: secretsmanager.Secret }> {
    return [
      { id: 'ConnectorApiKeys', secret: this.connectorApiKeys },
      { id: 'OperatorApiKeys', secret: this.operatorApiKeys },
      { id: 'ScanKeyMacKeys', secret: this.scanKeyMacKeys },
      { id: 'AppSessionSecrets', secret: this.appSessionSecrets },
      { id: 'AppBackendKeys', secret: this.appBackendKeys },
      { id: 'MetricsToken', secret: this.metricsToken },
      { id: 'Temporal', secret: this.temporal },
      { id: 'Payments', secret: this.payments },
    ];
  }
}
