import type * as pulumi from "@pulumi/pulumi";
import {
  LAMBDA_API_BASE_URL,
  LAMBDA_LAUNCH_INTERVAL_MS,
  LAMBDA_REQUEST_INTERVAL_MS,
  LambdaApiClient,
  LambdaApiError,
  sleep,
} from "./api";
import type { LambdaInstanceRecord, LambdaLaunchRequest } from "./api";

// Pulumi serializes this provider (and what it reaches: ./api) into the stack state and runs it in the
// dynamic-provider process. Keep it free of Pulumi objects and runtime imports other than ./api.

/** How long an instance may take from launch to `active` with an IP before it is terminated. 20 minutes. */
export const DEFAULT_ACTIVE_TIMEOUT_SECONDS = 20 * 60;
/** How long "insufficient capacity" answers are retried before the create fails. 30 minutes. */
export const DEFAULT_CAPACITY_TIMEOUT_SECONDS = 30 * 60;

/** The value Pulumi passes for inputs not known yet (during preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Instance states after which an instance will never become active. */
const DEAD_STATUSES = ["unhealthy", "terminating", "terminated", "preempted"];

/** Timing knobs of the provider. Production always uses the defaults; tests inject small values. */
export interface LambdaProviderOptions {
  /** Spacing of launch requests across the process. Defaults to 12 000 (Lambda's documented 1 per 12 s). */
  launchIntervalMs?: number;
  /** Spacing of other API requests across the process. Defaults to 1 000 (Lambda's documented 1 per s). */
  requestIntervalMs?: number;
  /** Interval between `GET /instances/{id}` polls while an instance boots. Defaults to 10 000. */
  pollIntervalMs?: number;
  /** First wait after an "insufficient capacity" answer, doubled on each repeat. Defaults to 30 000. */
  capacityBackoffInitialMs?: number;
  /** Longest wait between launch attempts while capacity is short. Defaults to 300 000. */
  capacityBackoffMaxMs?: number;
  /** Wait after an HTTP 429 without `Retry-After`, doubled on each repeat. Defaults to the endpoint's interval. */
  rateLimitBackoffMs?: number;
  /** HTTP 429 answers one API call absorbs before failing. Defaults to 8. */
  rateLimitRetries?: number;
  /** Timeout of one HTTP request. Defaults to 30 000. */
  requestTimeoutMs?: number;
}

export interface ResolvedLambdaProviderOptions {
  launchIntervalMs: number;
  requestIntervalMs: number;
  pollIntervalMs: number;
  capacityBackoffInitialMs: number;
  capacityBackoffMaxMs: number;
  rateLimitBackoffMs: number | undefined;
  rateLimitRetries: number;
  requestTimeoutMs: number;
}

/** The documented limits and the production polling cadence. */
export const LAMBDA_PROVIDER_DEFAULTS: Readonly<ResolvedLambdaProviderOptions> = {
  launchIntervalMs: LAMBDA_LAUNCH_INTERVAL_MS,
  requestIntervalMs: LAMBDA_REQUEST_INTERVAL_MS,
  pollIntervalMs: 10_000,
  capacityBackoffInitialMs: 30_000,
  capacityBackoffMaxMs: 300_000,
  rateLimitBackoffMs: undefined,
  rateLimitRetries: 8,
  requestTimeoutMs: 30_000,
};

/** Resolved time limits of one instance, in seconds. */
export interface LambdaInstanceTimeouts {
  activeSeconds: number;
  capacitySeconds: number;
}

/** Inputs of a LambdaInstance as the provider receives them (the engine unwraps secrets). */
export interface LambdaInstanceInputs {
  apiKey: string;
  instanceTypeName: string;
  regionName: string;
  sshKeyName: string;
  instanceName: string;
  userData: string;
  fileSystemNames: string[];
  apiBaseUrl: string;
  timeouts: LambdaInstanceTimeouts;
}

/** State of a LambdaInstance: its inputs (needed again by delete and read) plus what Lambda reported. */
export interface LambdaInstanceState extends LambdaInstanceInputs {
  instanceId: string;
  ip: string;
  privateIp: string;
  status: string;
}

/** Changing any of these means a new instance: Lambda cannot change an instance in place. */
export const REPLACING_PROPERTIES = [
  "instanceTypeName",
  "regionName",
  "sshKeyName",
  "instanceName",
  "userData",
  "fileSystemNames",
] as const;

/** Changing any of these only rewrites state: they are how the provider talks to the API, not the instance. */
export const UPDATABLE_PROPERTIES = ["apiKey", "apiBaseUrl", "timeouts"] as const;

