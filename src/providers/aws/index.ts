export type { AwsKindHandler } from './aws-kind.ts';
export { AwsClients } from './clients.ts';
export type { CallCounter } from './clients.ts';
export { AWS_CONFIG_SCHEMA, readAwsConfig } from './config.ts';
export type { AwsConfig, AwsService } from './config.ts';
export { awsCall, isAwsError, translateAwsError } from './errors.ts';
export { AWS_PROVIDER_TYPE, createAwsKinds, createAwsProvider } from './provider.ts';
export type { AwsProviderOptions } from './provider.ts';
export { ADDRESS_TAG, recordToTags, splitOwnership, STACK_TAG, tagsToRecord, withOwnership } from './tags.ts';
