/** Human-readable tables for a plan and a simulation (cli-table3, no colours so output pipes cleanly). */
import type { FleetPlan, SimulationResult } from "@switchyard/planner";
import Table from "cli-table3";

const usd = (x: number, digits = 0) => `$${x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
const pct = (x: number) => `${x.toFixed(1)}%`;

function table(head: string[], rows: (string | number)[][], align?: ("left" | "right")[], widths?: (number | null)[]): string {
  const t = new Table({
    head,
    style: { head: [], border: [] },
    ...(align === undefined ? {} : { colAligns: align }),
    ...(widths === undefined ? {} : { colWidths: widths, wordWrap: true }),
  });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

export function renderPlacement(plan: FleetPlan): string {
  const rows: (string | number)[][] = [];
  for (const m of plan.models) {
    for (const p of m.pools) {
      if (p.autoscaler.maxNodes === 0) continue;
      rows.push([
        m.name,
        p.provider,
        `${p.instanceType} (${p.gpusPerNode}×${m.gpuType}, ${p.replicasPerNode} repl/node)`,
        // Fixed nodes run around the clock: reserved ones, or on-demand where the provider cannot autoscale (Lambda).
        p.reservedNodes === 0 ? 0 : `${p.reservedNodes} ${p.fixedTier}`,
        `0–${p.spotNodes.max}`,
        `0–${p.onDemandNodes.max}`,
        `${p.autoscaler.minReplicas}–${p.autoscaler.maxReplicas}`,
        p.scaleUpMinutes,
        pct(p.share * 100),
      ]);
    }
  }
  return table(["model", "provider", "instance type", "fixed nodes", "spot nodes", "on-demand nodes", "replicas (autoscaler)", "scale-up min", "GPU-h share"], rows, ["left", "left", "left", "right", "right", "right", "right", "right", "right"]);
}

export function renderRouting(plan: FleetPlan): string {
  const rows = plan.backends.map((b) => [
    b.name,
    b.order,
    b.score === null ? "—" : b.score.toFixed(3),
    b.scoreParts === null ? "—" : `${b.scoreParts.latency.toFixed(2)} / ${b.scoreParts.cost.toFixed(2)} / ${b.scoreParts.availability.toFixed(2)}`,
    b.weight.toFixed(3),
    b.costPerReplicaHour === null ? "per token" : `$${b.costPerReplicaHour.toFixed(2)}`,
    `${b.plannedReplicas.mean} / ${b.plannedReplicas.max}`,
  ]);
  return table(["backend", "order", "score", "latency / cost / avail.", "weight", "$/replica-h", "replicas mean / max"], rows, ["left", "right", "right", "right", "right", "right", "right"]);
}

export function renderWeightDistribution(plan: FleetPlan): string {
  const rows = plan.weightDistribution.map((d) => [d.provider, d.strategy, usd(d.monthly.total), `${Math.round(d.coldStartsPerMonth.nodes)}`, d.reason]);
  return table(["provider", "strategy", "$/month", "node starts/month", "why"], rows, ["left", "left", "right", "right", "left"], [null, null, null, null, 72]);
}

export function renderCost(plan: FleetPlan): string {
  const c = plan.cost;
  const b = plan.baseline;
  const rows: string[][] = [
    ["GPUs: reserved", usd(c.compute.reserved)],
    ["GPUs: spot (expected, incl. fallback to on-demand)", usd(c.compute.spot)],
    ["GPUs: on-demand burst", usd(c.compute.onDemand)],
    ["GPUs: total", usd(c.compute.total)],
    [`hosted API: outage cover (expected; policy.outageCover ${plan.policy.outageCover})`, usd(c.hosted)],
    ["weight storage", usd(c.storage)],
    ["weight egress", usd(c.weightEgress)],
    ["gateway traffic egress", usd(c.gatewayEgress)],
    ["total / month", usd(c.total)],
    ...(b === null
      ? [["baseline", "none: no single provider hosts every model"]]
      : [
          [`baseline: ${b.provider} on-demand sized for peak, 24/7`, usd(b.peakSized.monthly)],
          [`baseline: ${b.provider} on-demand autoscaled`, usd(b.autoscaled.monthly)],
          ["savings vs peak-sized", pct(b.savingsVsPeakSizedPercent)],
          ["savings vs autoscaled", pct(b.savingsVsAutoscaledPercent)],
        ]),
  ];
  return table(["monthly cost", "USD"], rows, ["left", "right"]);
}

/** What each model's demand was forecast from and how well past forecasts held (`--history`). */
export function renderForecast(plan: FleetPlan, fromHistory: string[], start: string): string {
  const rows = plan.models
    .filter((m) => fromHistory.includes(m.name) && m.profile.forecast !== null)
    .map((m) => {
      const f = m.profile.forecast!;
      const coverage = f.heldOutCoverage === null ? "none held out (under 3 weeks)" : `${pct(f.heldOutCoverage.before * 100)} → ${pct(f.heldOutCoverage.after * 100)} of ${f.heldOutSteps.toLocaleString("en-US")} steps`;
      const trend = f.historyDays < 21 ? "none (< 21 days)" : f.trendPerWeek === 0 ? "none (its weeks disagree)" : `${f.trendPerWeek >= 0 ? "+" : ""}${pct(f.trendPerWeek * 100)}/week`;
      const peak = Math.max(...m.profile.demandReplicas);
      const b = f.costBasis;
      const confidence =
        b === null
          ? pct(f.confidence * 100)
          : `${pct(f.confidence * 100)} by cost (GPU ${usd(b.gpuPerReplicaHour, 2)} vs hosted ${usd(b.hostedPerReplicaHour, 2)} per replica-hour${b.hoursRaisedForRateLimit > 0 ? `; ${b.hoursRaisedForRateLimit} h raised for its rate limit` : ""})`;
      // Under confidence: cost the multiplier is the one that cost the held-out weeks least (each step weighed by its forecast).
      const calibration = `×${f.calibration}${b !== null && f.heldOutCoverage !== null ? " (least held-out cost)" : ""}`;
      return [m.name, `${f.historyDays} days × ${f.stepMinutes} min`, `${confidence}, ${f.horizonDays} days`, trend, calibration, coverage, peak.toPrecision(3)];
    });
  const head = ["model", "history (at the planning step)", "confidence, horizon", "trend", "calibration", "held-out coverage (before → after)", "peak hour (replicas)"];
  const others = plan.models.filter((m) => !fromHistory.includes(m.name)).map((m) => m.name);
  return [`history from ${start}; hour 0 of the profile is Monday 00:00 UTC`, table(head, rows), ...(others.length > 0 ? [`not in the history (planned from the spec's demand): ${others.join(", ")}`] : [])].join("\n");
}