/** Pulumi dynamic provider for one Lambda Cloud on-demand instance. */
export class LambdaProvider implements pulumi.dynamic.ResourceProvider<LambdaInstanceInputs, LambdaInstanceState> {
  readonly options: ResolvedLambdaProviderOptions;

  constructor(options: LambdaProviderOptions = {}) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.options = { ...LAMBDA_PROVIDER_DEFAULTS, ...defined };
  }

  check(_olds: LambdaInstanceInputs, rawNews: LambdaInstanceInputs): Promise<pulumi.dynamic.CheckResult<LambdaInstanceInputs>> {
    // During preview any value may be the unknown sentinel, so inspect the raw record.
    const news = rawNews as unknown as Record<string, unknown>;
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const property of ["apiKey", "instanceTypeName", "regionName", "sshKeyName", "instanceName", "userData"]) {
      const value = news[property];
      if (value === UNKNOWN) continue;
      // Never echo the value: apiKey and userData are secrets.
      if (typeof value !== "string" || value.trim() === "") failures.push({ property, reason: `${property} must be a non-empty string` });
    }
    const sshKeyName = news.sshKeyName;
    if (typeof sshKeyName === "string" && sshKeyName !== UNKNOWN && /[,\s]/.test(sshKeyName)) {
      failures.push({ property: "sshKeyName", reason: `sshKeyName ("${sshKeyName}") must name exactly one SSH key; Lambda takes exactly one` });
    }
    const fileSystemNames = news.fileSystemNames ?? [];
    if (fileSystemNames !== UNKNOWN) {
      if (!Array.isArray(fileSystemNames) || fileSystemNames.some((n) => n !== UNKNOWN && (typeof n !== "string" || n === ""))) {
        failures.push({ property: "fileSystemNames", reason: "fileSystemNames must be a list of file system names" });
      } else if (fileSystemNames.length > 1) {
        failures.push({
          property: "fileSystemNames",
          reason: `fileSystemNames has ${fileSystemNames.length} entries; Lambda attaches at most one file system to an instance`,
        });
      }
    }
    const apiBaseUrl = news.apiBaseUrl ?? LAMBDA_API_BASE_URL;
    if (apiBaseUrl !== UNKNOWN && !isHttpUrl(apiBaseUrl)) {
      failures.push({ property: "apiBaseUrl", reason: `apiBaseUrl (${JSON.stringify(apiBaseUrl)}) must be an http(s) URL such as ${LAMBDA_API_BASE_URL}` });
    }
    const timeouts = resolveTimeouts(news.timeouts);
    for (const key of ["activeSeconds", "capacitySeconds"] as const) {
      if (!(timeouts[key] > 0 && Number.isFinite(timeouts[key]))) {
        failures.push({ property: `timeouts.${key}`, reason: `timeouts.${key} (${String(timeouts[key])}) must be a positive number of seconds` });
      }
    }
    const inputs = { ...news, fileSystemNames, apiBaseUrl, timeouts } as unknown as LambdaInstanceInputs;
    return Promise.resolve({ inputs, failures });
  }

  diff(_id: string, olds: LambdaInstanceState, news: LambdaInstanceInputs): Promise<pulumi.dynamic.DiffResult> {
    const changed = (key: keyof LambdaInstanceInputs): boolean => {
      switch (key) {
        case "fileSystemNames":
          return !sameList(olds.fileSystemNames ?? [], news.fileSystemNames ?? []);
        case "apiBaseUrl":
          return (olds.apiBaseUrl ?? LAMBDA_API_BASE_URL) !== (news.apiBaseUrl ?? LAMBDA_API_BASE_URL);
        case "timeouts": {
          const a = resolveTimeouts(olds.timeouts);
          const b = resolveTimeouts(news.timeouts);
          return a.activeSeconds !== b.activeSeconds || a.capacitySeconds !== b.capacitySeconds;
        }
        default:
          return olds[key] !== news[key];
      }
    };
    const replaces = REPLACING_PROPERTIES.filter(changed);
    const updates = UPDATABLE_PROPERTIES.filter(changed);
    return Promise.resolve({
      changes: replaces.length > 0 || updates.length > 0,
      replaces: [...replaces],
      // Create the new instance first: the old node keeps serving until its replacement has joined.
      deleteBeforeReplace: false,
    });
  }

  async create(raw: LambdaInstanceInputs): Promise<pulumi.dynamic.CreateResult<LambdaInstanceState>> {
    const inputs = normalizeInputs(raw);
    const client = this.client(inputs);
    const id = await this.launch(client, inputs);
    let record: LambdaInstanceRecord;
    try {
      record = await this.waitUntilActive(client, id, inputs);
    } catch (err) {
      // Nothing half-created and billed: an instance that will not serve is terminated before failing.
      throw new Error(`${messageOf(err)} ${await this.terminateAfterFailure(client, id)}`, { cause: err });
    }
    return { id, outs: { ...inputs, ...observed(id, record) } };
  }

  async read(id: string, props?: LambdaInstanceState): Promise<pulumi.dynamic.ReadResult<LambdaInstanceState>> {
    const inputs = normalizeInputs(props ?? {});
    let record: LambdaInstanceRecord;
    try {
      record = await this.client(inputs).getInstance(id);
    } catch (err) {
      // An empty id tells the engine the instance is gone; the next `up` launches a new one.
      if (err instanceof LambdaApiError && err.isNotFound) return { id: "", props: {} as LambdaInstanceState };
      throw err;
    }
    if (DEAD_STATUSES.includes(record.status) && record.status !== "unhealthy") {
      return { id: "", props: {} as LambdaInstanceState };
    }
    return { id, props: { ...inputs, ...observed(id, record) } };
  }

  /** Only the way the provider reaches the API changed (key, URL, time limits): rewrite state, touch nothing. */
  update(id: string, olds: LambdaInstanceState, news: LambdaInstanceInputs): Promise<pulumi.dynamic.UpdateResult<LambdaInstanceState>> {
    const inputs = normalizeInputs(news);
    return Promise.resolve({
      outs: { ...inputs, instanceId: olds.instanceId ?? id, ip: olds.ip ?? "", privateIp: olds.privateIp ?? "", status: olds.status ?? "" },
    });
  }

  /** Terminates the instance; an instance that is already gone counts as deleted. */
  async delete(id: string, props: LambdaInstanceState): Promise<void> {
    const client = this.client(normalizeInputs(props));
    try {
      await client.terminate([id]);
    } catch (err) {
      if (!(err instanceof LambdaApiError)) throw err;
      if (err.isNotFound) return;
      if (err.status === 400 || err.status === 409) {
        // Lambda may refuse to terminate an instance that is already terminating or terminated.
        try {
          const record = await client.getInstance(id);
          if (record.status === "terminating" || record.status === "terminated") return;
        } catch (lookup) {
          if (lookup instanceof LambdaApiError && lookup.isNotFound) return;
        }
      }
      throw new Error(`Terminating Lambda instance ${id} failed: ${err.message}`, { cause: err });
    }
  }

  private client(inputs: LambdaInstanceInputs): LambdaApiClient {
    const o = this.options;
    return new LambdaApiClient({
      baseUrl: inputs.apiBaseUrl,
      apiKey: inputs.apiKey,
      launchIntervalMs: o.launchIntervalMs,
      requestIntervalMs: o.requestIntervalMs,
      rateLimitBackoffMs: o.rateLimitBackoffMs,
      rateLimitRetries: o.rateLimitRetries,
      requestTimeoutMs: o.requestTimeoutMs,
    });
  }

  /** Launches one instance, retrying "insufficient capacity" with bounded backoff up to `capacitySeconds`. */
  private async launch(client: LambdaApiClient, inputs: LambdaInstanceInputs): Promise<string> {
    const request: LambdaLaunchRequest = {
      region_name: inputs.regionName,
      instance_type_name: inputs.instanceTypeName,
      ssh_key_names: [inputs.sshKeyName],
      file_system_names: inputs.fileSystemNames,
      quantity: 1,
      name: inputs.instanceName,
      user_data: inputs.userData,
    };
    const what = `${inputs.instanceTypeName} in region ${inputs.regionName}`;
    const started = Date.now();
    const deadline = started + inputs.timeouts.capacitySeconds * 1000;
    let delay = this.options.capacityBackoffInitialMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.launch(request);
      } catch (err) {
        if (!(err instanceof LambdaApiError)) throw err;
        if (!err.isInsufficientCapacity) {
          const maybeLaunched =
            err.isTransient && err.status !== 0
              ? ` The launch may have gone through: look for an instance named "${inputs.instanceName}" in the Lambda console and terminate it if it is not in the stack.`
              : "";
          throw new Error(`Launching Lambda instance "${inputs.instanceName}" (${what}) failed: ${err.message}${hintFor(err)}${maybeLaunched}`, {
            cause: err,
          });
        }
        const now = Date.now();
        if (now >= deadline) {
          throw new Error(
            `Lambda Cloud has no capacity for instance type ${inputs.instanceTypeName} in region ${inputs.regionName}: ` +
              `${attempt} launch attempt${attempt === 1 ? "" : "s"} over ${Math.round((now - started) / 1000)} s ` +
              `(timeouts.capacitySeconds = ${inputs.timeouts.capacitySeconds}) were answered "insufficient capacity". ` +
              (await this.capacityHint(client, inputs.instanceTypeName, inputs.regionName)) +
              `Try another region or instance type, let another provider in the fleet carry this load, ` +
              `or raise timeouts.capacitySeconds to wait longer.`,
            { cause: err },
          );
        }
        await sleep(Math.min(delay, deadline - now));
        delay = Math.min(delay * 2, this.options.capacityBackoffMaxMs);
      }
    }
  }

  /** Best effort: which regions report capacity for the type right now (`GET /instance-types`). */
  private async capacityHint(client: LambdaApiClient, type: string, region: string): Promise<string> {
    try {
      const entry = (await client.instanceTypes())[type];
      const regions = (entry?.regions_with_capacity_available ?? [])
        .map((r) => r.name)
        .filter((name): name is string => typeof name === "string" && name !== region);
      return regions.length > 0
        ? `Regions reporting capacity for ${type} right now: ${regions.join(", ")}. `
        : `No other region reports capacity for ${type} right now. `;
    } catch {
      return "";
    }
  }

  /** Polls until the instance is `active` and has an IP, within `activeSeconds`. */
  private async waitUntilActive(client: LambdaApiClient, id: string, inputs: LambdaInstanceInputs): Promise<LambdaInstanceRecord> {
    const what = `Lambda instance ${id} ("${inputs.instanceName}", ${inputs.instanceTypeName} in region ${inputs.regionName})`;
    const deadline = Date.now() + inputs.timeouts.activeSeconds * 1000;
    let last: string;
    for (;;) {
      try {
        const record = await client.getInstance(id);
        last = `status ${record.status}${record.ip ? "" : ", no IP yet"}`;
        if (record.status === "active" && typeof record.ip === "string" && record.ip !== "") return record;
        if (DEAD_STATUSES.includes(record.status)) {
          throw new Error(`${what} became ${record.status} while booting instead of active.`);
        }
      } catch (err) {
        if (!(err instanceof LambdaApiError)) throw err;
        // Right after launch the instance may not be listed yet; 5xx and network errors pass too.
        if (!(err.isTransient || err.isNotFound)) throw new Error(`Waiting for ${what} failed: ${err.message}${hintFor(err)}`, { cause: err });
        last = err.message;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `${what} did not become active with an IP within ${inputs.timeouts.activeSeconds} s (timeouts.activeSeconds; last seen: ${last}).`,
        );
      }
      await sleep(Math.min(this.options.pollIntervalMs, remaining));
    }
  }

  private async terminateAfterFailure(client: LambdaApiClient, id: string): Promise<string> {
    try {
      await client.terminate([id]);
      return `It has been terminated, so nothing is left running and billed.`;
    } catch (err) {
      if (err instanceof LambdaApiError && err.isNotFound) return `It no longer exists, so nothing is billed.`;
      return `Terminating it failed too (${messageOf(err)}): terminate instance ${id} in the Lambda console, or it keeps being billed.`;
    }
  }
}

