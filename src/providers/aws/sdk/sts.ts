// the @aws-sdk/client-sts values Runestone uses, loaded on first use (see ./lazy.ts).
import type * as Sdk from '@aws-sdk/client-sts';
import { lazyModule, lazyValue } from './lazy.ts';

export type * from '@aws-sdk/client-sts';

const load = lazyModule('@aws-sdk/client-sts') as () => typeof Sdk;

export const GetCallerIdentityCommand: typeof Sdk.GetCallerIdentityCommand = lazyValue(() => load().GetCallerIdentityCommand);
export type GetCallerIdentityCommand = Sdk.GetCallerIdentityCommand;
export const STSClient: typeof Sdk.STSClient = lazyValue(() => load().STSClient);
export type STSClient = Sdk.STSClient;
