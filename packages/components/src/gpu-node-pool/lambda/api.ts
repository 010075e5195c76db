/**
 * A small client for the Lambda Cloud API (https://cloud.lambda.ai/api/v1), used by the LambdaInstance
 * dynamic provider.
 *
 * Pulumi serializes the dynamic provider, and everything it reaches, into the stack's state and runs
 * it in a separate process. So this file has no runtime imports: it uses only globals (`fetch`,
 * `setTimeout`, `globalThis`) and the constants and classes defined here.
 */

/** Lambda Cloud API base URL (the legacy `https://cloud.lambdalabs.com/api/v1` still answers). */
export const LAMBDA_API_BASE_URL = "https://cloud.lambda.ai/api/v1";

/** `POST /instance-operations/launch` is limited to 1 request per 12 s (Lambda Cloud API docs; older docs: 10 s). */
export const LAMBDA_LAUNCH_INTERVAL_MS = 12_000;

/** Every other endpoint is limited to 1 request per second (Lambda Cloud API docs). */
export const LAMBDA_REQUEST_INTERVAL_MS = 1_000;

/** Instance states reported by `GET /instances/{id}`. */
export type LambdaInstanceStatus = "booting" | "active" | "unhealthy" | "terminating" | "terminated" | "preempted";

/** The part of a Lambda instance record the provider uses (`GET /instances/{id}` → `data`). */
export interface LambdaInstanceRecord {
  id: string;
  /** One of {@link LambdaInstanceStatus}; kept a string so that a new status does not break parsing. */
  status: string;
  /** Public IPv4 address; absent while the instance boots. */
  ip?: string | null;
  /** Private IPv4 address; absent while the instance boots. */
  private_ip?: string | null;
  name?: string | null;
}

/** Body of `POST /instance-operations/launch`, exactly as the provider sends it. */
export interface LambdaLaunchRequest {
  region_name: string;
  instance_type_name: string;
  /** Lambda requires exactly one key. */
  ssh_key_names: [string];
  /** At most one file system, in the same region. */
  file_system_names: string[];
  quantity: 1;
  name: string;
  user_data: string;
}

/** One entry of `GET /instance-types` → `data`. */
export interface LambdaInstanceTypeEntry {
  instance_type?: { name?: string; price_cents_per_hour?: number };
  regions_with_capacity_available?: { name?: string }[];
}

/** An error answer of the Lambda Cloud API, or a failure to reach it. Never carries the API key or a request body. */
export class LambdaApiError extends Error {
  /** HTTP status; 0 when the API could not be reached. */
  readonly status: number;
  /** Lambda error code, e.g. `instance-operations/launch/insufficient-capacity`; empty when there is none. */
  readonly code: string;
  /** Lambda's `message` (or a transport error's message), with the API key redacted. */
  readonly detail: string;
  /** Lambda's `suggestion`, when given. */
  readonly suggestion: string | undefined;
  /** Delay the API asked for on HTTP 429 (`Retry-After`), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    operation: string;
    status: number;
    code: string;
    detail: string;
    suggestion?: string | undefined;
    retryAfterMs?: number | undefined;
  }) {
    const where = init.status === 0 ? "could not be reached" : `answered HTTP ${init.status}`;
    const code = init.code ? ` ${init.code}` : "";
    const suggestion = init.suggestion ? ` Suggestion: ${init.suggestion}` : "";
    super(`Lambda Cloud API ${init.operation} ${where}${code}: ${init.detail}${suggestion}`);
    this.name = "LambdaApiError";
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.suggestion = init.suggestion;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Lambda's "no capacity for this instance type in this region" answer: normal, and worth retrying. */
  get isInsufficientCapacity(): boolean {
    return this.status === 400 && this.code.includes("insufficient-capacity");
  }

  get isNotFound(): boolean {
    return this.status === 404 || this.code === "global/object-does-not-exist";
  }

  get isRateLimited(): boolean {
    return this.status === 429;
  }

