/**
 * `npm run bench`: runs every benchmark script, one after the other (each starts its own Temporal
 * dev server, so they do not disturb each other), writes the figures to bench/results.md and puts
 * them in the README between the bench markers.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineLine } from './stats';

const ROOT = join(__dirname, '../../..');
const BENCHES = [
  { title: 'Pricing engine', script: 'pricingBench.js', command: 'npm run bench:pricing' },
  { title: 'Identity Connector (gate)', script: 'gateBench.js', command: 'npm run bench:gate' },
  {
    title: 'Ordering Connector (purchases end to end)',
    script: 'purchaseBench.js',
    command: 'npm run bench:purchases',
  },
  { title: 'Catalog upload (100,000 items)', script: 'catalogBench.js', command: 'npm run bench:catalog' },
  { title: 'Store mix on the all-in-one', script: 'storeMixBench.js', command: 'npm run bench:store' },
  {
    title: 'Gate and purchases against the cluster (`npm run cluster`)',
    script: '../cluster/clusterBench.js',
    command: 'npm run bench:cluster',
  },
];

function run(script: string): string {
  const output = execFileSync(process.execPath, [join(__dirname, script)], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  // Each script prints its own machine line first; the report prints one for all.
  return output
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('machine:'))
    .join('\n');
}

const sections = BENCHES.map(({ title, script, command }) => {
  process.stderr.write(`running ${command}…\n`);
  return `### ${title}\n\n\`${command}\`\n\n${run(script)}\n`;
});
const report = [`${machineLine()}`, '', ...sections].join('\n');

mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results.md'), `# Benchmark results\n\nWritten by \`npm run bench\`.\n\n${report}`);
const readmePath = join(ROOT, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
writeFileSync(
  readmePath,
  readme.replace(
    /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
    `<!-- bench:start -->\n${report}\n<!-- bench:end -->`,
  ),
);
process.stdout.write(`${report}\n`);
