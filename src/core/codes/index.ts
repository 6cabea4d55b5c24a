import type { Code, CodeInfo } from './code.ts';
import { AWS_CODES } from './aws.ts';
import { CLI_CODES } from './cli.ts';
import { CONFIG_CODES } from './config.ts';
import { ENGINE_CODES } from './engine.ts';
import { EXPR_CODES } from './expr.ts';
import { HOST_CODES } from './host.ts';
import { INTERNAL_CODES } from './internal.ts';
import { KUBE_CODES } from './kube.ts';
import { MANIFEST_CODES } from './manifest.ts';
import { MODULE_CODES } from './module.ts';
import { PLAN_CODES } from './plan.ts';
import { POSTGRES_CODES } from './postgres.ts';
import { PROVIDER_CODES } from './provider.ts';
import { STORE_CODES } from './store.ts';

/** Every registered code. Keys are the only codes errors and events may carry. */
export const CODES = {
  ...AWS_CODES,
  ...CLI_CODES,
  ...CONFIG_CODES,
  ...ENGINE_CODES,
  ...EXPR_CODES,
  ...HOST_CODES,
  ...INTERNAL_CODES,
  ...KUBE_CODES,
  ...MANIFEST_CODES,
  ...MODULE_CODES,
  ...PLAN_CODES,
  ...POSTGRES_CODES,
  ...PROVIDER_CODES,
  ...STORE_CODES,
} as const;

/** A code that exists in the registry. */
export type RegisteredCode = keyof typeof CODES;

/** Looks up a code's registry entry. */
export function describeCode(code: Code): CodeInfo | undefined {
  return (CODES as Readonly<Record<string, CodeInfo>>)[code];
}
