import type { CodeTable } from './code.ts';

/** Codes owned by the config area. Append only; never renumber. */
export const CONFIG_CODES = {
  RS_CONFIG_E0001: { title: 'YAML syntax error', hint: 'Check indentation and quoting near the position shown' },
  RS_CONFIG_E0002: { title: 'Config file not found', hint: 'Pass -f FILE or run from a directory with runestone.yaml' },
  RS_CONFIG_E0003: { title: 'Unknown key', hint: 'Use one of the keys the schema allows; the message suggests the nearest' },
  RS_CONFIG_E0004: { title: 'Value has the wrong type or shape' },
  RS_CONFIG_E0005: { title: 'Missing required key' },
  RS_CONFIG_E0006: { title: 'Unknown resource kind', hint: 'Run `runestone schema --list` to see every kind' },
  RS_CONFIG_E0007: { title: 'Conflicting stack documents', hint: 'Give project and environment once, or the same value in every file' },
  RS_CONFIG_E0008: { title: 'Invalid variable override', hint: 'Write --var name=value for a variable the stack declares' },
  RS_CONFIG_E0009: { title: 'Required variable has no value', hint: 'Set it with --var, --var-file or RUNESTONE_VAR_<name>' },
  RS_CONFIG_E0010: { title: 'Duplicate definition' },
  RS_CONFIG_E0011: { title: 'Unknown provider instance', hint: 'Declare it under providers: or drop the provider field' },
  RS_CONFIG_E0012: { title: 'Variable value does not match its declared type', hint: 'Give a value of the declared type, or change type:' },
  RS_CONFIG_E0013: { title: 'Include cycle in steps documents', hint: 'Remove one include on the cycle the message spells out' },
  RS_CONFIG_E0014: { title: 'Step feature not supported yet', hint: 'Remove the field from the step; the message names it' },
  RS_CONFIG_W0001: { title: 'Unknown RUNESTONE_VAR_ variable ignored' },
} as const satisfies CodeTable;
