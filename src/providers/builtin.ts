import { AWS_PROVIDER_TYPE } from './aws/index.ts';
import { HOST_PROVIDER_TYPE } from './host/index.ts';
import { KUBE_PROVIDER_TYPE } from './kubernetes/index.ts';
import { POSTGRES_PROVIDER_TYPE } from './postgres/index.ts';
import type { ProviderType } from './registry.ts';

/** The provider types Runestone ships with; pass them to `new ProviderRegistry(...)`. */
export const BUILTIN_PROVIDER_TYPES: readonly ProviderType[] = [HOST_PROVIDER_TYPE, AWS_PROVIDER_TYPE, KUBE_PROVIDER_TYPE, POSTGRES_PROVIDER_TYPE];
