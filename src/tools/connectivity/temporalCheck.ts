/**
 * Temporal: the frontend answers at TEMPORAL_ADDRESS, the namespace exists, and it has the custom
 * search attributes every workflow is started with (src/shared/searchAttributes.ts); without them
 * starting a workflow fails.
 */
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../shared/searchAttributes';
import { connectTemporalClient } from '../../adapters/temporal/connection';

type TemporalSecurity = Parameters<typeof connectTemporalClient>[1];
import { CHECKS, messageOf, ok, problem, type CheckRow } from './checkRow';

/** temporal.api.enums.v1.IndexedValueType, for the types SEARCH_ATTRIBUTES uses. */
const INDEXED_VALUE_TYPES: Record<string, number> = { Text: 1, Keyword: 2, Int: 3, Double: 4, Bool: 5, Datetime: 6 };
const GRPC_NOT_FOUND = 5;

export async function checkTemporal(input: {
  address: string;
  namespace: string;
  timeoutMs?: number;
  /** TLS, API key: connect as the connector does (src/adapters/temporal/connection.ts). */
  security?: TemporalSecurity;
}): Promise<CheckRow[]> {
  let connection: Connection;
  try {
    connection = input.security
      ? (await connectTemporalClient(input.address, input.security)).connection
      : await Connection.connect({ address: input.address, connectTimeout: input.timeoutMs ?? 5_000 });
  } catch (err) {
    return [
      problem(
        CHECKS.temporal,
        `cannot connect to ${input.address}: ${messageOf(err)}`,
        'TEMPORAL_ADDRESS must be a Temporal frontend (host:port) reachable from here: check the address and the network path',
      ),
      problem(
        CHECKS.searchAttributes,
        'not checked: Temporal is unreachable',
        `fix the "${CHECKS.temporal}" row first`,
      ),
    ];
  }
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace: input.namespace });
    } catch (err) {
      const notFound = (err as { code?: unknown }).code === GRPC_NOT_FOUND;
      return [
        problem(
          CHECKS.temporal,
          notFound
            ? `connected to ${input.address}, but the namespace ${input.namespace} does not exist`
            : `connected to ${input.address}, but describing the namespace ${input.namespace} failed: ${messageOf(err)}`,
          notFound
            ? `create it (temporal operator namespace create --namespace ${input.namespace}) or set TEMPORAL_NAMESPACE`
            : 'check TEMPORAL_NAMESPACE and the permissions of this client',
        ),
        problem(CHECKS.searchAttributes, 'not checked: no namespace', `fix the "${CHECKS.temporal}" row first`),
      ];
    }
    const temporalRow = ok(CHECKS.temporal, `connected to ${input.address}; namespace ${input.namespace} exists`);
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: input.namespace,
      });
      return [temporalRow, interpretSearchAttributes(customAttributes ?? {}, input.namespace)];
    } catch (err) {
      return [
        temporalRow,
        problem(
          CHECKS.searchAttributes,
          `listing them failed: ${messageOf(err)}`,
          'check the permissions of this client on the namespace',
        ),
      ];
    }
  } finally {
    await connection.close();
  }
}

/** The namespace's custom attributes against the ones workflows are started with. Pure. */
export function interpretSearchAttributes(registered: Record<string, number>, namespace: string): CheckRow {
  const missing: string[] = [];
  const wrongType: string[] = [];
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    if (!(name in registered)) missing.push(name);
    else if (registered[name] !== INDEXED_VALUE_TYPES[type]) wrongType.push(`${name} (want ${type})`);
  }
  const expected = Object.keys(SEARCH_ATTRIBUTES).join(', ');
  if (missing.length) {
    const commands = missing
      .map((name) => `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type Keyword`)
      .join('; ');
    return problem(CHECKS.searchAttributes, `missing on ${namespace}: ${missing.join(', ')}`, commands);
  }
  if (wrongType.length) {
    return problem(
      CHECKS.searchAttributes,
      `registered with another type: ${wrongType.join(', ')}`,
      'a search attribute cannot change type: use a namespace where they are Keyword',
    );
  }
  return ok(CHECKS.searchAttributes, `${expected} registered on ${namespace}`);
}
