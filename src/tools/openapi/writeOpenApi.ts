/**
 * `npm run openapi`: writes openapi.json at the repository root from the zod schemas (src/api/openapi.ts).
 * Run it after changing a request schema and commit the result: test/unit/api/openapi.test.ts fails while the
 * committed file and the generated document differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument, serializeOpenApi } from '../../api/openapi';

/** The same from src/tools/openapi (ts) and dist/tools/openapi (built js): three levels below the root. */
export const OPENAPI_FILE = resolve(__dirname, '../../../openapi.json');

function main(): void {
  const text = serializeOpenApi(buildOpenApiDocument());
  let before: string | null = null;
  try {
    before = readFileSync(OPENAPI_FILE, 'utf8');
  } catch {
    // First run: no file yet.
  }
  if (before === text) {
    console.log(`${OPENAPI_FILE} is up to date`);
    return;
  }
  writeFileSync(OPENAPI_FILE, text);
  console.log(`wrote ${OPENAPI_FILE}`);
}

if (require.main === module) main();
