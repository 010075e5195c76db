/**
 * A local, stateful stand-in for the Lambda Cloud API (https://cloud.lambda.ai/api/v1): a real HTTP
 * server on 127.0.0.1 that implements the endpoints the LambdaInstance provider uses, with scripted
 * failures, and records every request so tests can assert bodies, headers and timing.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLambdaApiOptions {
  /** The only API key the fake accepts (as `Authorization: Bearer <key>`). */
  apiKey: string;
  /** SSH key names registered in the fake account. Defaults to `["ops"]`. */
  sshKeyNames?: string[];
  /** Launches arriving less than this long after the last accepted one get HTTP 429. Defaults to 0 (no limit). */
  launchIntervalMs?: number;
  /** `Retry-After` (seconds) sent with each HTTP 429. Defaults to none. */
  retryAfterSeconds?: number;
  /** The first K launches that pass the rate limit are answered "insufficient capacity". Defaults to 0. */
  insufficientCapacityLaunches?: number;
  /** `GET /instances/{id}` polls an instance answers `booting` before it becomes active. Defaults to 2. */
  pollsUntilActive?: number;
  /** Instances stay `booting` forever (no IP). Defaults to false. */
  neverActive?: boolean;
  /** After `pollsUntilActive` polls, instances become this instead of `active`. Defaults to `active`. */
  bootOutcome?: "active" | "unhealthy" | "preempted";
  /** `GET /instance-types` → regions with capacity, per instance type. Defaults to none anywhere. */
  capacityRegions?: Record<string, string[]>;
  /** Misbehave like a server that echoes the presented key in its 401 message. Defaults to false. */
  echoApiKeyInErrors?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path below `/api/v1`, with the query string. */
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** `performance.now()` when the request arrived. */
  time: number;
  /** HTTP status the fake answered. */
  status: number;
}

export interface FakeInstance {
  id: string;
  name: string;
  status: string;
  ip: string | null;
  private_ip: string | null;
  region: { name: string };
  instance_type: { name: string };
  ssh_key_names: string[];
  file_system_names: string[];
  user_data: string;
  polls: number;
}

const API_PREFIX = "/api/v1";

export class FakeLambdaApi {
  readonly requests: RecordedRequest[] = [];
  readonly instances = new Map<string, FakeInstance>();
  /** Base URL to give the provider as `apiBaseUrl`. */
  url = "";

  private readonly server: http.Server;
  private lastAcceptedLaunch: number | undefined;
  private launchesPastRateLimit = 0;
  private nextHost = 10;

