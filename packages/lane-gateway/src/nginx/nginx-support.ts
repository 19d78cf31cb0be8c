import type { GatewayConfig } from '../config-types.js';
import { type ConfigIssue, GatewayConfigError } from '../errors.js';

/** Settings the nginx engine reads differently or not at all; docs/gateway.md, "Choosing an engine", lists them. */
export const NGINX_IGNORED = {
  leaks: 'lane-leak detection needs per-trace state the nginx engine does not keep',
} as const;

/** nginx variable names allow letters, digits and `_` only: `$cookie_<name>` cannot read any other cookie name. */
const NGINX_VARIABLE_PART = /^[A-Za-z0-9_]+$/;

/**
 * What the nginx engine refuses rather than fakes: every issue, with where it is, in one GatewayConfigError.
 * Refused: signed lane tokens (HMAC checks are the Node engine's), `trustedHops` (nginx's realip module picks the
 * first untrusted address from the right, not the Nth), `requireTraceparent`, a listen port of 0 (nginx cannot report
 * the port it got: the engine picks one first) and sticky cookies whose name nginx cannot read.
 */
export function assertNginxSupports(config: GatewayConfig, file?: string): void {
  const issues: ConfigIssue[] = [];
  const engineHint = 'not supported by the nginx engine; use "engine": "node" for it';
  if (config.admission.tokens)
    issues.push({ path: 'admission.tokens', message: `signed lane tokens are ${engineHint}` });
  if (config.admission.trustedHops > 0) {
    issues.push({ path: 'admission.trustedHops', message: `trusted proxy hops (X-Forwarded-For) are ${engineHint}` });
  }
  if (config.requireTraceparent) {
    issues.push({ path: 'requireTraceparent', message: `requiring a traceparent is ${engineHint}` });
  }
  if (config.listen.port === 0) {
    issues.push({
      path: 'listen.port',
      message: 'the nginx engine needs a fixed port (0 is resolved before rendering)',
    });
  }
  for (const [name, service] of Object.entries(config.services)) {
    const sticky = service.stickiness;
    if (sticky && 'cookie' in sticky && !NGINX_VARIABLE_PART.test(sticky.cookie)) {
      issues.push({
        path: `services.${name}.stickiness.cookie`,
        message: `nginx reads cookies named with letters, digits and "_" only, got ${JSON.stringify(sticky.cookie)}`,
      });
    }
  }
  if (issues.length > 0) throw new GatewayConfigError(issues, file);
}
