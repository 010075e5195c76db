/**
 * What the simulator runs is what the stacks deploy (issue 12, point 4): every autoscaled tier's rendered ScaledObject
 * carries the plan's `tierScaler` — its in-flight target, wake threshold and scale-down window — and the replicas
 * those make KEDA's HPA want for a load (or, from zero, for a spill) are the planner's `replicasWanted` of it, as
 * `simulate` computes them; and its cron triggers are the tier's schedule (issue 15, point 2), active under KEDA's rule
 * at exactly the minutes `simulate` holds it. The fleets are synthesized end to end from their
 * specs; one variant changes the headroom and the scale-down window, so a deployment that ignored either would fail.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { replicasWanted } from "@switchyard/catalog";
import { MINUTES_PER_WEEK, replicaSecondsPerRequest, scheduledReplicas, tierScaler } from "@switchyard/planner";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { GCP_FLEET_SPEC, PROVIDER_ENVS, REPO_ROOT, deployFleet } from "./fixtures";

interface ScaledObjectSpec {
  scaleTargetRef: { name: string };
  cooldownPeriod: number;
  advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: number } } } };
  minReplicaCount: number;
  triggers: { type: string; name: string; metadata: Record<string, string> }[];
}

/** The minute of the week (0 = Monday 00:00) a weekly cron `M H * * D` fires at; cron's Sunday is 0. */
function cronMinuteOfWeek(cron: string): number {
  const fields = cron.split(" ");
  expect(fields.slice(2, 4), cron).toEqual(["*", "*"]);
  const [m, h, , , d] = fields.map(Number);
  return ((d! + 6) % 7) * 1440 + h! * 60 + m!;
}

/**
 * The replicas KEDA's cron triggers ask for at least at `minute` of the week: each is active while its end's next
 * firing comes before its start's (kedacore/keda pkg/scalers/cron_scaler.go), `now` taken mid-minute; the HPA takes the
 * highest. 0 when none is active.
 */
function kedaCronFloor(triggers: ScaledObjectSpec["triggers"], minute: number): number {
  const next = (at: number) => (at > minute ? at : at + MINUTES_PER_WEEK);
  let most = 0;
  for (const t of triggers) {
    if (t.type !== "cron") continue;
    expect(t.metadata["timezone"]).toBe("UTC");
    if (next(cronMinuteOfWeek(t.metadata["end"]!)) < next(cronMinuteOfWeek(t.metadata["start"]!))) most = Math.max(most, Number(t.metadata["desiredReplicas"]));
  }
  return most;
}

