import type { CodeTable } from './code.ts';

/** Codes owned by the Kubernetes provider. Append only; never renumber. */
export const KUBE_CODES = {
  RS_KUBE_E0001: { title: 'Kubernetes credentials missing or rejected', hint: 'Check providers.kubernetes.kubeconfig / context, or KUBECONFIG' },
  RS_KUBE_E0002: { title: 'Kubernetes denied the request', hint: 'Grant the user the RBAC permission named in the message' },
  RS_KUBE_E0003: { title: 'Server-side apply conflict with another field manager', hint: 'Another manager owns the field; change it there, or drop the field from config' },
  RS_KUBE_E0004: { title: 'The Kubernetes API server rejected the object', hint: 'Fix the field named in the message; the server validates every field at preview' },
  RS_KUBE_E0005: { title: 'Kind not served by the cluster', hint: 'Check the apiVersion and Kind (kubectl api-resources), or create the CRD first' },
  RS_KUBE_E0006: { title: 'Kubernetes API server unreachable', hint: 'Check the cluster address in the kubeconfig and the network' },
  RS_KUBE_E0007: { title: 'Kubernetes API request failed' },
  RS_KUBE_E0008: { title: 'Kubernetes configuration unusable', hint: 'Check providers.kubernetes (kubeconfig, context) and the kubeconfig file' },
  RS_KUBE_E0009: { title: 'Timed out waiting for a Kubernetes object', hint: 'Check the object with kubectl describe' },
  RS_KUBE_E0010: { title: 'Kubernetes manifests unreadable', hint: 'Check the path and that every document has apiVersion, kind and metadata.name' },
  RS_KUBE_E0011: { title: 'A Kubernetes object failed while Runestone waited for it', hint: 'Check the object with kubectl describe and its events' },
} as const satisfies CodeTable;
