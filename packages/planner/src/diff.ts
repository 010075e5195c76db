/** `costDiff(base, head)`: what changed between two plans, as rows and as a Markdown table for PR comments. */
import type { FleetPlan } from "./types";

export interface CostDiffRow {
  item: string;
  base: number;
  head: number;
  delta: number;
  /** Percent change against base; null when base is 0. */
  deltaPercent: number | null;
  unit: "usd" | "nodes" | "percent";
}

function row(item: string, base: number, head: number, unit: CostDiffRow["unit"] = "usd"): CostDiffRow {
  const delta = head - base;
  return { item, base, head, delta, deltaPercent: base === 0 ? null : (delta / base) * 100, unit };
}

/** Monthly cost lines, savings, and every pool's reserved / max nodes that differ (or exist in either). */
export function costDiff(base: FleetPlan, head: FleetPlan): CostDiffRow[] {
  const rows: CostDiffRow[] = [
    row("compute: reserved", base.cost.compute.reserved, head.cost.compute.reserved),
    row("compute: spot (expected)", base.cost.compute.spot, head.cost.compute.spot),
    row("compute: on-demand", base.cost.compute.onDemand, head.cost.compute.onDemand),
    row("weight storage", base.cost.storage, head.cost.storage),
    row("weight egress", base.cost.weightEgress, head.cost.weightEgress),
    row("gateway egress", base.cost.gatewayEgress, head.cost.gatewayEgress),
    row("total / month", base.cost.total, head.cost.total),
    ...(base.baseline === null || head.baseline === null
      ? []
      : [
          row(`baseline: ${head.baseline.provider} on-demand autoscaled`, base.baseline.autoscaled.monthly, head.baseline.autoscaled.monthly),
          row("savings vs autoscaled baseline", base.baseline.savingsVsAutoscaledPercent, head.baseline.savingsVsAutoscaledPercent, "percent"),
          row("savings vs peak-sized baseline", base.baseline.savingsVsPeakSizedPercent, head.baseline.savingsVsPeakSizedPercent, "percent"),
        ]),
  ];
  const pools = new Map<string, { base?: { r: number; max: number }; head?: { r: number; max: number } }>();
  for (const [side, plan] of [["base", base], ["head", head]] as const) {
    for (const m of plan.models) {
      for (const p of m.pools) {
        const key = `${p.provider}-${m.name}`;
        const entry = pools.get(key) ?? {};
        entry[side] = { r: p.reservedNodes, max: p.autoscaler.maxNodes };
        pools.set(key, entry);
      }
    }
  }
  for (const [key, e] of [...pools.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const b = e.base ?? { r: 0, max: 0 };
    const h = e.head ?? { r: 0, max: 0 };
    if (b.r !== h.r) rows.push(row(`${key}: reserved nodes`, b.r, h.r, "nodes"));
    if (b.max !== h.max) rows.push(row(`${key}: max nodes`, b.max, h.max, "nodes"));
  }
  return rows;
}

function fmt(x: number, unit: CostDiffRow["unit"]): string {
  if (unit === "usd") return `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (unit === "percent") return `${x.toFixed(1)}%`;
  return String(x);
}

function fmtDelta(r: CostDiffRow): string {
  const sign = r.delta > 0 ? "+" : r.delta < 0 ? "−" : "±";
  const abs = Math.abs(r.delta);
  const value = r.unit === "usd" ? `$${abs.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : r.unit === "percent" ? `${abs.toFixed(1)} pt` : String(abs);
  const pct = r.unit === "percent" || r.deltaPercent === null || r.delta === 0 ? "" : ` (${r.deltaPercent > 0 ? "+" : "−"}${Math.abs(r.deltaPercent).toFixed(1)}%)`;
  return `${sign}${value}${pct}`;
}

/** The diff as a GitHub-flavoured Markdown table (with a heading line). */
export function costDiffMarkdown(base: FleetPlan, head: FleetPlan): string {
  const rows = costDiff(base, head);
  const lines = [
    `### Switchyard cost diff: ${base.specName} → ${head.specName}`,
    "",
    "| | base | head | Δ |",
    "|---|---:|---:|---:|",
    ...rows.map((r) => `| ${r.item === "total / month" ? "**total / month**" : r.item} | ${fmt(r.base, r.unit)} | ${fmt(r.head, r.unit)} | ${fmtDelta(r)} |`),
  ];
  return `${lines.join("\n")}\n`;
}
