import { CloudFormationValidatePlugin } from 'aws-cdk-lib';

/** One finding of the CloudFormation validation engine against the resource provider schemas. */
export interface TemplateFinding {
  file: string;
  rule: string;
  severity: string;
  description: string;
  resources: string[];
}

/**
 * Validates template files with the CloudFormation validation engine that ships with aws-cdk-lib
 * (`@aws/cloudformation-validate`: the CloudFormation resource provider schemas, offline): unknown properties,
 * wrong types, bad values, broken references. Returns every finding; callers decide which severities fail.
 */
export function validateTemplateFiles(files: readonly string[]): TemplateFinding[] {
  const plugin = new CloudFormationValidatePlugin();
  const findings: TemplateFinding[] = [];
  for (const file of files) {
    const report = plugin.validate({
      templatePaths: [file],
      stackTemplates: [{ stackConstructPath: file, templatePath: file }],
    } as unknown as Parameters<CloudFormationValidatePlugin['validate']>[0]);
    for (const violation of report.violations) {
      findings.push({
        file,
        rule: violation.ruleName,
        severity: String(violation.severity),
        description: violation.description,
        resources: violation.violatingResources.map((r) => r.resourceLogicalId ?? r.locations.join(',')),
      });
    }
  }
  return findings;
}
