import { isPlainObject } from '../../core/json.ts';
import type { ImpliedEdgeInput } from '../registry.ts';
import { parseKind } from './object-kind.ts';

/**
 * The order Kubernetes kinds imply within one provider instance: a Namespace before the
 * objects that name it in `metadata.namespace`, a CustomResourceDefinition before the custom
 * resources of its group and kind. Deletion runs the other way.
 */
export function impliedKubeEdges(resources: readonly ImpliedEdgeInput[]): { from: string; to: string }[] {
  const namespaces = new Map<string, string>();
  const crds = new Map<string, string>();
  for (const resource of resources) {
    const metadata = field(resource.properties, 'metadata');
    if (resource.kind === 'kubernetes:v1:Namespace') {
      const name = text(metadata, 'name') ?? resource.name;
      namespaces.set(`${resource.provider}\u0000${name}`, resource.id);
    } else if (resource.kind === 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition') {
      const spec = field(resource.properties, 'spec');
      const group = text(spec, 'group');
      const kind = text(field(spec, 'names'), 'kind');
      if (group !== undefined && kind !== undefined) crds.set(`${resource.provider}\u0000${group}\u0000${kind}`, resource.id);
    }
  }
  const edges: { from: string; to: string }[] = [];
  for (const resource of resources) {
    const namespace = text(field(resource.properties, 'metadata'), 'namespace');
    const ns = namespace === undefined ? undefined : namespaces.get(`${resource.provider}\u0000${namespace}`);
    if (ns !== undefined && ns !== resource.id) edges.push({ from: resource.id, to: ns });
    const parsed = parseKind(resource.kind);
    const slash = parsed?.apiVersion.indexOf('/') ?? -1;
    if (parsed !== undefined && slash !== -1) {
      const crd = crds.get(`${resource.provider}\u0000${parsed.apiVersion.slice(0, slash)}\u0000${parsed.kind}`);
      if (crd !== undefined) edges.push({ from: resource.id, to: crd });
    }
  }
  return edges;
}

function field(value: unknown, key: string): unknown {
  return isPlainObject(value) ? value[key] : undefined;
}

function text(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}
