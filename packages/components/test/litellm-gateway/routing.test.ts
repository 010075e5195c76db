import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Backend } from "@switchyard/components/src/contracts";
import {
  apportion,
  planRoutes,
  requestCost,
  resolveScoreWeights,
  resolveTokenPricing,
  scoreRoutes,
  tierOrder,
  tokenPrices,
  WEIGHT_TOTAL,
} from "@switchyard/components/src/litellm-gateway";
import type { RouteCandidate } from "@switchyard/components/src/litellm-gateway";

const defaults = resolveScoreWeights(undefined);

const candidate = (i: number) =>
  fc.record({
    name: fc.constant(`backend-${i}`),
    expectedLatencyMs: fc.double({ min: 5, max: 20_000, noNaN: true }),
    costPerOutputToken: fc.double({ min: 1e-9, max: 1e-3, noNaN: true }),
    availability: fc.double({ min: 0.5, max: 1, noNaN: true }),
    canaryPercent: fc.constant(undefined),
  });

const candidates = fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => candidate(i))));

const scoreWeights = fc
  .record({ latency: fc.double({ min: 0, max: 1, noNaN: true }), cost: fc.double({ min: 0, max: 1, noNaN: true }), availability: fc.double({ min: 0, max: 1, noNaN: true }) })
  .filter((w) => w.latency + w.cost + w.availability > 0.01)
  .map(resolveScoreWeights);

describe("scoreRoutes properties", () => {
  it("normalises: whole weights ≥ 1 summing to exactly 1000, finite scores in (0, 1]", () => {
    fc.assert(
      fc.property(candidates, scoreWeights, (cs, w) => {
        const routes = scoreRoutes(cs, w);
        expect(routes.reduce((sum, r) => sum + r.weight, 0)).toBe(WEIGHT_TOTAL);
        for (const r of routes) {
          expect(Number.isInteger(r.weight)).toBe(true);
          expect(r.weight).toBeGreaterThanOrEqual(1);
          expect(Number.isFinite(r.score)).toBe(true);
          expect(r.score).toBeGreaterThan(0);
          expect(r.score).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
    );
  });

  it("is monotone: a cheaper, faster, more available backend never gets less weight", () => {
    fc.assert(
      fc.property(
        candidates,
        fc.nat(),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        scoreWeights,
        (cs, index, latencyFactor, costFactor, availabilityGap, w) => {
          const base = cs[index % cs.length]!;
          // A strictly better twin of `base`, competing in the same tier.
          const better: RouteCandidate = {
            name: "better",
            expectedLatencyMs: base.expectedLatencyMs * latencyFactor,
            costPerOutputToken: base.costPerOutputToken * costFactor,
            availability: Math.min(1, base.availability + availabilityGap * (1 - base.availability)) + 0,
            canaryPercent: undefined,
          };
          const worse = { ...base, availability: Math.min(base.availability, better.availability) };
          const routes = scoreRoutes([...cs.filter((c) => c !== base), worse, better], w);
          const scored = (name: string) => routes.find((r) => r.name === name)!;
          const [b, w2] = [scored("better"), scored(worse.name)];
          expect(b.score).toBeGreaterThanOrEqual(w2.score);
          // Scores equal to the last bit (availability 1 − 1e-14 against 1 − 1.1e-14) may round either way.
          if (b.score > w2.score) expect(b.weight).toBeGreaterThanOrEqual(w2.weight);
          else expect(Math.abs(b.weight - w2.weight)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("improving one backend's cost, latency or availability never lowers its weight", () => {
    fc.assert(
      fc.property(candidates, fc.nat(), fc.constantFrom("expectedLatencyMs", "costPerOutputToken", "availability"), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (cs, index, term, factor) => {
        const i = index % cs.length;
        const improved = cs.map((c, j) => {
          if (j !== i) return c;
          return term === "availability" ? { ...c, availability: c.availability + (1 - c.availability) * factor } : { ...c, [term]: c[term] * factor };
        });
        const before = scoreRoutes(cs, defaults)[i]!.weight;
        const after = scoreRoutes(improved, defaults)[i]!.weight;
        // Rounding to whole weights can cost at most one unit.
        expect(after).toBeGreaterThanOrEqual(before - 1);
      }),
    );
  });

  it("is scale-free: the same backends in other units get the same weights", () => {
    fc.assert(
      fc.property(candidates, fc.double({ min: 0.001, max: 1000, noNaN: true }), (cs, k) => {
        const scaled = cs.map((c) => ({ ...c, expectedLatencyMs: c.expectedLatencyMs * k, costPerOutputToken: c.costPerOutputToken * k }));
        const a = scoreRoutes(cs, defaults).map((r) => r.weight);
        const b = scoreRoutes(scaled, defaults).map((r) => r.weight);
        a.forEach((weight, i) => expect(Math.abs(weight - b[i]!)).toBeLessThanOrEqual(1));
      }),
    );
  });

  it("gives canaries exactly their percentage and the others the rest", () => {
    fc.assert(
      fc.property(candidates.filter((cs) => cs.length >= 2), fc.double({ min: 0.5, max: 50, noNaN: true }), (cs, percent) => {
        const withCanary = cs.map((c, i) => (i === 0 ? { ...c, canaryPercent: percent } : c));
        const routes = scoreRoutes(withCanary, defaults);
        expect(routes[0]!.weight).toBe(Math.max(1, Math.round(percent * 10)));
        expect(routes.reduce((sum, r) => sum + r.weight, 0)).toBe(WEIGHT_TOTAL);
      }),
    );
  });

  it("follows given weights when every non-canary backend has one: proportional, summing to 1000", () => {
    fc.assert(
      fc.property(candidates, fc.array(fc.double({ min: 0.001, max: 1000, noNaN: true }), { minLength: 8, maxLength: 8 }), (cs, given) => {
        const routes = scoreRoutes(
          cs.map((c, i) => ({ ...c, explicitWeight: given[i]! })),
          defaults,
        );
        expect(routes.reduce((sum, r) => sum + r.weight, 0)).toBe(WEIGHT_TOTAL);
        const sum = cs.reduce((total, _, i) => total + given[i]!, 0);
        routes.forEach((r, i) => {
          // Whole weights, at least 1 each: within one unit (plus the lift of starved backends) of the exact share.
          expect(Math.abs(r.weight - (given[i]! / sum) * WEIGHT_TOTAL)).toBeLessThanOrEqual(cs.length);
          for (let j = 0; j < routes.length; j++) if (given[i]! > given[j]!) expect(r.weight).toBeGreaterThanOrEqual(routes[j]!.weight);
        });
      }),
    );
  });

  it("equal backends split evenly", () => {
    const twin = { expectedLatencyMs: 100, costPerOutputToken: 1e-6, availability: 0.99, canaryPercent: undefined };
    expect(scoreRoutes(["a", "b", "c", "d"].map((name) => ({ ...twin, name })), defaults).map((r) => r.weight)).toEqual([250, 250, 250, 250]);
  });
});

describe("apportion", () => {
  it("splits the total exactly, preserving order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 100, noNaN: true }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 12, max: 5000 }), (values, total) => {
        const names = values.map((_, i) => `n${i}`);
        const parts = apportion(values, total, names);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) if (values[i]! > values[j]!) expect(parts[i]).toBeGreaterThanOrEqual(parts[j]!);
        }
      }),
    );
  });
});

const provider = fc.constantFrom<Backend["provider"]>("aws", "gcp", "coreweave", "lambda", "hosted");
const capacity = fc.constantFrom<Backend["capacityType"]>("reserved", "on-demand", "spot");
const backend = (i: number) =>
  fc.record({
    name: fc.constant(`b${i}`),
    provider,
    region: fc.constant("r"),
    capacityType: capacity,
    modelName: fc.constantFrom("m1", "m2", "m3"),
    servedModelName: fc.constant("served"),
    baseUrl: fc.constant(`http://b${i}.example/v1`),
    apiKeySecretEnv: fc.constant(`B${i}_API_KEY`),
    costPerHour: fc.double({ min: 0.1, max: 200, noNaN: true }),
    tokensPerSecond: fc.double({ min: 1, max: 20_000, noNaN: true }),
    expectedLatencyMs: fc.double({ min: 5, max: 10_000, noNaN: true }),
  });
const fleets = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => backend(i))));

