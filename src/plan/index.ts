export { buildPlan, isDeferred } from './build-plan.ts';
export { buildStepsPlan } from './build-steps-plan.ts';
export type { BuildStepsPlanOptions } from './build-steps-plan.ts';
export type { BuildPlanOptions, BuiltPlan } from './build-plan.ts';
export { assertAcyclic, dependencyLayers, matchAddress } from './dag.ts';
export type {
  Attributes,
  AttributesLookup,
  DeferredValue,
  DriftPolicy,
  EdgeReason,
  Plan,
  PlanEdge,
  PlanNode,
  PlanOutput,
  PlanValue,
  ProviderInstanceConfig,
  ResolvedValue,
} from './ir.ts';
export { isPartialAttributes, markPartialAttributes } from './partial-attributes.ts';
export { resolveVariables } from './variables.ts';
export type { ResolvedVariables, VariableOverrides } from './variables.ts';
export { fanOutHosts, hostInstanceName, hostNodeId } from './fan-out-hosts.ts';
