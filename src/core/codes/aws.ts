import type { CodeTable } from './code.ts';

/** Codes owned by the AWS provider. Append only; never renumber. */
export const AWS_CODES = {
  RS_AWS_E0001: { title: 'AWS credentials missing or rejected', hint: 'Configure credentials (env vars, ~/.aws, SSO) or providers.aws.profile' },
  RS_AWS_E0002: { title: 'AWS denied the request', hint: 'Grant the calling identity the permission named in the message' },
  RS_AWS_E0003: { title: 'AWS throttled the request' },
  RS_AWS_E0004: { title: 'Resource name already taken', hint: 'Pick another name, or set adopt: true if the existing resource is yours' },
  RS_AWS_E0005: { title: 'Resource belongs to another stack', hint: 'Another stack owns it (see its runestone:stack tag); rename this one' },
  RS_AWS_E0006: { title: 'AWS rejected the request' },
  RS_AWS_E0007: { title: 'AWS endpoint unreachable', hint: 'Check providers.aws.endpoint / AWS_ENDPOINT_URL and the network' },
  RS_AWS_E0008: { title: 'Invalid value for AWS', hint: 'Check the property against the kind schema (runestone schema <kind>)' },
} as const satisfies CodeTable;