  private constructor(readonly options: FakeLambdaApiOptions) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks).toString("utf8"), res));
    });
  }

  static async start(options: FakeLambdaApiOptions): Promise<FakeLambdaApi> {
    const fake = new FakeLambdaApi(options);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.url = `http://127.0.0.1:${port}${API_PREFIX}`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  /** Recorded requests to one endpoint, e.g. `launches()` → `POST /instance-operations/launch`. */
  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  launches(): RecordedRequest[] {
    return this.requestsTo("POST", "/instance-operations/launch");
  }

  terminations(): RecordedRequest[] {
    return this.requestsTo("POST", "/instance-operations/terminate");
  }

  private handle(req: http.IncomingMessage, rawBody: string, res: http.ServerResponse): void {
    const time = performance.now();
    const fullPath = req.url ?? "/";
    const path = fullPath.startsWith(API_PREFIX) ? fullPath.slice(API_PREFIX.length) : fullPath;
    let body: unknown;
    try {
      body = rawBody === "" ? undefined : JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = { method: req.method ?? "", path, headers: req.headers, rawBody, body, time, status: 0 };
    this.requests.push(record);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    };
    const fail = (status: number, code: string, message: string, suggestion?: string): void =>
      answer(status, { error: { code, message, ...(suggestion ? { suggestion } : {}) } });

    if (!fullPath.startsWith(API_PREFIX)) return fail(404, "global/object-does-not-exist", "No such route.");
    const presented = req.headers.authorization ?? "";
    if (presented !== `Bearer ${this.options.apiKey}`) {
      const shown = this.options.echoApiKeyInErrors ? ` (${presented.replace(/^Bearer /, "")})` : "";
      return fail(401, "global/invalid-api-key", `API key was invalid, expired, or deleted${shown}.`, "Check your API key or create a new one, then try again.");
    }

    const route = `${req.method ?? ""} ${path}`;
    if (route === "GET /instance-types") return answer(200, { data: this.instanceTypes() });
    if (route === "GET /instances") {
      return answer(200, { data: [...this.instances.values()].filter((i) => i.status !== "terminated").map(view) });
    }
    if (route === "POST /instance-operations/launch") return this.launch(body, time, answer, fail);
    if (route === "POST /instance-operations/terminate") return this.terminate(body, answer, fail);
    const match = /^\/instances\/([^/?]+)$/.exec(path);
    if (req.method === "GET" && match?.[1] !== undefined) {
      const instance = this.instances.get(decodeURIComponent(match[1]));
      if (instance === undefined) return fail(404, "global/object-does-not-exist", "Specified instance does not exist.");
      this.advance(instance);
      return answer(200, { data: view(instance) });
    }
    return fail(404, "global/object-does-not-exist", `No route ${route}.`);
  }

  private launch(
    body: unknown,
    time: number,
    answer: (status: number, payload: unknown, headers?: Record<string, string>) => void,
    fail: (status: number, code: string, message: string, suggestion?: string) => void,
  ): void {
    const interval = this.options.launchIntervalMs ?? 0;
    if (interval > 0 && this.lastAcceptedLaunch !== undefined && time - this.lastAcceptedLaunch < interval) {
      const headers: Record<string, string> =
        this.options.retryAfterSeconds === undefined ? {} : { "Retry-After": String(this.options.retryAfterSeconds) };
      return answer(429, { error: { code: "global/too-many-requests", message: "Too many requests." } }, headers);
    }
    this.lastAcceptedLaunch = time;
    const b = (body ?? {}) as Record<string, unknown>;
    const keys = b.ssh_key_names;
    const known = this.options.sshKeyNames ?? ["ops"];
    if (typeof b.region_name !== "string" || typeof b.instance_type_name !== "string") {
      return fail(400, "global/invalid-parameters", "region_name and instance_type_name are required.");
    }
    if (!Array.isArray(keys) || keys.length !== 1 || typeof keys[0] !== "string") {
      return fail(400, "global/invalid-parameters", "Exactly one SSH key name must be given.");
    }
    if (!known.includes(keys[0])) return fail(400, "global/invalid-parameters", `SSH key ${keys[0]} does not exist.`);
    const fileSystems = b.file_system_names ?? [];
    if (!Array.isArray(fileSystems) || fileSystems.length > 1) {
      return fail(400, "global/invalid-parameters", "At most one file system may be attached.");
    }
    if (b.quantity !== 1) return fail(400, "global/invalid-parameters", "This fake launches exactly one instance.");
    this.launchesPastRateLimit++;
    if (this.launchesPastRateLimit <= (this.options.insufficientCapacityLaunches ?? 0)) {
      return fail(
        400,
        "instance-operations/launch/insufficient-capacity",
        "Not enough capacity to fulfill launch request.",
        "Choose an instance type with more availability, or try again later.",
      );
    }
    const id = randomBytes(16).toString("hex");
    this.instances.set(id, {
      id,
      name: typeof b.name === "string" ? b.name : "",
      status: "booting",
      ip: null,
      private_ip: null,
      region: { name: b.region_name },
      instance_type: { name: b.instance_type_name },
      ssh_key_names: keys as string[],
      file_system_names: fileSystems as string[],
      user_data: typeof b.user_data === "string" ? b.user_data : "",
      polls: 0,
    });
    answer(200, { data: { instance_ids: [id] } });
  }

  private terminate(
    body: unknown,
    answer: (status: number, payload: unknown) => void,
    fail: (status: number, code: string, message: string) => void,
  ): void {
    const ids = (body as { instance_ids?: unknown } | undefined)?.instance_ids;
    if (!Array.isArray(ids) || ids.length === 0) return fail(400, "global/invalid-parameters", "instance_ids is required.");
    const instances = ids.map((id) => this.instances.get(String(id)));
    if (instances.some((i) => i === undefined)) return fail(404, "global/object-does-not-exist", "Specified instance does not exist.");
    if (instances.some((i) => i?.status === "terminated")) return fail(400, "global/invalid-parameters", "Instance is already terminated.");
    for (const instance of instances) if (instance) instance.status = "terminated";
    answer(200, { data: { terminated_instances: instances.map((i) => i && view(i)) } });
  }

  private advance(instance: FakeInstance): void {
    if (instance.status !== "booting") return;
    instance.polls++;
    if (this.options.neverActive || instance.polls < (this.options.pollsUntilActive ?? 2)) return;
    instance.status = this.options.bootOutcome ?? "active";
    if (instance.status === "active") {
      const host = this.nextHost++;
      instance.ip = `203.0.113.${host}`;
      instance.private_ip = `10.19.0.${host}`;
    }
  }

  private instanceTypes(): Record<string, unknown> {
    const names = new Set(["gpu_1x_h100_sxm5", "gpu_8x_h100_sxm5", ...Object.keys(this.options.capacityRegions ?? {})]);
    return Object.fromEntries(
      [...names].map((name) => [
        name,
        {
          instance_type: { name, price_cents_per_hour: name === "gpu_8x_h100_sxm5" ? 3192 : 429 },
          regions_with_capacity_available: (this.options.capacityRegions?.[name] ?? []).map((r) => ({ name: r })),
        },
      ]),
    );
  }
}

/** What `GET /instances/{id}` shows: never the user data. */
function view(instance: FakeInstance): Record<string, unknown> {
  return {
    id: instance.id,
    name: instance.name,
    status: instance.status,
    ip: instance.ip,
    private_ip: instance.private_ip,
    region: instance.region,
    instance_type: instance.instance_type,
    ssh_key_names: instance.ssh_key_names,
    file_system_names: instance.file_system_names,
  };
}
