// the @aws-sdk/client-rds values Runestone uses, loaded on first use (see ./lazy.ts).
import type * as Sdk from '@aws-sdk/client-rds';
import { lazyModule, lazyValue } from './lazy.ts';

export type * from '@aws-sdk/client-rds';

const load = lazyModule('@aws-sdk/client-rds') as () => typeof Sdk;

export const AddTagsToResourceCommand: typeof Sdk.AddTagsToResourceCommand = lazyValue(() => load().AddTagsToResourceCommand);
export type AddTagsToResourceCommand = Sdk.AddTagsToResourceCommand;
export const CreateDBInstanceCommand: typeof Sdk.CreateDBInstanceCommand = lazyValue(() => load().CreateDBInstanceCommand);
export type CreateDBInstanceCommand = Sdk.CreateDBInstanceCommand;
export const DeleteDBInstanceCommand: typeof Sdk.DeleteDBInstanceCommand = lazyValue(() => load().DeleteDBInstanceCommand);
export type DeleteDBInstanceCommand = Sdk.DeleteDBInstanceCommand;
export const DescribeDBInstancesCommand: typeof Sdk.DescribeDBInstancesCommand = lazyValue(() => load().DescribeDBInstancesCommand);
export type DescribeDBInstancesCommand = Sdk.DescribeDBInstancesCommand;
export const ListTagsForResourceCommand: typeof Sdk.ListTagsForResourceCommand = lazyValue(() => load().ListTagsForResourceCommand);
export type ListTagsForResourceCommand = Sdk.ListTagsForResourceCommand;
export const ModifyDBInstanceCommand: typeof Sdk.ModifyDBInstanceCommand = lazyValue(() => load().ModifyDBInstanceCommand);
export type ModifyDBInstanceCommand = Sdk.ModifyDBInstanceCommand;
export const RDSClient: typeof Sdk.RDSClient = lazyValue(() => load().RDSClient);
export type RDSClient = Sdk.RDSClient;
export const RemoveTagsFromResourceCommand: typeof Sdk.RemoveTagsFromResourceCommand = lazyValue(() => load().RemoveTagsFromResourceCommand);
export type RemoveTagsFromResourceCommand = Sdk.RemoveTagsFromResourceCommand;
export const waitUntilDBInstanceAvailable: typeof Sdk.waitUntilDBInstanceAvailable = lazyValue(() => load().waitUntilDBInstanceAvailable);
export const waitUntilDBInstanceDeleted: typeof Sdk.waitUntilDBInstanceDeleted = lazyValue(() => load().waitUntilDBInstanceDeleted);
