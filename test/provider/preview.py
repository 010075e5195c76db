"""A Python program using Switchyard's components through the SDK `pulumi package gen-sdk` writes from
packages/provider/schema.json: a CoreWeave GpuNodePool, vLLM on it, and the LiteLLM gateway in front, previewed with
the real engine as an Automation API inline program (the Python SDK serves the language runtime itself).

    python preview.py <scenario> <work dir>

Scenarios: `fleet` (the three components, wired output to input), `bad-region` (a misspelt region: the library's own
validation must refuse it). Prints one JSON document on stdout: the preview's change summary, every planned step
(type, name, parent type, inputs), or the error. Environment: what the engine needs (PATH with pulumi and
pulumi-resource-switchyard, PULUMI_HOME, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, ...) and KUBECONFIG_FILE, the
control plane's kubeconfig.
"""

import json
import sys

import pulumi
from pulumi import automation as auto

import pulumi_switchyard as switchyard

REVISION = "0e9e39f249a16976918f6564b8830bc894c89659"
# What LiteLLMGatewayConfig labels its pods with (gatewayPodLabels in @switchyard/components), so vLLM's
# NetworkPolicy admits them; the gateway's `pod_labels` output says the same, but vLLM is declared first.
GATEWAY_LABELS = {
    "app.kubernetes.io/name": "litellm-gateway",
    "app.kubernetes.io/instance": "gateway",
    "app.kubernetes.io/managed-by": "switchyard",
}


def fleet(region: str):
    def program():
        config = pulumi.Config()
        pool = switchyard.GpuNodePool(
            "h100",
            provider=switchyard.CloudProvider.COREWEAVE,
            region=region,
            instance_type="gd-8xh100ib-i128",
            capacity_type=switchyard.CapacityType.RESERVED,
            min_nodes=1,
            max_nodes=2,
            coreweave=switchyard.CoreWeaveGpuNodePoolArgs(gpu_driver_version="570"),
        )
        llama = switchyard.VllmServing(
            "llama-8b",
            placement=pool.placement,
            namespace="inference",
            image="vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c",
            model=switchyard.VllmModelArgs(
                id="meta-llama/Llama-3.1-8B-Instruct",
                revision=REVISION,
                served_model_name="llama-8b",
                parameter_count_billions=8,
                dtype=switchyard.Dtype.BF16,
            ),
            max_model_len=16384,
            min_replicas=2,
            max_replicas=2,
            api_key=config.require_secret("vllmApiKey"),
            gateway=switchyard.VllmGatewayArgs(namespace="gateway", pod_labels=GATEWAY_LABELS),
            backend=switchyard.VllmBackendArgs(
                model_name="llama-8b",
                tokens_per_second=1800,
                expected_latency_ms=150,
                concurrent_requests_per_replica=90,
                api_key_secret_env="LLAMA_8B_API_KEY",
            ),
        )
        gateway = switchyard.LiteLLMGatewayConfig(
            "gateway",
            namespace="gateway",
            image="ghcr.io/berriai/litellm-non_root:main-v1.106.2-stable",
            backends=[llama.backend],
            api_keys={"LLAMA_8B_API_KEY": llama.api_key},
            master_key=config.require_secret("masterKey"),
            salt_key=config.require_secret("saltKey"),
            redis=switchyard.GatewayRedisConnectionArgs(host="redis.gateway.svc", password=config.require_secret("redisPassword")),
            clients=[switchyard.GatewayClientArgs(namespace="apps")],
            single_provider_groups=["llama-8b"],
        )
        pulumi.export("poolHourlyCost", pool.hourly_cost_per_node)
        pulumi.export("vllmEndpoint", llama.endpoint)
        pulumi.export("gatewayEndpoint", gateway.endpoint)

    return program


SCENARIOS = {"fleet": fleet("US-EAST-04A"), "bad-region": fleet("US-EAST-4A")}


def main() -> None:
    scenario, work_dir = sys.argv[1], sys.argv[2]
    stack = auto.create_or_select_stack(
        stack_name=scenario,
        project_name="switchyard-python",
        program=SCENARIOS[scenario],
        opts=auto.LocalWorkspaceOptions(
            work_dir=work_dir,
            secrets_provider="passphrase",
            project_settings=auto.ProjectSettings(name="switchyard-python", runtime="python"),
        ),
    )
    with open(__import__("os").environ["KUBECONFIG_FILE"], encoding="utf-8") as f:
        kubeconfig = f.read()
    stack.set_all_config(
        {
            "kubernetes:kubeconfig": auto.ConfigValue(kubeconfig, secret=True),
            "vllmApiKey": auto.ConfigValue("sk-vllm-python-test-0123456789abcdef", secret=True),
            "masterKey": auto.ConfigValue("sk-master-python-test-0123456789abcdef", secret=True),
            "saltKey": auto.ConfigValue("salt-python-test-0123456789abcdef", secret=True),
            "redisPassword": auto.ConfigValue("redis-python-test-0123456789abcdef", secret=True),
        }
    )
    steps = []

    def on_event(event: auto.EngineEvent) -> None:
        pre = event.resource_pre_event
        if pre is None:
            return
        meta = pre.metadata
        state = meta.new or meta.old
        steps.append(
            {
                "op": str(meta.op.value if hasattr(meta.op, "value") else meta.op),
                "type": meta.type,
                "urn": meta.urn,
                "parent": state.parent if state is not None else "",
                "inputs": state.inputs if state is not None else {},
            }
        )

    try:
        result = stack.preview(on_event=on_event)
        print(json.dumps({"ok": True, "changeSummary": result.change_summary, "steps": steps}))
    except auto.CommandError as error:
        print(json.dumps({"ok": False, "error": str(error), "steps": steps}))


if __name__ == "__main__":
    main()
