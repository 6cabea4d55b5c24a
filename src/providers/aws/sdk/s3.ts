// the @aws-sdk/client-s3 values Runestone uses, loaded on first use (see ./lazy.ts).
import type * as Sdk from '@aws-sdk/client-s3';
import { lazyModule, lazyValue } from './lazy.ts';

export type * from '@aws-sdk/client-s3';

const load = lazyModule('@aws-sdk/client-s3') as () => typeof Sdk;

export const CreateBucketCommand: typeof Sdk.CreateBucketCommand = lazyValue(() => load().CreateBucketCommand);
export type CreateBucketCommand = Sdk.CreateBucketCommand;
export const DeleteBucketCommand: typeof Sdk.DeleteBucketCommand = lazyValue(() => load().DeleteBucketCommand);
export type DeleteBucketCommand = Sdk.DeleteBucketCommand;
export const DeleteBucketLifecycleCommand: typeof Sdk.DeleteBucketLifecycleCommand = lazyValue(() => load().DeleteBucketLifecycleCommand);
export type DeleteBucketLifecycleCommand = Sdk.DeleteBucketLifecycleCommand;
export const DeleteObjectsCommand: typeof Sdk.DeleteObjectsCommand = lazyValue(() => load().DeleteObjectsCommand);
export type DeleteObjectsCommand = Sdk.DeleteObjectsCommand;
export const GetBucketEncryptionCommand: typeof Sdk.GetBucketEncryptionCommand = lazyValue(() => load().GetBucketEncryptionCommand);
export type GetBucketEncryptionCommand = Sdk.GetBucketEncryptionCommand;
export const GetBucketLifecycleConfigurationCommand: typeof Sdk.GetBucketLifecycleConfigurationCommand = lazyValue(() => load().GetBucketLifecycleConfigurationCommand);
export type GetBucketLifecycleConfigurationCommand = Sdk.GetBucketLifecycleConfigurationCommand;
export const GetBucketPolicyCommand: typeof Sdk.GetBucketPolicyCommand = lazyValue(() => load().GetBucketPolicyCommand);
export type GetBucketPolicyCommand = Sdk.GetBucketPolicyCommand;
export const GetBucketTaggingCommand: typeof Sdk.GetBucketTaggingCommand = lazyValue(() => load().GetBucketTaggingCommand);
export type GetBucketTaggingCommand = Sdk.GetBucketTaggingCommand;
export const GetBucketVersioningCommand: typeof Sdk.GetBucketVersioningCommand = lazyValue(() => load().GetBucketVersioningCommand);
export type GetBucketVersioningCommand = Sdk.GetBucketVersioningCommand;
export const GetPublicAccessBlockCommand: typeof Sdk.GetPublicAccessBlockCommand = lazyValue(() => load().GetPublicAccessBlockCommand);
export type GetPublicAccessBlockCommand = Sdk.GetPublicAccessBlockCommand;
export const HeadBucketCommand: typeof Sdk.HeadBucketCommand = lazyValue(() => load().HeadBucketCommand);
export type HeadBucketCommand = Sdk.HeadBucketCommand;
export const ListObjectVersionsCommand: typeof Sdk.ListObjectVersionsCommand = lazyValue(() => load().ListObjectVersionsCommand);
export type ListObjectVersionsCommand = Sdk.ListObjectVersionsCommand;
export const PutBucketEncryptionCommand: typeof Sdk.PutBucketEncryptionCommand = lazyValue(() => load().PutBucketEncryptionCommand);
export type PutBucketEncryptionCommand = Sdk.PutBucketEncryptionCommand;
export const PutBucketLifecycleConfigurationCommand: typeof Sdk.PutBucketLifecycleConfigurationCommand = lazyValue(() => load().PutBucketLifecycleConfigurationCommand);
export type PutBucketLifecycleConfigurationCommand = Sdk.PutBucketLifecycleConfigurationCommand;
export const PutBucketPolicyCommand: typeof Sdk.PutBucketPolicyCommand = lazyValue(() => load().PutBucketPolicyCommand);
export type PutBucketPolicyCommand = Sdk.PutBucketPolicyCommand;
export const PutBucketTaggingCommand: typeof Sdk.PutBucketTaggingCommand = lazyValue(() => load().PutBucketTaggingCommand);
export type PutBucketTaggingCommand = Sdk.PutBucketTaggingCommand;
export const PutBucketVersioningCommand: typeof Sdk.PutBucketVersioningCommand = lazyValue(() => load().PutBucketVersioningCommand);
export type PutBucketVersioningCommand = Sdk.PutBucketVersioningCommand;
export const PutPublicAccessBlockCommand: typeof Sdk.PutPublicAccessBlockCommand = lazyValue(() => load().PutPublicAccessBlockCommand);
export type PutPublicAccessBlockCommand = Sdk.PutPublicAccessBlockCommand;
export const S3Client: typeof Sdk.S3Client = lazyValue(() => load().S3Client);
export type S3Client = Sdk.S3Client;
