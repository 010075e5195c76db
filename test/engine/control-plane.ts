/**
 * A real Kubernetes control plane for the engine tests, on loopback: etcd, kube-apiserver, kube-controller-manager
 * and kube-scheduler (Kubernetes v1.36.3, built by scripts/engine/build-kube.sh), and kwok, which plays the kubelet
 * for fake nodes: they turn Ready and keep a lease, and pods bound to them turn Running and Ready without running
 * anything. KEDA's CRDs are applied, so ScaledObjects are accepted (nothing acts on them).
 *
 * What differs from a real cluster, and why: one admin client certificate (group system:masters) serves the tests,
 * the controller-manager, the scheduler and kwok alike (authorization is still Node,RBAC); no kubelet, kube-proxy,
 * CNI or DNS; etcd skips fsync. Certificates and keys are made fresh in workDir for each start.
 */
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { REPO_ROOT } from "../environments/fixtures";
import { freePort, sleep } from "../gateway/proxy";

/** The first build compiles Kubernetes from source: ~10 minutes on 2 cores; later calls return in well under a second. */
const BUILD_TIMEOUT_MS = 40 * 60_000;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
/** Fake nodes carry this annotation; kwok manages only those (`--manage-nodes-with-annotation-selector`). */
export const KWOK_NODE_ANNOTATION = { "kwok.x-k8s.io/node": "fake" } as const;
const SERVICE_CIDR = "10.96.0.0/16";
/** The `kubernetes` Service's ClusterIP: the first address of SERVICE_CIDR, which the serving certificate must name. */
const SERVICE_IP = "10.96.0.1";

export interface ControlPlaneBuild {
  /** kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kwok. */
  binDir: string;
  /** KEDA's CRDs, one YAML file each. */
  crdsDir: string;
  /** kwok's node and pod stages: the defaults kwokctl gives it. */
  kwokStages: string;
}

