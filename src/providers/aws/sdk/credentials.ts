// the @aws-sdk/credential-providers values Runestone uses, loaded on first use (see ./lazy.ts).
import type * as Sdk from '@aws-sdk/credential-providers';
import { lazyModule, lazyValue } from './lazy.ts';

export type * from '@aws-sdk/credential-providers';

const load = lazyModule('@aws-sdk/credential-providers') as () => typeof Sdk;

export const fromNodeProviderChain: typeof Sdk.fromNodeProviderChain = lazyValue(() => load().fromNodeProviderChain);
