/**
 * The SigV4 region of an API Gateway endpoint. Amazon hands out the Catalog API endpoint during
 * onboarding; its host has the form `<api-id>.execute-api.<region>.amazonaws.com` (one of
 * Amazon's samples parses the region from it, jwo-api.md §3.1).
 */
const EXECUTE_API_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export function regionFromEndpoint(endpoint: string): string | undefined {
  return EXECUTE_API_HOST.exec(new URL(endpoint).hostname)?.[1];
}
