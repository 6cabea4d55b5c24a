export { FIELD_MANAGER, KubeClient, translateKubeError } from './client.ts';
export { KUBE_CONFIG_SCHEMA, loadConnection } from './config.ts';
export type { KubeConnection } from './config.ts';
export { parseKind } from './object-kind.ts';
export { ADDRESS_ANNOTATION, MANAGED_BY_LABEL, STACK_ANNOTATION, STACK_LABEL, stackLabelValue } from './ownership.ts';
export { createKubeProvider, KUBE_PROVIDER_TYPE } from './provider.ts';
export type { KubeProviderOptions } from './provider.ts';
