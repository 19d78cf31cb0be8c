import {
  Aws,
  CfnCondition,
  CfnParameter,
  aws_elasticloadbalancingv2 as elbv2,
  Fn,
  type IResolvable,
  Validations,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Logical id of the boot stack's HTTP listener (the stack policy names it). */
export const BOOT_LISTENER_ID = 'HttpListener';
/** Logical id of the HTTPS listener, present when the service has a certificate (the stack policy names it too). */
export const BOOT_HTTPS_LISTENER_ID = 'HttpsListener';
/** The HTTPS listener's port: what clients expect, and what the HTTP listener redirects to. */
export const HTTPS_PORT = 443;
/** TLS 1.3 and 1.2 with forward-secret ciphers only: ELB's recommended policy for new listeners. */
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
/** An ACM certificate ARN in any partition, or empty (HTTP only). */
const CERTIFICATE_PATTERN = '^(arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+)?$';

/** The certificate parameter, the TLS policy and the condition every HTTPS piece hangs on. */
export interface BootHttps {
  certificateArn: string;
  sslPolicy: string;
  /** True when the `CertificateArn` parameter is set. */
  hasCertificate: CfnCondition;
}

export function bootHttps(scope: Construct): BootHttps {
  const certificate = new CfnParameter(scope, 'CertificateArn', {
    type: 'String',
    default: '',
    allowedPattern: CERTIFICATE_PATTERN,
    description: `ACM certificate of the service's host name(s), in the ALB's region: adds an HTTPS listener on ${HTTPS_PORT} and redirects HTTP to it; empty: HTTP only`,
  });
  const sslPolicy = new CfnParameter(scope, 'SslPolicy', {
    type: 'String',
    default: DEFAULT_SSL_POLICY,
    description: 'ELB security policy of the HTTPS listener',
  });
  const hasCertificate = new CfnCondition(scope, 'HasCertificate', {
    expression: Fn.conditionNot(Fn.conditionEquals(certificate.valueAsString, '')),
  });
  return { certificateArn: certificate.valueAsString, sslPolicy: sslPolicy.valueAsString, hasCertificate };
}

/** The HTTPS ingress rule of the ALB's security group, present only with a certificate. */
export function httpsIngress(https: BootHttps, cidrIp: string): IResolvable {
  // Inside Fn::If CDK passes the object through as is: CloudFormation's own property names.
  return Fn.conditionIf(
    https.hasCertificate.logicalId,
    { IpProtocol: 'tcp', FromPort: HTTPS_PORT, ToPort: HTTPS_PORT, CidrIp: cidrIp },
    Aws.NO_VALUE,
  );
}

export interface BootListeners {
  /** The HTTP listener (export `HttpListenerArn`): forwards, or redirects to HTTPS when there is a certificate. */
  http: elbv2.CfnListener;
  /** The listener that holds the default action and the lane rules (export `ListenerArn`): HTTPS, else HTTP. */
  routingArn: string;
}

/**
 * The ALB's listeners. Without a certificate (`CertificateArn` empty, the default): one HTTP listener that forwards
 * to the default lane. With one: an HTTPS listener on 443 forwards and holds the lane rules, and the HTTP listener
 * answers every request with a permanent (301) redirect to the same URL over HTTPS.
 */
export function bootListeners(
  scope: Construct,
  https: BootHttps,
  props: { loadBalancerArn: string; httpPort: number; defaultTargetGroupArn: string },
): BootListeners {
  const forward = { Type: 'forward', TargetGroupArn: props.defaultTargetGroupArn };
  const redirect = {
    Type: 'redirect',
    RedirectConfig: {
      Protocol: 'HTTPS',
      Port: String(HTTPS_PORT),
      Host: '#{host}',
      Path: '/#{path}',
      Query: '#{query}',
      StatusCode: 'HTTP_301',
    },
  };
  const http = new elbv2.CfnListener(scope, BOOT_LISTENER_ID, {
    loadBalancerArn: props.loadBalancerArn,
    port: props.httpPort,
    protocol: 'HTTP',
    defaultActions: Fn.conditionIf(https.hasCertificate.logicalId, [redirect], [forward]),
  });
  const secure = new elbv2.CfnListener(scope, BOOT_HTTPS_LISTENER_ID, {
    loadBalancerArn: props.loadBalancerArn,
    port: HTTPS_PORT,
    protocol: 'HTTPS',
    certificates: [{ certificateArn: https.certificateArn }],
    sslPolicy: https.sslPolicy,
    defaultActions: [{ type: 'forward', targetGroupArn: props.defaultTargetGroupArn }],
  });
  secure.cfnOptions.condition = https.hasCertificate;
  const routingArn = Fn.conditionIf(https.hasCertificate.logicalId, secure.ref, http.ref).toString();
  Validations.of(scope).acknowledge({
    id: 'CloudFormation-Validate::W1001',
    reason: 'The ListenerArn output reads the HTTPS listener only inside Fn::If on HasCertificate, its own condition.',
  });
  return { http, routingArn };
}