function hintFor(err: LambdaApiError): string {
  if (err.status === 401 || err.status === 403) {
    return " Check the Lambda API key given as apiKey (Lambda Cloud console → API keys): it may be wrong, expired or deleted.";
  }
  return "";
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function observed(id: string, record: LambdaInstanceRecord): Pick<LambdaInstanceState, "instanceId" | "ip" | "privateIp" | "status"> {
  return { instanceId: id, ip: record.ip ?? "", privateIp: record.private_ip ?? "", status: record.status };
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** Fills documented defaults for the time limits; values are seconds. */
export function resolveTimeouts(value: unknown): LambdaInstanceTimeouts {
  const t = (typeof value === "object" && value !== null ? value : {}) as Partial<Record<keyof LambdaInstanceTimeouts, unknown>>;
  return {
    activeSeconds: t.activeSeconds === undefined ? DEFAULT_ACTIVE_TIMEOUT_SECONDS : Number(t.activeSeconds),
    capacitySeconds: t.capacitySeconds === undefined ? DEFAULT_CAPACITY_TIMEOUT_SECONDS : Number(t.capacitySeconds),
  };
}

/** Inputs with defaults filled; also accepts state written by earlier versions. */
function normalizeInputs(raw: Partial<LambdaInstanceInputs>): LambdaInstanceInputs {
  return {
    apiKey: raw.apiKey ?? "",
    instanceTypeName: raw.instanceTypeName ?? "",
    regionName: raw.regionName ?? "",
    sshKeyName: raw.sshKeyName ?? "",
    instanceName: raw.instanceName ?? "",
    userData: raw.userData ?? "",
    fileSystemNames: raw.fileSystemNames ?? [],
    apiBaseUrl: raw.apiBaseUrl ?? LAMBDA_API_BASE_URL,
    timeouts: resolveTimeouts(raw.timeouts),
  };
}
