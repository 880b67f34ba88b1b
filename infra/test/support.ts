/** Builders shared by the tests: the app as `bin/app.ts` builds it, into a temporary directory. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, settingsFromContext } from '../lib/app';

export function tempOutdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'jwo-infra-'));
}

/** Both stacks of one app; `context` is what `-c key=value` would give. */
export function synthApp(context: Record<string, string> = {}) {
  const app = new App({ outdir: tempOutdir(), context });
  const stacks = buildApp(app, settingsFromContext(app));
  return {
    app,
    ...stacks,
    connector: Template.fromStack(stacks.connector),
    onboarding: Template.fromStack(stacks.onboarding),
  };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/** Logical id → properties of every resource of one type. */
export function resourcesOfType(template: Template, type: string): Array<[string, Record<string, any>]> {
  const resources = template.toJSON().Resources as Resources;
  return Object.entries(resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The one resource of a type whose construct id is `name` (logical id: the name and an 8-digit hash). */
export function resource(template: Template, type: string, name: string): [string, Record<string, any>] {
  const logicalId = new RegExp(`^${name}[0-9A-F]{8}$`);
  const found = resourcesOfType(template, type).filter(([id]) => logicalId.test(id));
  if (found.length !== 1)
    throw new Error(`expected one ${type} named ${name}, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0];
}

/** A container definition of a task definition, by container name. */
export function container(template: Template, task: string, name: string): Record<string, any> {
  const [, props] = resource(template, 'AWS::ECS::TaskDefinition', task);
  const found = (props.ContainerDefinitions as Array<Record<string, any>>).find((c) => c.Name === name);
  if (!found) throw new Error(`no container ${name} in ${task}`);
  return found;
}
