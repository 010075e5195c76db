/**
 * A small OpenAI-compatible server standing in for one vLLM backend in gateway tests and the failover
 * bench: `/v1/chat/completions` (plain and streamed as server-sent events), `/v1/models` and `/health` on
 * 127.0.0.1, with controls for latency, 500s, hanging, streams cut mid-way or dropped before their first chunk, and
 * a hard kill (every open socket destroyed, as when a pod or node disappears).
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * What the backend does with the next request: serve it; answer 500; answer 429 with Retry-After (`ratelimit`);
 * never answer; answer every request, health checks included, with the 503 an ingress gives for a Service without
 * endpoints (`unavailable`: a backend scaled to zero); or, for streamed requests only (plain ones and health checks are served), `cut` the connection
 * after CHUNKS_BEFORE_CUT chunks, `cut-in-prefill` after vLLM's opening chunk (role, no text: a pod dying before its
 * first token), `stall` after CHUNKS_BEFORE_CUT chunks (the connection stays open, nothing more comes, as from a hung
 * GPU), or `drop` it before the first one.
 */
export type FakeBackendMode = "ok" | "error" | "ratelimit" | "hang" | "cut" | "cut-in-prefill" | "drop" | "stall" | "unavailable";

export interface FakeBackendOptions {
  /** Shown in responses (`system_fingerprint`) and in test output. */
  name: string;
  /** The model id it serves (`--served-model-name`); requests for any other model get a 404. */
  servedModelName: string;
  /** Bearer key it requires on `/v1/*`; requests without it get a 401. */
  apiKey: string;
  /** Delay before answering a completion. Defaults to 20 ms. */
  latencyMs?: number;
  /** `usage.prompt_tokens` reported for every completion. Defaults to 12. */
  promptTokens?: number;
  /** `usage.completion_tokens` reported for every completion. Defaults to 30. */
  completionTokens?: number;
  /** Pause between streamed chunks, as a GPU decodes tokens: a cut then comes after the client has content. Defaults to 25 ms. */
  streamChunkIntervalMs?: number;
  /**
   * A hosted API's account rate limit: client completions past this many in the last 60 s get a 429 with
   * Retry-After, as the provider answers them. Defaults to none.
   */
  requestsPerMinute?: number;
}

/**
 * The text of every streamed completion, one piece per content chunk (then a final chunk with `finish_reason` and
 * usage). The same on every backend, as the same weights would generate: a stream resumed elsewhere must read as one.
 */
export const STREAM_PIECES: readonly string[] = ["part 0", " part 1", " part 2", " part 3", " part 4"];
/** Chunks a `cut` stream sends before its connection is destroyed. */
export const CHUNKS_BEFORE_CUT = 2;

/** LiteLLM's background health check sends one of these two prompts (litellm/proxy/health_check.py). */
const HEALTH_CHECK_PROMPTS = new Set(["Hey how's it going?", "What's 1 + 1?"]);

export interface FakeBackendCounts {
  /** Completions answered 200 for client traffic (health-check prompts excluded). */
  served: number;
  /** Client completions answered with a 500 while in `error` mode. */
  failed: number;
  /** Client completions answered with a 429 while in `ratelimit` mode. */
  rateLimited: number;
  /** Client completions left hanging while in `hang` mode. */
  hung: number;
  /** Health-check completions received (any mode). */
  healthChecks: number;
  /** Requests answered 503 in `unavailable` mode (health checks included). */
  unavailable: number;
  /** Requests rejected for a missing or wrong key. */
  unauthorized: number;
  /** Client streams answered with a 200 and headers, whatever came after. */
  streamStarts: number;
  /** Client streams served to the end (also counted in `served`). */
  streamed: number;
  /** Client streams cut after their first chunks (`cut` mode). */
  cut: number;
  /** Client streams dropped before their first chunk (`drop` mode). */
  dropped: number;
  /** Client streams left open and silent after their first chunks (`stall` mode). */
  stalled: number;
  /**
   * Client streams that continued a final assistant message (vLLM's `continue_final_message`, with
   * `add_generation_prompt: false`) holding a prefix of STREAM_PIECES; also counted in `streamed` when served to the end.
   */
  continued: number;
  /** Requests refused with a 400 for continuing a message that is not a prefix of STREAM_PIECES, or with bad flags. */
  badContinuations: number;
}

export class FakeBackend {
  readonly name: string;
  readonly servedModelName: string;
  mode: FakeBackendMode = "ok";
  latencyMs: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  streamChunkIntervalMs: number;
  /**
   * For client streams only: the wait between the response headers and the first chunk, as vLLM answers a streamed
   * request at once and sends its first token after prefill and any queueing. Health checks are not streamed and
   * do not wait. Defaults to 0.
   */
  firstChunkDelayMs = 0;
  counts: FakeBackendCounts = zeroCounts();
  /**
   * Each continued stream: the pieces of STREAM_PIECES its final assistant message already held, and its `max_tokens`
   * (undefined when the request had none).
   */
  continuations: { fromPiece: number; maxTokens: number | undefined }[] = [];
  /** `performance.now()` of every client completion that met a fault (`error`, `ratelimit`, `hang`; streams in `cut`, `drop`). */
  faultHits: number[] = [];
  private readonly apiKey: string;
  private readonly requestsPerMinute: number | undefined;
  /** `performance.now()` of the client completions accepted in the last minute (with `requestsPerMinute`). */
  private accepted: number[] = [];
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<http.ServerResponse>();
  private port = 0;

