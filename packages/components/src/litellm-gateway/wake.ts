/**
 * The signal that wakes a burst tier at zero replicas, read from the gateway's LiteLLM metrics (its `prometheus`
 * callback, exported when `metrics` is set). A backend at zero exports nothing and fails its health checks, so the
 * gateway never sends it a request (`enable_health_check_routing`): what the gateway does see is the spill that
 * tier exists for. Measured with the real proxy (test/scaling/wake.test.ts):
 *
 * - a request no deployment of the group can take (every routable one at its `max_parallel_requests`, the rest
 *   benched) is counted in `litellm_deployment_failure_responses` with `exception_class="RouterRateLimitError"`
 *   and the group as `model_group`, and then goes to the hosted fallback or fails;
 * - a request a deployment serves or fails is counted in `litellm_deployment_total_requests` with the deployment's
 *   `model_info.id`, which the gateway sets to the backend's name. Health checks carry an empty `model_group`.
 *
 * A tier wakes on either: the group's unplaceable requests, or traffic on its own or any higher tier (a cheaper
 * tier at zero while a dearer one serves). With a threshold per replica (the stacks use the planner's `tierScaler`)
 * the wake trigger also asks for the tier's share of that spill at once; its in-flight trigger sizes it once it serves.
 */

/**
 * Rate window of the wake query. `rate()` needs two samples of a series inside it, so it must span at least two
 * scrapes (Prometheus' default interval is 1 minute); it also holds the signal up between the spills of a tier the
 * gateway has benched for `cooldownSeconds` (60 by default).
 */
export const WAKE_RATE_WINDOW = "2m";
/** LiteLLM's exception class for a request no deployment of its group could take. */
export const UNPLACEABLE_EXCEPTION_CLASS = "RouterRateLimitError";

/**
 * PromQL for the requests per second that want a burst tier: those of `modelGroup` no deployment could take, plus
 * those that reached `backends` (the tier's own and every higher tier of the group, by backend name). 0, never
 * empty, when there are none.
 */
export function gatewayWakeQuery(modelGroup: string, backends: readonly string[]): string {
  if (backends.length === 0) throw new Error(`gatewayWakeQuery: no backends given for model group "${modelGroup}"`);
  const group = promLabelValue(modelGroup);
  const ids = [...backends].sort().map(escapeRegex).join("|");
  const unplaceable = `sum(rate(litellm_deployment_failure_responses_total{model_group="${group}",exception_class="${UNPLACEABLE_EXCEPTION_CLASS}"}[${WAKE_RATE_WINDOW}]))`;
  const reached = `sum(rate(litellm_deployment_total_requests_total{model_group="${group}",model_id=~"${ids}"}[${WAKE_RATE_WINDOW}]))`;
  return `(${unplaceable} or vector(0)) + (${reached} or vector(0))`;
}

function promLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

function escapeRegex(value: string): string {
  // Inside a PromQL string the regex escape itself needs escaping.
  return value.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\\\${c}`);
}
