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

/** What the HTTPS listener does with a request path: forward to a target group (its logical id), or answer itself. */
export type Routing = { forwardTo: string } | { fixedResponse: string };

/** An ALB path pattern as a regular expression: case-sensitive, `*` any characters, `?` exactly one. */
function pathPatternRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * The load balancer's decision for a path, as ALB makes it: the listener's rules by priority, the
 * first whose path patterns match wins, else the default action. Only path-pattern rules are read.
 */
export function listenerRouting(template: Template): (path: string) => Routing {
  const listeners = resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::Listener');
  if (listeners.length !== 1) throw new Error(`expected one listener, found ${listeners.length}`);
  const rules = resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')
    .map(([, r]) => r)
    .sort((a, b) => a.Priority - b.Priority);
  const decision = (action: Record<string, any>): Routing =>
    action.Type === 'forward'
      ? { forwardTo: action.TargetGroupArn.Ref }
      : { fixedResponse: String(action.FixedResponseConfig?.StatusCode ?? action.Type) };
  return (path) => {
    for (const rule of rules) {
      const conditions = rule.Conditions as Array<Record<string, any>>;
      if (conditions.some((c) => c.Field !== 'path-pattern'))
        throw new Error('a listener rule with a condition other than the path: extend listenerRouting');
      const matches = conditions.every((c) =>
        (c.PathPatternConfig.Values as string[]).some((p) => pathPatternRegExp(p).test(path)),
      );
      if (matches) return decision(rule.Actions[0]);
    }
    return decision(listeners[0][1].DefaultActions[0]);
  };
}
