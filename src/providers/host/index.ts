export { COMMAND_SCHEMA } from './kinds/command.ts';
export { DIRECTORY_SCHEMA } from './kinds/directory.ts';
export { FILE_SCHEMA } from './kinds/file.ts';
export { LINK_SCHEMA } from './kinds/link.ts';
export { TEMPLATE_SCHEMA } from './kinds/template.ts';
export { createHostKinds, createHostProvider, HOST_CONFIG_SCHEMA, HOST_PROVIDER_TYPE } from './provider.ts';
export type { HostProviderOptions } from './provider.ts';
export type { HostKindHandler } from './host-kind.ts';
