#!/usr/bin/env node
/**
 * The CDK app: `npm run synth` runs it directly (no CDK CLI, no AWS credentials, no network) and
 * writes the CloudFormation templates to infra/cdk.out; `npx cdk deploy` runs it through cdk.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app';

// The CDK CLI passes its output directory in CDK_OUTDIR; run on its own, the app writes to infra/cdk.out,
// emptied first so that build contexts staged by earlier runs do not pile up.
const outdir = process.env.CDK_OUTDIR ?? path.join(__dirname, '..', 'cdk.out');
if (!process.env.CDK_OUTDIR) fs.rmSync(outdir, { recursive: true, force: true });
const app = new App({ outdir });
buildApp(app);
const assembly = app.synth();
if (!process.env.CDK_OUTDIR) {
  for (const stack of assembly.stacks)
    console.log(
      `${stack.stackName}: ${path.relative(process.cwd(), path.join(assembly.directory, stack.templateFile))}`,
    );
}
