import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonObject } from '../core/json.ts';

/** One schema violation, at a JSON pointer into the validated value. */
export interface SchemaIssue {
  /** JSON pointer of the offending value (`/properties/mode`); for unknown keys, the key itself. */
  readonly pointer: string;
  /** What the schema expected, sentence case: `Expected "string", found "number"`. */
  readonly message: string;
  /** The keyword that failed (`type`, `required`, `additionalProperties`, `enum`, ...). */
  readonly keyword: string;
  /** For `additionalProperties`: the unknown key; for `required`: the missing key. */
  readonly key?: string;
  /** Keys allowed at that place, for did-you-mean hints. */
  readonly allowedKeys?: readonly string[];
  /** Allowed values for `enum`/`const` failures. */
  readonly allowedValues?: readonly unknown[];
}

/** A compiled validator: applies defaults in place and returns every issue found. */
export type SchemaCheck = (value: unknown) => readonly SchemaIssue[];

const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false, verbose: true });
const compiled = new WeakMap<JsonObject, ValidateFunction>();

/**
 * Compiles a JSON Schema (2020-12) once and returns a check that applies `default`s to the
 * value in place and reports all issues. Schemas are compiled lazily and cached per object.
 */
export function compileSchema(schema: JsonObject): SchemaCheck {
  return (value: unknown) => {
    let validate = compiled.get(schema);
    if (validate === undefined) {
      validate = ajv.compile(schema);
      compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => toIssue(error));
  };
}

function toIssue(error: ErrorObject): SchemaIssue {
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const props = parent?.['properties'];
      const allowedKeys = props !== null && typeof props === 'object' ? Object.keys(props) : [];
      return { pointer: `${error.instancePath}/${escapePointer(key)}`, keyword: error.keyword, key, allowedKeys, message: `Unknown key "${key}"` };
    }
    case 'required': {
      const key = String(params['missingProperty']);
      return { pointer: error.instancePath, keyword: error.keyword, key, message: `Missing required key "${key}"` };
    }
    case 'enum': {
      const allowedValues = Array.isArray(params['allowedValues']) ? (params['allowedValues'] as unknown[]) : [];
      return { pointer: error.instancePath, keyword: error.keyword, allowedValues, message: `Expected one of ${allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    case 'const':
      return { pointer: error.instancePath, keyword: error.keyword, allowedValues: [params['allowedValue']], message: `Expected ${JSON.stringify(params['allowedValue'])}` };
    case 'type':
      return { pointer: error.instancePath, keyword: error.keyword, message: `Expected ${describeType(params['type'])}` };
    default:
      return { pointer: error.instancePath, keyword: error.keyword, message: capitalize(error.message ?? 'Invalid value') };
  }
}

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  return types.map((t) => (t === 'integer' ? 'an integer' : t === 'object' ? 'a map' : t === 'array' ? 'a list' : `a ${t}`)).join(' or ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Escapes a key for use in a JSON pointer (RFC 6901). */
export function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Splits a JSON pointer into its unescaped keys. */
export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}