const scratch = mkdtempSync(join(tmpdir(), "switchyard-scaler-drift-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The example fleet with another headroom and scale-down window, as a spec file the stacks can read. */
function exampleVariant(): string {
  const spec = parse(readFileSync(join(REPO_ROOT, "examples/fleet.yaml"), "utf8")) as { policy: Record<string, unknown>; simulation: Record<string, unknown>; models: { demand: { hourly?: { file: string } } }[] };
  spec.policy["headroom"] = 1.5;
  spec.simulation["scaleDownDelayMinutes"] = 30;
  // Demand files are relative to the spec's own directory.
  for (const m of spec.models) if (m.demand.hourly) m.demand.hourly.file = join(REPO_ROOT, "examples", m.demand.hourly.file);
  const file = join(scratch, "fleet-slow-scale-down.yaml");
  writeFileSync(file, stringify(spec));
  return relative(REPO_ROOT, file);
}

describe.each([
  ["the example fleet", () => "examples/fleet.yaml", { headroom: 1.2, seconds: 600 }],
  ["a CoreWeave + GCP fleet", () => GCP_FLEET_SPEC, undefined],
  ["the example with headroom 1.5 and a 30-minute scale-down window", exampleVariant, { headroom: 1.5, seconds: 1800 }],
])("%s: each deployed scaler is the plan's", (_name, specPath, expected) => {
  it("carries tierScaler's target and window, and wants replicasWanted of every load", async () => {
    const fleet = await deployFleet(specPath());
    if (expected !== undefined) expect({ headroom: fleet.plan.policy.headroom, seconds: fleet.plan.policy.simulation.scaleDownDelayMinutes * 60 }).toEqual(expected);
    const planned = new Map(fleet.plan.backends.map((b) => [b.name, b.model]));
    const scalers = PROVIDER_ENVS.flatMap((env) => (fleet.providers[env] ?? []).filter((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject"));
    expect(scalers.length).toBeGreaterThanOrEqual(4);
    for (const r of scalers) {
      const spec = r.inputs["spec"] as ScaledObjectSpec;
      const model = fleet.plan.models.find((m) => m.name === planned.get(spec.scaleTargetRef.name))!;
      const scaler = tierScaler(fleet.plan, model, spec.scaleTargetRef.name);
      const threshold = Number(spec.triggers.find((t) => t.name === "in-flight")!.metadata["threshold"]);
      expect({ scaler: r.name, threshold, cooldown: spec.cooldownPeriod, window: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds }).toEqual({
        scaler: r.name,
        threshold: scaler.targetInFlightPerReplica,
        cooldown: scaler.scaleDownCooldownSeconds,
        window: scaler.scaleDownCooldownSeconds,
      });
      // KEDA's HPA wants ⌈in flight / threshold⌉; a load of L replicas is L × concurrentRequestsPerReplica in flight.
      // Loads stay off whole multiples of 1/headroom, where float rounding could tip a ceiling either way.
      for (let i = 1; i <= 200; i++) {
        const load = i * 0.173 + 0.0007;
        const hpaWants = Math.ceil((load * model.concurrentRequestsPerReplica) / threshold);
        expect(`${r.name} at ${load}: ${hpaWants}`).toBe(`${r.name} at ${load}: ${replicasWanted(load, fleet.plan.policy.headroom)}`);
      }
      // A tier at zero also has the wake trigger: ⌈spill requests/s / threshold⌉ replicas, its gateway weight's share of
      // the spill's replicas (at the plan's tokens per request) with the headroom.
      const wake = spec.triggers.find((t) => t.name === "wake");
      expect(wake !== undefined, r.name).toBe(spec.minReplicaCount === 0);
      if (wake === undefined) continue;
      const wakeThreshold = Number(wake.metadata["threshold"]);
      expect(wakeThreshold, r.name).toBe(scaler.wakeRequestsPerSecondPerReplica);
      const weight = fleet.plan.backends.find((b) => b.name === spec.scaleTargetRef.name)!.weight;
      for (let i = 1; i <= 200; i++) {
        const spill = i * 0.271 + 0.0013;
        const hpaWants = Math.ceil(spill / replicaSecondsPerRequest(model) / wakeThreshold);
        expect(`${r.name} woken by ${spill}: ${hpaWants}`).toBe(`${r.name} woken by ${spill}: ${replicasWanted(weight * spill, fleet.plan.policy.headroom)}`);
      }
    }
  }, 180_000);

  it("carries each tier's predictive schedule as cron triggers that KEDA holds exactly when the simulator does", async () => {
    const fleet = await deployFleet(specPath());
    const tiers = new Map(fleet.plan.models.flatMap((m) => m.pools.flatMap((p) => p.tiers.map((t) => [t.backend, t] as const))));
    const scalers = PROVIDER_ENVS.flatMap((env) => (fleet.providers[env] ?? []).filter((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject"));
    // Every autoscaled tier the plan deploys has its ScaledObject, and some of them a schedule (or this proves nothing).
    expect(new Set(scalers.map((r) => (r.inputs["spec"] as ScaledObjectSpec).scaleTargetRef.name))).toEqual(new Set([...tiers.values()].filter((t) => !t.fixed).map((t) => t.backend)));
    expect(scalers.some((r) => (r.inputs["spec"] as ScaledObjectSpec).triggers.some((t) => t.type === "cron"))).toBe(true);
    for (const r of scalers) {
      const spec = r.inputs["spec"] as ScaledObjectSpec;
      const tier = tiers.get(spec.scaleTargetRef.name)!;
      // The windows, read back from the crons: the plan's, one trigger each (10080 fires as Monday 00:00, minute 0).
      const rendered = spec.triggers
        .filter((t) => t.type === "cron")
        .map((t) => ({ start: cronMinuteOfWeek(t.metadata["start"]!), end: cronMinuteOfWeek(t.metadata["end"]!), minReplicas: Number(t.metadata["desiredReplicas"]) }));
      expect(rendered, r.name).toEqual(tier.schedule.map((w) => ({ start: w.startMinuteOfWeek, end: w.endMinuteOfWeek % MINUTES_PER_WEEK, minReplicas: w.minReplicas })));
      // And what KEDA makes of them, minute by minute over the week, is what simulate holds at one-minute steps.
      for (let minute = 0; minute < MINUTES_PER_WEEK; minute++) {
        const keda = kedaCronFloor(spec.triggers, minute);
        const simulated = scheduledReplicas(tier.schedule, minute);
        if (keda !== simulated) expect(`${r.name} at minute ${minute}: KEDA ${keda}`).toBe(`${r.name} at minute ${minute}: KEDA ${simulated}`);
      }
    }
  }, 180_000);
});
