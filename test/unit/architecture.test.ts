/**
 * The layers, enforced: every import in src/ is checked against what its layer may use, so an
 * import that runs up the layers (or from the product into tooling) fails the suite with its file
 * and line. Type-only imports are allowed where a lower layer needs a higher layer's type only to
 * proxy it (workflows typing their activities) and never reach run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../../src');

type Layer =
  'shared' | 'domain' | 'config' | 'adapters' | 'application' | 'activities' | 'workflows' | 'api' | 'entry' | 'tools';

/** What each layer may import at run time (its own layer always). */
const ALLOWED: Record<Layer, Layer[]> = {
  shared: ['domain'],
  domain: [],
  config: [],
  adapters: ['domain', 'shared', 'config'],
  application: ['adapters', 'domain', 'shared', 'config'],
  activities: ['application', 'adapters', 'domain', 'shared', 'config'],
  workflows: ['domain', 'shared'],
  api: ['application', 'adapters', 'domain', 'shared', 'config'],
  entry: ['activities', 'adapters', 'domain', 'shared', 'config', 'workflows'],
  tools: ['shared', 'domain', 'config', 'adapters', 'application', 'activities', 'workflows', 'api', 'entry'],
};
/** Type-only imports that are allowed on top (erased at compile time). */
const TYPE_ONLY: Partial<Record<Layer, Layer[]>> = {
  workflows: ['activities'],
  adapters: ['workflows'],
  application: ['workflows'],
  api: ['workflows'],
};

function layerOf(file: string): Layer {
  const top = relative(SRC, file).replace(/\.ts$/, '').split('/')[0];
  if (top === 'config' || top === 'startup') return 'config';
  if (top === 'worker' || top === 'catalogWorker') return 'entry';
  return top as Layer;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Import {
  file: string;
  line: number;
  target: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const found: Import[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      // Single-line and the closing line of multi-line imports and re-exports, and dynamic import().
      const match = /^\s*(?:import|export|\}).*?from\s+'(\.[^']+)'/.exec(text) ?? /import\('(\.[^']+)'\)/.exec(text);
      if (!match) return;
      const statementStart = text.trimStart().startsWith('}') ? findStatementStart(file, i) : text;
      found.push({
        file,
        line: i + 1,
        target: resolve(dirname(file), match[1]),
        typeOnly: /^\s*(import|export) type\b/.test(statementStart),
      });
    });
  return found;
}

function findStatementStart(file: string, closingLine: number): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = closingLine; i >= 0; i--) if (/^\s*(import|export)\b/.test(lines[i])) return lines[i];
  return '';
}

test('when every import in src/ is checked against its layer, then none runs up the layers or into tooling', () => {
  const files = sourceFiles(SRC);
  expect(files.length).toBeGreaterThan(100);
  const violations = files.flatMap(importsOf).flatMap((imp) => {
    const from = layerOf(imp.file);
    const to = layerOf(imp.target);
    if (from === to || ALLOWED[from].includes(to)) return [];
    if (imp.typeOnly && TYPE_ONLY[from]?.includes(to)) return [];
    return [`${relative(SRC, imp.file)}:${imp.line} (${from}) imports ${relative(SRC, imp.target)} (${to})`];
  });
  expect(violations).toEqual([]);
});

test('when the checker meets an import that runs up, then it reports it (the check can fail)', () => {
  expect(layerOf(join(SRC, 'domain/money.ts'))).toBe('domain');
  expect(ALLOWED.domain.includes(layerOf(join(SRC, 'api/app.ts')))).toBe(false);
  expect(ALLOWED.api.includes('tools')).toBe(false);
});
