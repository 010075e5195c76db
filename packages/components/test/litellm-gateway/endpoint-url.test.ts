import { describe, expect, it } from "vitest";
import { endpointUrlProblem } from "../../src/litellm-gateway/endpoint-url";

describe("endpointUrlProblem: where the gateway may send a request and its key", () => {
  it.each([
    "https://llama-70b.coreweave.example.com/v1",
    "https://203.0.113.7:8443/v1",
    "https://api.together.xyz/v1",
    "http://127.0.0.1:8000/v1",
    "http://127.8.9.10/v1",
    "http://localhost:8000/v1",
    "http://[::1]:8000/v1",
    "http://llama-8b:8000/v1",
    "http://llama-8b.inference.svc:8000/v1",
    "http://llama-8b.inference.svc.cluster.local:8000/v1",
    "http://llama-8b.inference.svc.corp.internal:8000/v1",
  ])("allows %s", (url) => {
    expect(endpointUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ["http://llama.example.com/v1", "plain http to a host outside the cluster"],
    ["http://203.0.113.7:8000/v1", "plain http to a host outside the cluster"],
    ["http://10.0.3.4:8000/v1", "plain http to a host outside the cluster"],
    ["http://llama-8b.inference:8000/v1", "plain http to a host outside the cluster"],
    ["http://169.254.169.254/latest/v1", "link-local"],
    ["https://169.254.169.254/v1", "link-local"],
    ["https://[fe80::1]/v1", "link-local"],
    ["https://user:secret@llama.example.com/v1", "user name or password"],
    ["http://token@127.0.0.1:8000/v1", "user name or password"],
    ["ftp://llama.example.com/v1", "uses ftp; use https://"],
    ["llama.example.com/v1", "is not a URL"],
  ])("refuses %s (%s)", (url, reason) => {
    expect(endpointUrlProblem(url)).toContain(reason);
  });
});
