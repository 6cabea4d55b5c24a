import { RunestoneError } from '../../core/errors.ts';
import { buildGraphDocument, createStyle, graphFromPlan, isGraphFormat, renderGraphDot, renderGraphMermaid, renderGraphText } from '../../report/index.ts';
import { EXIT } from '../exit-codes.ts';
import { COMMON_OPTIONS, STACK_OPTIONS } from '../options.ts';
import { loadStackContext } from '../stack-context.ts';
import type { Verb } from '../verb.ts';

/** `runestone graph`: the dependency graph, no provider calls. */
export const GRAPH_VERB: Verb = {
  name: 'graph',
  summary: 'Print the dependency graph (text boxes, mermaid, dot or json)',
  usage: 'runestone graph [-f FILE|DIR] [--format text|mermaid|dot|json]',
  description:
    'Builds the plan and prints its DAG: boxes and arrows by dependency layer, module members grouped under their instance.\n' +
    'Edges come from depends_on, references (${res.x.attr}) and module membership. No provider is called.',
  options: [...STACK_OPTIONS, 'format', ...COMMON_OPTIONS],
  examples: ['runestone graph', 'runestone graph --format mermaid > graph.mmd', 'runestone graph --format dot | dot -Tsvg > graph.svg'],
  run(ctx) {
    const format = ctx.options.format ?? 'text';
    if (!isGraphFormat(format)) {
      throw new RunestoneError('RS_CLI_E0002', `Invalid value for --format: "${format}"`, { hint: 'Use text, mermaid, dot or json' });
    }
    const { plan } = loadStackContext(ctx);
    const graph = graphFromPlan(plan);
    const out =
      format === 'mermaid'
        ? renderGraphMermaid(graph)
        : format === 'dot'
          ? renderGraphDot(graph)
          : format === 'json'
            ? `${JSON.stringify(buildGraphDocument(graph), null, 2)}\n`
            : renderGraphText(graph, { width: ctx.terminal.stdout.columns, style: createStyle({ color: ctx.terminal.stdout.color }) });
    ctx.terminal.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
    return Promise.resolve(EXIT.ok);
  },
};