  /** 5xx answers and network failures: the request may succeed if repeated. */
  get isTransient(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/** Timing knobs of the client. Production uses the documented limits; tests inject small values. */
export interface LambdaApiClientOptions {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  /** Spacing of launch requests, process-wide per base URL. */
  launchIntervalMs: number;
  /** Spacing of every other request, process-wide per base URL. */
  requestIntervalMs: number;
  /** Wait after an HTTP 429 without `Retry-After`, doubled on each repeat (capped at 16×). Defaults to the endpoint's interval. */
  rateLimitBackoffMs?: number | undefined;
  /** How many HTTP 429 answers one call absorbs before it fails. */
  rateLimitRetries: number;
  /** Timeout of one HTTP request. */
  requestTimeoutMs: number;
}

/** State of one rate-limit gate, shared by every client in the process. */
interface Gate {
  /** Earliest time (epoch ms) the next request through this gate may start. */
  nextAt: number;
  /** Settles when the request currently holding the gate has finished. */
  tail: Promise<void>;
}

// Several LambdaInstances of one pool are created concurrently in one provider process, each with its own
// deserialized copy of this code; the gates therefore live on `globalThis`, not in a module variable.
const GATES_KEY = "__switchyardLambdaRateLimitGates";

function gateFor(key: string): Gate {
  const g = globalThis as unknown as Record<string, Map<string, Gate> | undefined>;
  let gates = g[GATES_KEY];
  if (gates === undefined) {
    gates = new Map<string, Gate>();
    g[GATES_KEY] = gates;
  }
  let gate = gates.get(key);
  if (gate === undefined) {
    gate = { nextAt: 0, tail: Promise.resolve() };
    gates.set(key, gate);
  }
  return gate;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Runs `task` through the process-wide gate `key`: one task at a time, each starting at least
 * `intervalMs` after the previous one *finished* — so the API sees requests at least that far apart
 * whatever the network latency.
 */
export async function throughGate<T>(key: string, intervalMs: number, task: () => Promise<T>): Promise<T> {
  const gate = gateFor(key);
  const previous = gate.tail;
  let release: () => void = () => undefined;
  gate.tail = new Promise<void>((resolve) => {
    release = resolve;
  });
  try {
    await previous;
    await sleep(gate.nextAt - Date.now());
    return await task();
  } finally {
    gate.nextAt = Math.max(gate.nextAt, Date.now() + intervalMs);
    release();
  }
}

/** Holds every request through gate `key` back until `untilMs` (epoch ms), e.g. after an HTTP 429. */
export function holdGate(key: string, untilMs: number): void {
  const gate = gateFor(key);
  gate.nextAt = Math.max(gate.nextAt, untilMs);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Replaces every occurrence of `secret` in `text`; short strings are left alone to keep messages readable. */
export function redact(text: string, secret: string): string {
  return secret.length >= 8 ? text.split(secret).join("[redacted]") : text;
}

interface RequestSpec {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  /** Which gate spaces this request. */
  limit: "launch" | "general";
}

/** Lambda Cloud API client: bearer auth, documented rate limits, 429 backoff, readable errors. */
export class LambdaApiClient {
  private readonly options: LambdaApiClientOptions;

  constructor(options: LambdaApiClientOptions) {
    this.options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, "") };
  }

  /** `POST /instance-operations/launch`; returns the id of the one launched instance. */
  async launch(request: LambdaLaunchRequest): Promise<string> {
    const body = await this.request<{ data?: { instance_ids?: string[] } }>({
      method: "POST",
      path: "/instance-operations/launch",
      body: request,
      limit: "launch",
    });
    const id = body.data?.instance_ids?.[0];
    if (typeof id !== "string" || id === "") {
      throw new LambdaApiError({
        operation: "POST /instance-operations/launch",
        status: 200,
        code: "",
        detail: "the answer carried no instance id (expected data.instance_ids[0])",
      });
    }
    return id;
  }

  /** `GET /instances/{id}`. */
  async getInstance(id: string): Promise<LambdaInstanceRecord> {
    const body = await this.request<{ data?: LambdaInstanceRecord }>({
      method: "GET",
      path: `/instances/${encodeURIComponent(id)}`,
      limit: "general",
    });
    if (body.data === undefined || typeof body.data.status !== "string") {
      throw new LambdaApiError({
        operation: `GET /instances/${id}`,
        status: 200,
        code: "",
        detail: "the answer carried no instance record (expected data.status)",
      });
    }
    return body.data;
  }

  /** `POST /instance-operations/terminate`. */
  async terminate(ids: string[]): Promise<void> {
    await this.request<unknown>({
      method: "POST",
      path: "/instance-operations/terminate",
      body: { instance_ids: ids },
      limit: "general",
    });
  }

  /** `GET /instance-types` → `data`, keyed by instance type name. */
  async instanceTypes(): Promise<Record<string, LambdaInstanceTypeEntry>> {
    const body = await this.request<{ data?: Record<string, LambdaInstanceTypeEntry> }>({
      method: "GET",
      path: "/instance-types",
      limit: "general",
    });
    return body.data ?? {};
  }

  private async request<T>(spec: RequestSpec): Promise<T> {
    const { baseUrl, launchIntervalMs, requestIntervalMs, rateLimitRetries } = this.options;
    const interval = spec.limit === "launch" ? launchIntervalMs : requestIntervalMs;
    const gateKey = `${baseUrl} ${spec.limit}`;
    const backoffBase = this.options.rateLimitBackoffMs ?? interval;
    for (let attempt = 0; ; attempt++) {
      try {
        return await throughGate(gateKey, interval, () => this.send<T>(spec));
      } catch (err) {
        if (!(err instanceof LambdaApiError) || !err.isRateLimited || attempt >= rateLimitRetries) throw err;
        const delay = err.retryAfterMs ?? backoffBase * 2 ** Math.min(attempt, 4);
        // Everyone behind this gate waits, not only this caller: the limit is per account.
        holdGate(gateKey, Date.now() + delay);
      }
    }
  }

  private async send<T>(spec: RequestSpec): Promise<T> {
    const operation = `${spec.method} ${spec.path}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.apiKey}`,
      Accept: "application/json",
    };
    if (spec.body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.options.baseUrl}${spec.path}`, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      throw new LambdaApiError({ operation, status: 0, code: "", detail: this.clean(cause) });
    }
    let parsed: unknown;
    try {
      parsed = text === "" ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok) {
      if (parsed === undefined) {
        throw new LambdaApiError({ operation, status: response.status, code: "", detail: "the answer was not JSON" });
      }
      return parsed as T;
    }
    const error = (parsed as { error?: { code?: unknown; message?: unknown; suggestion?: unknown } } | undefined)?.error;
    const fieldErrors = (parsed as { field_errors?: Record<string, { message?: unknown }> } | undefined)?.field_errors;
    let detail = typeof error?.message === "string" && error.message !== "" ? error.message : response.statusText || "no message";
    if (fieldErrors !== undefined && typeof fieldErrors === "object") {
      const fields = Object.entries(fieldErrors)
        .map(([field, e]) => `${field}: ${typeof e?.message === "string" ? e.message : "invalid"}`)
        .join("; ");
      if (fields !== "") detail = `${detail} (${fields})`;
    }
    throw new LambdaApiError({
      operation,
      status: response.status,
      code: typeof error?.code === "string" ? error.code : "",
      detail: this.clean(detail),
      suggestion: typeof error?.suggestion === "string" && error.suggestion !== "" ? this.clean(error.suggestion) : undefined,
      retryAfterMs: response.status === 429 ? parseRetryAfter(response.headers.get("retry-after")) : undefined,
    });
  }

  /** API answers are relayed, but never with the API key in them, whatever the server echoes. */
  private clean(text: string): string {
    return redact(text, this.options.apiKey);
  }
}