/** Builds the control plane if needed (scripts/engine/build-kube.sh, idempotent) and returns where it is. */
export async function ensureControlPlaneBuild(): Promise<ControlPlaneBuild> {
  const script = join(REPO_ROOT, "scripts/engine/build-kube.sh");
  const child = spawn("bash", [script], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGTERM"), BUILD_TIMEOUT_MS);
  const status = await new Promise<number | null>((done) => child.once("close", (code) => done(code)));
  clearTimeout(timer);
  if (status !== 0) {
    // The script's own ERROR line first: test reports show an error's first line.
    const summary = stderr.split("\n").filter((line) => line.includes("ERROR")).pop() ?? `exit status ${status}`;
    throw new Error(`scripts/engine/build-kube.sh could not build the control plane: ${summary}\n${stderr}`);
  }
  const home = stdout.trim().split("\n").pop()!;
  return { binDir: join(home, "bin"), crdsDir: join(home, "crds"), kwokStages: join(home, "kwok", "stages.yaml") };
}

export interface ControlPlaneOptions {
  binDir: string;
  crdsDir: string;
  /** Certificates, etcd's data, kubeconfig and every process's log go here; left in place by `stop`. */
  workDir: string;
  /** kwok's stages. Defaults to `<binDir>/../kwok/stages.yaml`, where build-kube.sh puts them. */
  kwokStages?: string;
}

export interface ControlPlane {
  /** An admin kubeconfig (YAML, credentials inline). */
  kubeconfig: string;
  kubeconfigPath: string;
  /** API server URL, https://127.0.0.1:<port>. */
  server: string;
  /** One log file per process, by process name. */
  logs: Record<string, string>;
  /** Stops every process, kwok first and etcd last; resolves once all have exited. */
  stop(): Promise<void>;
}

interface Process {
  name: string;
  child: ChildProcess;
  log: string;
}

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on random loopback ports, waits
 * until each answers its health check, the `default` ServiceAccount exists (pods can be created) and KEDA's CRDs
 * are established. On failure stops what it started and throws with the log files' paths and the failing log's tail.
 */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { binDir, crdsDir, workDir } = options;
  const kwokStages = options.kwokStages ?? join(binDir, "..", "kwok", "stages.yaml");
  for (const file of ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd", "kwok"].map((b) => join(binDir, b)).concat(kwokStages, crdsDir)) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/engine/build-kube.sh and pass the directories it prints`);
  }
  mkdirSync(workDir, { recursive: true });
  const pki = makePki(join(workDir, "pki"));
  const [etcdPort, peerPort, apiPort, cmPort, schedulerPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const server = `https://127.0.0.1:${apiPort}`;
  const kubeconfig = stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "switchyard-test", cluster: { server, "certificate-authority-data": base64(pki.caCert) } }],
    users: [{ name: "admin", user: { "client-certificate-data": base64(pki.adminCert), "client-key-data": base64(pki.adminKey) } }],
    contexts: [{ name: "switchyard-test", context: { cluster: "switchyard-test", user: "admin" } }],
    "current-context": "switchyard-test",
  });
  const kubeconfigPath = join(workDir, "kubeconfig.yaml");
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
  const client = KubeClient.fromKubeconfig(kubeconfigPath);

  const processes: Process[] = [];
  const logs: Record<string, string> = {};
  const start = (name: string, args: string[]) => {
    const log = join(workDir, `${name}.log`);
    const fd = openSync(log, "a");
    const child = spawn(join(binDir, name), args, { stdio: ["ignore", fd, fd] });
    closeSync(fd);
    processes.push({ name, child, log });
    logs[name] = log;
  };
  const stop = async () => {
    for (const p of [...processes].reverse()) await stopProcess(p.child);
  };
  /** Polls `check` until it is true; fails at once if a process has exited. */
  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const dead = processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
      if (dead) throw new ControlPlaneError(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}) while waiting for ${what}`, dead, processes);
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) throw new ControlPlaneError(`timed out after ${START_TIMEOUT_MS / 1000} s waiting for ${what}`, processes[processes.length - 1]!, processes);
      await sleep(250);
    }
  };
  const healthy = (port: number) => async () => (await get(`https://127.0.0.1:${port}/healthz`, { rejectUnauthorized: false })) === 200;

  try {
    start("etcd", [
      "--name=switchyard-test",
      `--data-dir=${join(workDir, "etcd")}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=switchyard-test=http://127.0.0.1:${peerPort}`,
      // A throwaway store: fsync only slows the tests down.
      "--unsafe-no-fsync",
    ]);
    await waitFor("etcd's /health", async () => (await get(`http://127.0.0.1:${etcdPort}/health`)) === 200);

    start("kube-apiserver", [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.files.apiserverCert}`,
      `--tls-private-key-file=${pki.files.apiserverKey}`,
      `--client-ca-file=${pki.files.caCert}`,
      "--authorization-mode=Node,RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${pki.files.saPublic}`,
      `--service-account-signing-key-file=${pki.files.saPrivate}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      "--profiling=false",
    ]);
    await waitFor("kube-apiserver's /readyz", async () => (await client.request("GET", "/readyz")).status === 200);

    const componentKubeconfig = [`--kubeconfig=${kubeconfigPath}`, `--authentication-kubeconfig=${kubeconfigPath}`, `--authorization-kubeconfig=${kubeconfigPath}`];
    start("kube-controller-manager", [
      ...componentKubeconfig,
      "--bind-address=127.0.0.1",
      `--secure-port=${cmPort}`,
      "--leader-elect=false",
      // Every default controller: deployment, replicaset, disruption, nodelifecycle, serviceaccount, namespace, garbagecollector…
      "--controllers=*",
      "--use-service-account-credentials=false",
      `--root-ca-file=${pki.files.caCert}`,
      `--service-account-private-key-file=${pki.files.saPrivate}`,
      `--cluster-signing-cert-file=${pki.files.caCert}`,
      `--cluster-signing-key-file=${pki.files.caKey}`,
      "--profiling=false",
    ]);
    start("kube-scheduler", [...componentKubeconfig, "--bind-address=127.0.0.1", `--secure-port=${schedulerPort}`, "--leader-elect=false", "--profiling=false"]);
    start("kwok", [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${kwokStages}`,
      "--manage-all-nodes=false",
      `--manage-nodes-with-annotation-selector=${Object.entries(KWOK_NODE_ANNOTATION).map(([k, v]) => `${k}=${v}`).join(",")}`,
      // Fake nodes hold a Lease renewed by kwok, as kubelets do, so the node lifecycle controller keeps them Ready.
      "--node-lease-duration-seconds=40",
      "--cidr=10.244.0.0/16",
      "--node-ip=127.0.0.1",
    ]);
    await waitFor("kube-controller-manager's /healthz", healthy(cmPort));
    await waitFor("kube-scheduler's /healthz", healthy(schedulerPort));
    await waitFor("the default ServiceAccount", async () => (await client.request("GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200);

    for (const crd of readdirSync(crdsDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      for (const document of parseAllDocuments(readFileSync(join(crdsDir, crd), "utf8"))) {
        const object = document.toJS() as { metadata: { name: string } } | null;
        if (object === null) continue;
        await client.ok("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", object);
        await waitFor(`CRD ${object.metadata.name} to be established`, async () => {
          const { body } = await client.request<{ status?: { conditions?: { type: string; status: string }[] } }>("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${object.metadata.name}`);
          return body.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
        });
      }
    }
    return { kubeconfig, kubeconfigPath, server, logs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

class ControlPlaneError extends Error {
  constructor(message: string, failing: Process, processes: Process[]) {
    const tail = existsSync(failing.log) ? readFileSync(failing.log, "utf8").trimEnd().split("\n").slice(-30).join("\n") : "(no log)";
    super(`control plane: ${message}\nlogs:\n${processes.map((p) => `  ${p.name}: ${p.log}`).join("\n")}\nlast lines of ${failing.log}:\n${tail}`);
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

export interface FakeNodeTaint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface FakeNode {
  name: string;
  labels: Record<string, string>;
  taints: FakeNodeTaint[];
  /** Capacity, also reported as allocatable. Quantities as Kubernetes writes them: "8", "64Gi", "500m". */
  capacity: { cpu: string | number; memory: string; "nvidia.com/gpu": string | number; pods: string | number; "ephemeral-storage": string };
}

/**
 * Creates nodes that kwok manages (annotation `kwok.x-k8s.io/node: fake`) with the given labels, taints and
 * capacity, and waits until each is Ready and schedulable: kwok reported it Ready and the node lifecycle controller
 * removed the `node.kubernetes.io/not-ready` taint that admission puts on every new node.
 */
export async function addNodes(kubeconfigPath: string, nodes: FakeNode[]): Promise<void> {
  const client = KubeClient.fromKubeconfig(kubeconfigPath);
  for (const node of nodes) {
    const capacity = Object.fromEntries(Object.entries(node.capacity).map(([k, v]) => [k, String(v)]));
    await client.ok("POST", "/api/v1/nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: node.name,
        labels: { "kubernetes.io/hostname": node.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", type: "kwok", ...node.labels },
        annotations: { ...KWOK_NODE_ANNOTATION },
      },
      spec: { taints: node.taints },
      // A node's status may be set on create, as a kubelet registering does; kwok keeps capacity and allocatable.
      status: { capacity, allocatable: capacity },
    });
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const node of nodes) {
    for (;;) {
      const { body } = await client.request<KubeNode>("GET", `/api/v1/nodes/${node.name}`);
      const ready = body.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
      const notReadyTaint = (body.spec?.taints ?? []).some((t) => t.key.startsWith("node.kubernetes.io/"));
      if (ready && !notReadyTaint) break;
      if (Date.now() > deadline) throw new Error(`node ${node.name} is not Ready and schedulable after ${START_TIMEOUT_MS / 1000} s: ${JSON.stringify({ conditions: body.status?.conditions, taints: body.spec?.taints })}; is kwok running (see its log)?`);
      await sleep(250);
    }
  }
}

interface KubeNode {
  spec?: { taints?: FakeNodeTaint[] };
  status?: { conditions?: { type: string; status: string }[] };
}

export interface KubeResponse<T> {
  status: number;
  body: T;
}

/** A minimal client of the API server over HTTPS with a kubeconfig's inline client certificate. */
export class KubeClient {
  private constructor(
    readonly server: string,
    private readonly tls: { ca: string; cert: string; key: string },
  ) {}

  /** Reads the current context of a kubeconfig whose credentials are inline (`*-data`), as startControlPlane writes. */
  static fromKubeconfig(path: string): KubeClient {
    const config = parse(readFileSync(path, "utf8")) as {
      "current-context": string;
      contexts: { name: string; context: { cluster: string; user: string } }[];
      clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
      users: { name: string; user: { "client-certificate-data": string; "client-key-data": string } }[];
    };
    const context = config.contexts.find((c) => c.name === config["current-context"])?.context;
    const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
    const user = config.users.find((u) => u.name === context?.user)?.user;
    if (!cluster?.["certificate-authority-data"] || !user?.["client-certificate-data"] || !user["client-key-data"]) {
      throw new Error(`${path}: the current context needs certificate-authority-data, client-certificate-data and client-key-data`);
    }
    const decode = (data: string) => Buffer.from(data, "base64").toString("utf8");
    return new KubeClient(cluster.server, { ca: decode(cluster["certificate-authority-data"]), cert: decode(user["client-certificate-data"]), key: decode(user["client-key-data"]) });
  }

  /** Sends a request; the body is sent as JSON (or as given `contentType`, e.g. a merge patch) and parsed as JSON when it is. */
  request<T = any>(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<KubeResponse<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = https.request(
        `${this.server}${path}`,
        { method, ...this.tls, headers: { accept: "application/json", ...(payload === undefined ? {} : { "content-type": contentType, "content-length": Buffer.byteLength(payload) }) }, timeout: 30_000 },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => {
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // /readyz and /healthz answer in plain text.
            }
            resolve({ status: response.statusCode ?? 0, body: parsed as T });
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      request.on("error", reject);
      request.end(payload);
    });
  }

  /** Like request, but throws unless the status is 2xx. */
  async ok<T = any>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const response = await this.request<T>(method, path, body, contentType);
    if (response.status < 200 || response.status > 299) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }
}

/** GET without credentials; the status, or 0 when nothing answers. */
function get(url: string, options: https.RequestOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const answered = (response: http.IncomingMessage) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    };
    const request = url.startsWith("https:") ? https.get(url, { ...options, timeout: 5_000 }, answered) : http.get(url, { timeout: 5_000 }, answered);
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(0));
  });
}

interface Pki {
  caCert: string;
  adminCert: string;
  adminKey: string;
  files: { caCert: string; caKey: string; apiserverCert: string; apiserverKey: string; saPublic: string; saPrivate: string };
}

/** A CA, the API server's serving certificate, an admin client certificate and the service-account signing keys. */
function makePki(dir: string): Pki {
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  writeFileSync(
    file("openssl.cnf"),
    [
      "[req]",
      "distinguished_name = dn",
      "[dn]",
      "[ca]",
      "basicConstraints = critical,CA:TRUE",
      "keyUsage = critical,keyCertSign,cRLSign,digitalSignature",
      "subjectKeyIdentifier = hash",
      "[server]",
      "basicConstraints = critical,CA:FALSE",
      "keyUsage = critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage = serverAuth",
      `subjectAltName = IP:127.0.0.1,IP:${SERVICE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local`,
      "[client]",
      "basicConstraints = critical,CA:FALSE",
      "keyUsage = critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage = clientAuth",
      "",
    ].join("\n"),
  );
  const key = (name: string) => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1", privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    writeFileSync(file(name), privateKey, { mode: 0o600 });
    return privateKey;
  };
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const issue = (name: string, subject: string, extensions: string) => {
    const privateKey = key(`${name}.key`);
    openssl("req", "-new", "-key", `${name}.key`, "-subj", subject, "-config", "openssl.cnf", "-out", `${name}.csr`);
    openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", `0x${Date.now().toString(16)}${name.length}`, "-days", "7", "-sha256", "-extfile", "openssl.cnf", "-extensions", extensions, "-out", `${name}.crt`);
    return { cert: readFileSync(file(`${name}.crt`), "utf8"), key: privateKey };
  };
  try {
    key("ca.key");
    openssl("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=switchyard-test-ca", "-days", "7", "-sha256", "-config", "openssl.cnf", "-extensions", "ca", "-out", "ca.crt");
    issue("apiserver", "/CN=kube-apiserver", "server");
    // system:masters: every request is allowed whatever RBAC says; the controllers and kwok use it too.
    const admin = issue("admin", "/O=system:masters/CN=switchyard-admin", "client");
    const sa = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    writeFileSync(file("sa.key"), sa.privateKey, { mode: 0o600 });
    writeFileSync(file("sa.pub"), sa.publicKey);
    return {
      caCert: readFileSync(file("ca.crt"), "utf8"),
      adminCert: admin.cert,
      adminKey: admin.key,
      files: { caCert: file("ca.crt"), caKey: file("ca.key"), apiserverCert: file("apiserver.crt"), apiserverKey: file("apiserver.key"), saPublic: file("sa.pub"), saPrivate: file("sa.key") },
    };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`control plane: openssl could not make the test certificates in ${dir} (is the openssl CLI installed?): ${String(error)}\n${stderr}`, { cause: error });
  }
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** What a drain has done so far: the pods evicted and the evictions a PodDisruptionBudget refused (HTTP 429). */
export interface DrainProgress {
  evicted: string[];
  refused: number;
}

