import { ALIGN_VERB } from './verbs/align.ts';
import { BOOTSTRAP_VERB } from './verbs/bootstrap.ts';
import { COMMIT_VERB } from './verbs/commit.ts';
import { DISMANTLE_VERB } from './verbs/dismantle.ts';
import { GRAPH_VERB } from './verbs/graph.ts';
import { MANIFEST_VERB } from './verbs/manifest.ts';
import { PREVIEW_VERB } from './verbs/preview.ts';
import { SCHEMA_VERB } from './verbs/schema.ts';
import { VALIDATE_VERB } from './verbs/validate.ts';
import type { Verb } from './verb.ts';

/** Every verb, in the order help lists them (the workflow order). */
export const VERBS: readonly Verb[] = [BOOTSTRAP_VERB, VALIDATE_VERB, PREVIEW_VERB, COMMIT_VERB, ALIGN_VERB, DISMANTLE_VERB, GRAPH_VERB, SCHEMA_VERB, MANIFEST_VERB];