  constructor(options: FakeBackendOptions) {
    this.name = options.name;
    this.servedModelName = options.servedModelName;
    this.apiKey = options.apiKey;
    this.latencyMs = options.latencyMs ?? 20;
    this.promptTokens = options.promptTokens ?? 12;
    this.completionTokens = options.completionTokens ?? 30;
    this.streamChunkIntervalMs = options.streamChunkIntervalMs ?? 25;
    this.requestsPerMinute = options.requestsPerMinute;
  }

  /** Base URL ending in `/v1`, as the gateway config wants it. */
  get baseUrl(): string {
    if (this.port === 0) throw new Error(`${this.name} has not been started`);
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get running(): boolean {
    return this.server?.listening ?? false;
  }

  /** Listens on a free loopback port, or on the port it had before a `kill`. */
  async start(): Promise<void> {
    if (this.running) return;
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Hard kill: stops listening and destroys every open connection, in-flight requests included. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.hanging.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Back to normal service; requests left hanging are dropped (their sockets destroyed). */
  recover(): void {
    this.mode = "ok";
    for (const res of this.hanging) res.socket?.destroy();
    this.hanging.clear();
  }

  resetCounts(): void {
    this.counts = zeroCounts();
    this.faultHits = [];
    this.continuations = [];
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? "/";
    if (this.mode === "unavailable") {
      this.counts.unavailable++;
      res.writeHead(503, { "content-type": "text/html" }).end("<html><head><title>503 Service Temporarily Unavailable</title></head></html>\n");
      return;
    }
    if (req.method === "GET" && url === "/health") {
      this.respondByMode(res, () => res.writeHead(200).end());
      return;
    }
    if (!url.startsWith("/v1/")) {
      json(res, 404, { error: { message: `no route ${url}` } });
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      this.counts.unauthorized++;
      json(res, 401, { error: { message: "invalid api key", type: "authentication_error" } });
      return;
    }
    if (req.method === "GET" && url === "/v1/models") {
      json(res, 200, { object: "list", data: [{ id: this.servedModelName, object: "model", owned_by: "switchyard-test" }] });
      return;
    }
    if (req.method === "POST" && url === "/v1/chat/completions") {
      readBody(req)
        .then((body) => this.complete(body, res))
        .catch(() => json(res, 400, { error: { message: "bad request body" } }));
      return;
    }
    json(res, 404, { error: { message: `no route ${req.method} ${url}` } });
  }

  private complete(body: ChatRequest, res: http.ServerResponse): void {
    const healthCheck = isHealthCheck(body);
    if (healthCheck) this.counts.healthChecks++;
    if (body.model !== this.servedModelName) {
      json(res, 404, { error: { message: `model ${String(body.model)} does not exist`, type: "NotFoundError" } });
      return;
    }
    if (this.requestsPerMinute !== undefined && !healthCheck) {
      const now = performance.now();
      this.accepted = this.accepted.filter((t) => now - t < 60_000);
      if (this.accepted.length >= this.requestsPerMinute) {
        this.counts.rateLimited++;
        json(res, 429, { error: { message: `${this.name}: rate limit of ${this.requestsPerMinute} requests per minute reached (test)`, type: "rate_limit_error" } }, { "retry-after": "60" });
        return;
      }
      this.accepted.push(now);
    }
    this.respondByMode(
      res,
      () => {
        if (body.stream === true && !healthCheck) {
          this.stream(body, res);
          return;
        }
        if (!healthCheck) this.counts.served++;
        json(res, 200, completion(this, body));
      },
      healthCheck,
    );
  }

  /** Server-sent events as vLLM sends them; `cut` and `drop` break the connection the way a dying pod does. */
  private stream(body: ChatRequest, res: http.ServerResponse): void {
    if (this.mode === "cut" || this.mode === "cut-in-prefill" || this.mode === "drop" || this.mode === "stall") this.faultHits.push(performance.now());
    if (this.mode === "drop") {
      this.counts.dropped++;
      res.socket?.destroy();
      return;
    }
    const first = continuedFrom(body);
    if (first === "invalid") {
      this.counts.badContinuations++;
      json(res, 400, { error: { message: "continue_final_message needs add_generation_prompt: false and a final assistant message that the stream's text starts with", type: "BadRequestError" } });
      return;
    }
    if (first > 0) {
      this.counts.continued++;
      this.continuations.push({ fromPiece: first, maxTokens: typeof body.max_tokens === "number" ? body.max_tokens : undefined });
    }
    const cutAfter = this.mode === "cut" ? first + CHUNKS_BEFORE_CUT : undefined;
    const stallAfter = this.mode === "stall" ? first + CHUNKS_BEFORE_CUT : undefined;
    const id = `chatcmpl-${this.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    const chunk = (delta: Record<string, unknown>, finish: string | null, usage?: Record<string, number>) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: body.model, system_fingerprint: this.name, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    this.counts.streamStarts++;
    if (this.mode === "cut-in-prefill") {
      // vLLM opens every stream with the role and no text, then prefills; this pod dies there.
      res.write(chunk({ role: "assistant", content: "" }, null));
      this.counts.cut++;
      setTimeout(() => res.socket?.destroy(), this.streamChunkIntervalMs);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    res.on("close", () => clearTimeout(timer));
    const usage = { prompt_tokens: this.promptTokens, completion_tokens: this.completionTokens, total_tokens: this.promptTokens + this.completionTokens };
    const send = (i: number): void => {
      if (res.destroyed) return;
      if (cutAfter !== undefined && i === cutAfter) {
        this.counts.cut++;
        res.socket?.destroy();
        return;
      }
      if (stallAfter !== undefined && i === stallAfter) {
        // Held open until the client gives up or the backend recovers (recover() destroys it).
        this.counts.stalled++;
        this.hanging.add(res);
        return;
      }
      if (i === STREAM_PIECES.length) {
        res.end(`${chunk({}, "stop", usage)}data: [DONE]\n\n`);
        this.counts.served++;
        this.counts.streamed++;
        return;
      }
      res.write(chunk(i === first ? { role: "assistant", content: STREAM_PIECES[i] } : { content: STREAM_PIECES[i] }, null));
      timer = setTimeout(() => send(i + 1), this.streamChunkIntervalMs);
    };
    if (this.firstChunkDelayMs > 0) timer = setTimeout(() => send(first), this.firstChunkDelayMs);
    else send(first);
  }

  private respondByMode(res: http.ServerResponse, ok: () => void, healthCheck = true): void {
    if (answersWithFault(this.mode) && !healthCheck) this.faultHits.push(performance.now());
    if (this.mode === "hang") {
      if (!healthCheck) this.counts.hung++;
      this.hanging.add(res);
      return;
    }
    if (this.mode === "error") {
      if (!healthCheck) this.counts.failed++;
      json(res, 500, { error: { message: `${this.name} is failing (test)`, type: "internal_server_error" } });
      return;
    }
    if (this.mode === "ratelimit") {
      if (!healthCheck) this.counts.rateLimited++;
      json(res, 429, { error: { message: `${this.name} is rate limited (test)`, type: "rate_limit_error" } }, { "retry-after": "30" });
      return;
    }
    const timer = setTimeout(() => {
      // The backend may have been killed or switched to another mode during the delay.
      if (!res.destroyed && answersWithFault(this.mode)) this.respondByMode(res, ok, healthCheck);
      else if (!res.destroyed) ok();
    }, this.latencyMs);
    res.on("close", () => clearTimeout(timer));
  }
}

interface ChatRequest {
  model?: unknown;
  messages?: { role?: string; content?: unknown }[];
  stream?: boolean;
  max_tokens?: unknown;
  continue_final_message?: unknown;
  add_generation_prompt?: unknown;
}

/**
 * Where a stream starts in STREAM_PIECES: 0 for a new completion; for vLLM's `continue_final_message`, the pieces
 * the final assistant message already holds; "invalid" when the request is not one vLLM would continue this way.
 */
function continuedFrom(body: ChatRequest): number | "invalid" {
  if (body.continue_final_message === undefined) return 0;
  const last = body.messages?.at(-1);
  if (body.continue_final_message !== true || body.add_generation_prompt !== false || last?.role !== "assistant" || typeof last.content !== "string") return "invalid";
  for (let k = 1; k < STREAM_PIECES.length; k++) if (STREAM_PIECES.slice(0, k).join("") === last.content) return k;
  return "invalid";
}

/** Modes that answer every request with a fault; `cut` and `drop` only break streams, and serve the rest. */
function answersWithFault(mode: FakeBackendMode): boolean {
  return mode === "error" || mode === "hang" || mode === "ratelimit";
}

function zeroCounts(): FakeBackendCounts {
  return { served: 0, failed: 0, rateLimited: 0, hung: 0, healthChecks: 0, unavailable: 0, unauthorized: 0, streamStarts: 0, streamed: 0, cut: 0, dropped: 0, stalled: 0, continued: 0, badContinuations: 0 };
}

function isHealthCheck(body: ChatRequest): boolean {
  const content = body.messages?.[0]?.content;
  return body.messages?.length === 1 && typeof content === "string" && HEALTH_CHECK_PROMPTS.has(content);
}

function completion(backend: FakeBackend, body: ChatRequest): Record<string, unknown> {
  return {
    id: `chatcmpl-${backend.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    system_fingerprint: backend.name,
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: `served by ${backend.name}` } }],
    usage: {
      prompt_tokens: backend.promptTokens,
      completion_tokens: backend.completionTokens,
      total_tokens: backend.promptTokens + backend.completionTokens,
    },
  };
}

function json(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers }).end(text);
}

function readBody(req: http.IncomingMessage): Promise<ChatRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequest);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on("error", reject);
  });
}