export function renderReserved(plan: FleetPlan): string {
  return plan.models
    .filter((m) => m.reserved !== null)
    .map((m) => {
      const r = m.reserved!;
      const classic = r.monthlyComputeAtClassic === null ? "infeasible" : usd(r.monthlyComputeAtClassic);
      return `${m.name}: ${r.plannedNodes} reserved ${r.provider} node(s) (classic rule: ${r.classicRuleNodes} at price ratio ${r.priceRatio} vs ${r.burstReference}; compute ${usd(r.monthlyComputeAtPlanned)} vs ${classic} at the classic level)`;
    })
    .join("\n");
}

export function renderSimulation(sim: SimulationResult, plan: FleetPlan): string {
  const days = sim.horizonHours / 24;
  const rows: string[][] = sim.outages.map((o) => [
    `${o.provider} down`,
    `day ${Math.floor(o.startMinute / 1440)} ${String(Math.floor((o.startMinute % 1440) / 60)).padStart(2, "0")}:${String(o.startMinute % 60).padStart(2, "0")}, ${o.durationMinutes / 60} h`,
    pct(o.servedPercent),
    Math.round(o.droppedRequests).toLocaleString("en-US"),
  ]);
  const head = `simulated ${days.toFixed(0)} days at ${sim.stepMinutes}-minute steps, seeded spot reclaims (seed ${plan.policy.simulation.seed}) and one ${plan.policy.simulation.outageHours}-hour outage per provider:`;
  const summary = [
    `  GPUs ${usd(sim.cost.compute)} (${usd((sim.cost.compute / sim.horizonHours) * plan.hoursPerMonth)}/month), hosted API ${usd(sim.cost.hostedFallback)}, total ${usd(sim.cost.total)}`,
    `  unmet demand outside outages: ${sim.unmetOutsideOutages.gpuHours.toFixed(2)} GPU-h, ${Math.round(sim.unmetOutsideOutages.requests)} requests; spot reclaims ${sim.spotReclaims}, node starts ${sim.nodeStarts}`,
    sim.servedByFallback.requests > 0 ? `  hosted fallback served ${Math.round(sim.servedByFallback.requests).toLocaleString("en-US")} requests the GPUs could not` : "",
  ].filter((l) => l !== "");
  return [head, table(["drill", "window", "served by GPUs", "requests the GPUs missed"], rows, ["left", "left", "right", "right"]), ...summary].join("\n");
}