describe("planRoutes properties", () => {
  it("weights each model group's tier to exactly 1000, in purchase-tier order", () => {
    fc.assert(
      fc.property(fleets, (backends) => {
        const routes = planRoutes(backends);
        expect(routes).toHaveLength(backends.length);
        const sums = new Map<string, number>();
        for (const r of routes) {
          expect(r.order).toBe(tierOrder(r.backend));
          const key = `${r.backend.modelName}/${r.order}`;
          sums.set(key, (sums.get(key) ?? 0) + r.weight);
        }
        for (const sum of sums.values()) expect(sum).toBe(WEIGHT_TOTAL);
      }),
    );
  });

  it("is deterministic whatever order the backends come in", () => {
    fc.assert(
      fc.property(fleets, (backends) => {
        const strip = (rs: ReturnType<typeof planRoutes>) => rs.map((r) => [r.backend.name, r.order, r.weight, r.prices]);
        expect(strip(planRoutes([...backends].reverse()))).toEqual(strip(planRoutes(backends)));
      }),
    );
  });
});

describe("tokenPrices", () => {
  it.each([
    // $/h, tok/s, ratio, prompt:completion → output $/token
    [3.6, 1000, 0.25, 1, 8e-7],
    [3.6, 1000, 0, 1, 1e-6],
    [3.6, 1000, 0.5, 2, 5e-7],
    [24.56, 2400, 0.25, 1, 2.27407e-6],
  ])("$%d/h at %d tok/s (ratio %d, %d prompt tokens per output) → output %d $/token", (costPerHour, tps, ratio, prompt, output) => {
    const prices = tokenPrices(costPerHour, tps, { inputPriceRatio: ratio, promptTokensPerOutputToken: prompt });
    expect(prices.outputCostPerToken).toBe(output);
    // Both are rounded from the exact price, not one from the other.
    expect(prices.inputCostPerToken).toBe(Number(((ratio * costPerHour) / (3600 * tps * (1 + prompt * ratio))).toPrecision(6)));
  });

  it("bills one hour at the measured throughput and prompt mix as the GPU-hour price (to 6 significant digits)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 500, noNaN: true }),
        fc.double({ min: 1, max: 50_000, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (costPerHour, tps, ratio, prompt) => {
          const prices = tokenPrices(costPerHour, tps, resolveTokenPricing({ inputPriceRatio: ratio, promptTokensPerOutputToken: prompt }));
          const hour = requestCost(prices, 3600 * tps * prompt, 3600 * tps);
          expect(Math.abs(hour - costPerHour) / costPerHour).toBeLessThan(2e-5);
        },
      ),
    );
  });
});
