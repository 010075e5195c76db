import { describe, expect, it } from "vitest";
import { parseHourlyCsv, parsePerMinuteCsv, profileFromSeries, quantile, replicasFor, resampleSeries, seriesFromHourly } from "../src";

const t = { prefillTokensPerSecond: 8000, decodeTokensPerSecond: 2400 };

describe("demand", () => {
  it("converts tokens to replicas: input/P + output/D per second of the step", () => {
    // one minute with 480,000 prompt and 72,000 completion tokens: (60 + 30) replica-seconds / 60 s
    expect(replicasFor(480_000, 72_000, 60, t)).toBeCloseTo(1.5, 12);
  });

  it("resamples by summing or spreading, and refuses other ratios", () => {
    const s = { stepMinutes: 1, requests: [1, 2, 3, 4, 5], inputTokens: [10, 20, 30, 40, 50], outputTokens: [0, 0, 0, 0, 1] };
    expect(resampleSeries(s, 2)).toEqual({ stepMinutes: 2, requests: [3, 7, 5], inputTokens: [30, 70, 50], outputTokens: [0, 0, 1] });
    expect(resampleSeries({ stepMinutes: 10, requests: [10], inputTokens: [20], outputTokens: [0] }, 5)).toEqual({ stepMinutes: 5, requests: [5, 5], inputTokens: [10, 10], outputTokens: [0, 0] });
    expect(() => resampleSeries(s, 1.5)).toThrow(/cannot resample/);
  });

  it("takes each profile hour's quantile of replicas and its mean rates", () => {
    // 30-minute steps over two days of a 24-hour profile: hour 0 sees 4 steps.
    const steps = 96;
    const out = Array.from({ length: steps }, (_, i) => (i % 48 === 0 ? 2400 * 1800 * 3 : i % 48 === 1 ? 2400 * 1800 : 0));
    const series = { stepMinutes: 30, requests: out.map(() => 1), inputTokens: out.map(() => 0), outputTokens: out };
    const p = profileFromSeries(series, t, 24, 1);
    expect(p.demandReplicas[0]).toBeCloseTo(3, 12); // max of 3, 1, 3, 1
    expect(profileFromSeries(series, t, 24, 0.5).demandReplicas[0]).toBeCloseTo(1, 12);
    expect(p.outputTokensPerSecond[0]).toBeCloseTo(2400 * 2, 9); // mean of 3, 1, 3, 1 replicas
    expect(p.demandReplicas[1]).toBe(0);
    expect(quantile([5, 1, 3], 1)).toBe(5);
  });

  it("parses the per-minute trace CSVs (gaps are zero) and hourly profiles", () => {
    const s = parsePerMinuteCsv("minute,requests,input_tokens,output_tokens,rps\n0,2,100,10,0.03\n2,1,50,5,0.01\n");
    expect(s).toEqual({ stepMinutes: 1, requests: [2, 0, 1], inputTokens: [100, 0, 50], outputTokens: [10, 0, 5] });
    expect(parseHourlyCsv("hour,requests_per_s,input_tokens_per_s,output_tokens_per_s\n1,2,20,2\n0,1,10,1\n")).toEqual({ requestsPerSecond: [1, 2], inputTokensPerSecond: [10, 20], outputTokensPerSecond: [1, 2] });
    expect(() => parseHourlyCsv("hour,requests_per_s,input_tokens_per_s,output_tokens_per_s\n0,1,x,1\n")).toThrow(/line 2, column input_tokens_per_s: not a number/);
    expect(() => parsePerMinuteCsv("minute,requests\n0,1\n")).toThrow(/missing column input_tokens/);
  });

  it("repeats an hourly profile at any step", () => {
    const s = seriesFromHourly({ requestsPerSecond: [1, 2], inputTokensPerSecond: [10, 20], outputTokensPerSecond: [0, 0] }, 30, 6);
    expect(s.requests).toEqual([1800, 1800, 3600, 3600, 1800, 1800]);
  });
});
