// the @aws-sdk/client-lambda values Runestone uses, loaded on first use (see ./lazy.ts).
import type * as Sdk from '@aws-sdk/client-lambda';
import { lazyModule, lazyValue } from './lazy.ts';

export type * from '@aws-sdk/client-lambda';

const load = lazyModule('@aws-sdk/client-lambda') as () => typeof Sdk;

export const CreateFunctionCommand: typeof Sdk.CreateFunctionCommand = lazyValue(() => load().CreateFunctionCommand);
export type CreateFunctionCommand = Sdk.CreateFunctionCommand;
export const DeleteFunctionCommand: typeof Sdk.DeleteFunctionCommand = lazyValue(() => load().DeleteFunctionCommand);
export type DeleteFunctionCommand = Sdk.DeleteFunctionCommand;
export const GetFunctionCommand: typeof Sdk.GetFunctionCommand = lazyValue(() => load().GetFunctionCommand);
export type GetFunctionCommand = Sdk.GetFunctionCommand;
export const LambdaClient: typeof Sdk.LambdaClient = lazyValue(() => load().LambdaClient);
export type LambdaClient = Sdk.LambdaClient;
export const TagResourceCommand: typeof Sdk.TagResourceCommand = lazyValue(() => load().TagResourceCommand);
export type TagResourceCommand = Sdk.TagResourceCommand;
export const UntagResourceCommand: typeof Sdk.UntagResourceCommand = lazyValue(() => load().UntagResourceCommand);
export type UntagResourceCommand = Sdk.UntagResourceCommand;
export const UpdateFunctionCodeCommand: typeof Sdk.UpdateFunctionCodeCommand = lazyValue(() => load().UpdateFunctionCodeCommand);
export type UpdateFunctionCodeCommand = Sdk.UpdateFunctionCodeCommand;
export const UpdateFunctionConfigurationCommand: typeof Sdk.UpdateFunctionConfigurationCommand = lazyValue(() => load().UpdateFunctionConfigurationCommand);
export type UpdateFunctionConfigurationCommand = Sdk.UpdateFunctionConfigurationCommand;
export const waitUntilFunctionActiveV2: typeof Sdk.waitUntilFunctionActiveV2 = lazyValue(() => load().waitUntilFunctionActiveV2);
export const waitUntilFunctionUpdatedV2: typeof Sdk.waitUntilFunctionUpdatedV2 = lazyValue(() => load().waitUntilFunctionUpdatedV2);
