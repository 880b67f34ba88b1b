/** `npm run synth` writes both templates offline (no AWS credentials, no network, no Docker). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempOutdir } from './support';

test('npm run synth writes the onboarding and connector templates', () => {
  const outdir = tempOutdir();
  // Credentials removed, so a synth that needed AWS would fail here.
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: outdir, TS_NODE_TRANSPILE_ONLY: 'true' };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_')) delete env[key];
  execFileSync('npm', ['run', '--silent', 'synth'], {
    cwd: path.join(__dirname, '..'),
    env,
    stdio: 'pipe',
    timeout: 150_000,
  });

  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const stacks = Object.entries(manifest.artifacts as Record<string, any>).filter(
    ([, a]) => a.type === 'aws:cloudformation:stack',
  );
  expect(stacks.map(([id]) => id).sort()).toEqual(['JwoConnector', 'JwoOnboarding']);
  // The onboarding stack deploys after the connector (its role trusts the worker's task role).
  expect(manifest.artifacts.JwoOnboarding.dependencies).toContain('JwoConnector');

  const template = (name: string) => JSON.parse(fs.readFileSync(path.join(outdir, `${name}.template.json`), 'utf8'));
  expect(Object.keys(template('JwoOnboarding').Outputs)).toEqual(
    expect.arrayContaining(['CatalogApiRoleArn', 'CatalogNotificationQueueArn', 'CatalogNotificationQueueUrl']),
  );
  expect(Object.keys(template('JwoConnector').Parameters)).toEqual(
    expect.arrayContaining(['CertificateArn', 'TemporalAddress', 'TemporalNamespace', 'CatalogApiEndpoint']),
  );
  // The image's build context is staged with only what the Dockerfile copies.
  const contexts = fs
    .readdirSync(outdir)
    .filter((f) => f.startsWith('asset.') && fs.existsSync(path.join(outdir, f, 'Dockerfile')));
  expect(contexts).toHaveLength(1);
  expect(fs.readdirSync(path.join(outdir, contexts[0])).sort()).toEqual([
    '.dockerignore',
    'Dockerfile',
    'package-lock.json',
    'package.json',
    'src',
    'tsconfig.json',
  ]);
}, 180_000);
