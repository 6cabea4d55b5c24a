// the @aws-sdk/client-resource-groups-tagging-api values Runestone uses, loaded on first use (see ./lazy.ts).
import type * as Sdk from '@aws-sdk/client-resource-groups-tagging-api';
import { lazyModule, lazyValue } from './lazy.ts';

export type * from '@aws-sdk/client-resource-groups-tagging-api';

const load = lazyModule('@aws-sdk/client-resource-groups-tagging-api') as () => typeof Sdk;

export const ResourceGroupsTaggingAPIClient: typeof Sdk.ResourceGroupsTaggingAPIClient = lazyValue(() => load().ResourceGroupsTaggingAPIClient);
export type ResourceGroupsTaggingAPIClient = Sdk.ResourceGroupsTaggingAPIClient;
export const paginateGetResources: typeof Sdk.paginateGetResources = lazyValue(() => load().paginateGetResources);
