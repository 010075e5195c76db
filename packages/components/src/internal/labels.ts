/** Labels Switchyard puts on everything it creates, so `kubectl get -l` finds a component's objects. */
export const LABEL_PREFIX = "switchyard.dev";
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "switchyard" } as const;

/** Node label that pins workloads to one GpuNodePool, whatever the cloud. */
export const POOL_LABEL = `${LABEL_PREFIX}/pool`;
/** Taint that keeps everything but GPU workloads off GPU nodes; tolerated by VllmServing. */
export const GPU_TAINT_KEY = "nvidia.com/gpu";

export function componentLabels(component: string, instance: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": component,
    "app.kubernetes.io/instance": instance,
    ...MANAGED_BY,
  };
}