/** Marks a node (un)schedulable, as `kubectl cordon`/`uncordon` do. */
export async function setUnschedulable(client: KubeClient, node: string, unschedulable: boolean): Promise<void> {
  await client.ok("PATCH", `/api/v1/nodes/${node}`, { spec: { unschedulable } }, "application/merge-patch+json");
}

/**
 * `kubectl drain` of one namespace's pods: cordons the node, then evicts each of its pods through the Eviction API,
 * retrying the evictions a PodDisruptionBudget refuses every `retryMs`, until no pod of the namespace is left on the
 * node. `progress` is filled as it goes, so a caller can watch a drain that is still running.
 */
export async function drainNode(client: KubeClient, node: string, namespace: string, options: { timeoutMs: number; retryMs?: number; progress?: DrainProgress }): Promise<DrainProgress> {
  const progress = options.progress ?? { evicted: [], refused: 0 };
  await setUnschedulable(client, node, true);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const onNode = (await client.ok<{ items: { metadata: { name: string; deletionTimestamp?: string } }[] }>("GET", `/api/v1/namespaces/${namespace}/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`)).items;
    if (onNode.length === 0) return progress;
    for (const pod of onNode.filter((p) => p.metadata.deletionTimestamp === undefined)) {
      const eviction = { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: pod.metadata.name, namespace } };
      const answer = await client.request("POST", `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/eviction`, eviction);
      if (answer.status === 200 || answer.status === 201) progress.evicted.push(pod.metadata.name);
      else if (answer.status === 429) progress.refused++;
      else if (answer.status !== 404) throw new Error(`evicting ${pod.metadata.name} → ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`draining ${node}: ${onNode.length} pods still on it after ${options.timeoutMs / 1000} s, ${progress.refused} evictions refused by a PodDisruptionBudget`);
    }
    await sleep(options.retryMs ?? 1000);
  }
}
