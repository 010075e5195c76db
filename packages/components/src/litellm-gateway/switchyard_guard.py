"""Switchyard's request guard for the LiteLLM proxy: nothing a client sends changes where the gateway calls out or
how often.

Loaded by the proxy from the directory of its config.yaml (``litellm_settings.callbacks:
["switchyard_guard.proxy_handler_instance"]``); the LiteLLMGatewayConfig component ships it in the same ConfigMap.
LiteLLM itself rejects ``api_base``, ``base_url`` and similar endpoint fields in a request body. This module adds:

- a client ``api_key`` (which LiteLLM would forward to the backends in place of theirs), client retries,
  fallbacks, a deployment picked by id, and LiteLLM's ``mock_testing_*`` switches (which can force a call to the
  paid fallback) are rejected with HTTP 400 naming the field;
- a client timeout longer than the gateway's is rejected (a shorter one is the client's choice);
- the hosted fallback's model group, which the router calls when a group's backends are gone, is neither listed by
  ``/v1/models`` nor callable by name;
- a backend that breaks streams is benched. A stream cut after its first chunks fails as a transport error
  (``httpx.ReadError``, ``APIConnectionError``), which LiteLLM never counts towards a cooldown, and the background
  health checks are not streamed, so they pass: without this such a backend keeps breaking every stream sent to it.
  Here more than ``allowed_fails`` broken streams within ``cooldown_time`` bench it for ``cooldown_time``, through
  the router's own cooldown (shared through Redis with the other replicas).
"""

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import HTTPException
from litellm.integrations.custom_logger import CustomLogger

# Field -> why the gateway owns it. Checked at the top level of the body and inside a client's ``litellm_params``.
OWNED_BY_GATEWAY: Mapping[str, str] = {
    "api_key": "the gateway holds each backend's key; authenticate to the gateway with the Authorization header",
    "api_base": "the gateway routes to its configured backends",
    "base_url": "the gateway routes to its configured backends",
    "num_retries": "retries are set by the gateway",
    "max_retries": "retries are set by the gateway",
    "fallbacks": "fallbacks are set by the gateway",
    "context_window_fallbacks": "fallbacks are set by the gateway",
    "content_policy_fallbacks": "fallbacks are set by the gateway",
    "specific_deployment": "the gateway picks the backend",
}
# LiteLLM's test switches (mock_testing_fallbacks, mock_testing_rate_limit_error, ...) force errors and fallbacks.
OWNED_PREFIXES = ("mock_testing_",)
TIMEOUT_FIELDS = ("timeout", "stream_timeout", "request_timeout")


def _router() -> Any:
    # Imported at call time: the proxy module imports this one while it starts.
    from litellm.proxy.proxy_server import llm_router

    return llm_router


def fallback_only_groups(router: Any) -> frozenset[str]:
    """Model groups that appear only as fallback targets: the router may call them, clients may not."""
    entries = [e for e in (getattr(router, "fallbacks", None) or []) if isinstance(e, Mapping)]
    targets = {v for e in entries for values in e.values() for v in values if isinstance(v, str)}
    primaries = {key for e in entries for key in e}
    return frozenset(targets - primaries)


def _gateway_timeouts(router: Any) -> dict[str, float]:
    request = getattr(router, "timeout", None)
    stream = getattr(router, "stream_timeout", None) or request
    limits = {"timeout": request, "request_timeout": request, "stream_timeout": stream}
    return {k: float(v) for k, v in limits.items() if isinstance(v, (int, float))}


def request_problem(body: Mapping[str, Any], router: Any) -> str | None:
    """What in ``body`` the gateway refuses, or None."""
    model = body.get("model")
    hidden = fallback_only_groups(router)
    if isinstance(model, str) and model in hidden:
        return f"model {model!r} is the gateway's fallback and is not called directly; use one of the listed models"
    scopes: list[tuple[str, Mapping[str, Any]]] = [("", body)]
    nested = body.get("litellm_params")
    if isinstance(nested, Mapping):
        scopes.append(("litellm_params.", nested))
    limits = _gateway_timeouts(router)
    for prefix, scope in scopes:
        owned = _owned_fields(scope.keys())
        if owned:
            reason = OWNED_BY_GATEWAY.get(owned[0], "it is a LiteLLM testing switch")
            return f"{prefix}{owned[0]} is not allowed in the request body: {reason}"
        for field in TIMEOUT_FIELDS:
            value = scope.get(field)
            if value is None or field not in limits:
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                return f"{prefix}{field} ({value!r}) must be a positive number of seconds"
            if value > limits[field]:
                return f"{prefix}{field} ({value}) exceeds the gateway's {limits[field]:g} s; send a shorter timeout or none"
    return None


def is_uncounted_transport_error(exception: Any) -> bool:
    """A broken backend connection, which LiteLLM's cooldown skips: its APIConnectionError, or the raw transport
    error a stream raises once it has started (httpx's or aiohttp's). A client that hangs up raises neither."""
    if exception is None:
        return False
    if type(exception).__name__ == "APIConnectionError" or "APIConnectionError" in str(exception):
        return True
    import aiohttp
    import httpx

    return isinstance(exception, (httpx.TransportError, aiohttp.ClientPayloadError, aiohttp.ClientConnectionError))


def _owned_fields(keys: Iterable[str]) -> list[str]:
    return sorted(k for k in keys if isinstance(k, str) and (k in OWNED_BY_GATEWAY or k.startswith(OWNED_PREFIXES)))


class SwitchyardGuard(CustomLogger):
    def __init__(self) -> None:
        super().__init__()
        self._connection_failures: dict[str, list[float]] = {}

    async def async_log_failure_event(self, kwargs: dict, response_obj: Any, start_time: Any, end_time: Any) -> None:
        exception = kwargs.get("exception")
        if kwargs.get("stream") is not True or not is_uncounted_transport_error(exception):
            return
        model_id = ((kwargs.get("litellm_params") or {}).get("model_info") or {}).get("id")
        router = _router()
        if not isinstance(model_id, str) or router is None:
            return
        now = time.monotonic()
        window = float(getattr(router, "cooldown_time", None) or 60)
        failures = [t for t in self._connection_failures.get(model_id, []) if now - t < window] + [now]
        if len(failures) > int(getattr(router, "allowed_fails", None) or 0):
            router.cooldown_cache.add_deployment_to_cooldown(
                model_id=model_id, original_exception=exception, exception_status=503, cooldown_time=None
            )
            failures = []
        self._connection_failures[model_id] = failures

    async def async_pre_call_hook(self, user_api_key_dict: Any, cache: Any, data: dict, call_type: Any) -> dict:
        problem = request_problem(data, _router())
        if problem is not None:
            raise HTTPException(status_code=400, detail={"error": problem})
        return data

    async def async_filter_listed_models(self, user_api_key_dict: Any, model_names: Sequence[str]) -> Sequence[str]:
        hidden = fallback_only_groups(_router())
        return [name for name in model_names if name not in hidden]


proxy_handler_instance = SwitchyardGuard()
