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
  the router's own cooldown (shared through Redis with the other replicas);
- a stream cut after its first tokens, or stalled past the stream timeout (the read timeout is a transport error
  too), is resumed on another backend of the same model group, so the client sees one unbroken stream. LiteLLM's
  retries cover only the call that opens a stream, so a stream that breaks before its first token (a pod dying in
  prefill after vLLM's opening role chunk, or a cut read before the chunks buffered ahead of it) is re-run from the
  start the same way. The resumed request carries the text generated so
  far as a final assistant message with vLLM's ``continue_final_message`` (the same weights continue the same text),
  is sent to a vLLM backend of the group that has not failed this stream, lowest tier first, and counts against the
  gateway's retries. Only when no such backend is up (or the request asked for several choices, ``n`` > 1) does the
  client get the error event;
- with ``SWITCHYARD_METRICS_PORT`` set, LiteLLM's Prometheus metrics (its ``prometheus`` callback) are served on that
  port too, without a key: the proxy's own ``/metrics`` needs one (the master key when there is no database), and a
  scraper should hold none. The NetworkPolicy admits only the scrapers to that port.
"""

import os
import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
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
# Request fields a resumed stream keeps: what shapes the completion itself. Routing, retries and auth stay the gateway's.
RESUMED_FIELDS = (
    "temperature", "top_p", "top_k", "min_p", "seed", "stop", "presence_penalty", "frequency_penalty",
    "repetition_penalty", "logit_bias", "user", "stream_options", "tools", "tool_choice", "response_format",
)
# vLLM's chat request fields that continue the final assistant message instead of starting a new one.
CONTINUE_FINAL_MESSAGE = {"continue_final_message": True, "add_generation_prompt": False}


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


def resumed_messages(messages: Sequence[Mapping[str, Any]], generated: str) -> list[dict[str, Any]]:
    """The conversation with the text generated so far as its final assistant message (appended to one the client
    already opened with ``continue_final_message``)."""
    history = [dict(m) for m in messages]
    last = history[-1] if history else None
    if last is not None and last.get("role") == "assistant" and isinstance(last.get("content"), str):
        last["content"] = last["content"] + generated
        return history
    return [*history, {"role": "assistant", "content": generated}]


def resume_target(deployments: Iterable[Mapping[str, Any]], unavailable: Iterable[str]) -> tuple[int, list[str]] | None:
    """Where a cut stream can continue: the lowest LiteLLM ``order`` among the group's vLLM deployments (only vLLM
    takes ``continue_final_message``) that are neither benched nor failed this stream, and every other deployment
    id of the group, to exclude; None when there is none. LiteLLM narrows a request to the lowest order before it
    drops excluded deployments, so a resume names its order explicitly."""
    skipped = set(unavailable)
    candidates: list[int] = []
    excluded: list[str] = []
    for d in deployments:
        params = d.get("litellm_params") or {}
        model_id = (d.get("model_info") or {}).get("id")
        if model_id in skipped or not str(params.get("model", "")).startswith("hosted_vllm/"):
            excluded.append(str(model_id))
        else:
            candidates.append(int(params.get("order") or 0))
    return (min(candidates), sorted(set(excluded))) if candidates else None


def remaining_token_limits(request_data: Mapping[str, Any], content_chunks: int) -> dict[str, int]:
    """The client's token limits less what was streamed before the cut. vLLM streams one token per content chunk
    unless speculative decoding batches several; then this overestimates what is left, so a resumed completion may
    run past the limit by those extra tokens but never stops short of it."""
    limits = {}
    for field in ("max_tokens", "max_completion_tokens"):
        value = request_data.get(field)
        if isinstance(value, int) and not isinstance(value, bool):
            limits[field] = max(1, value - content_chunks)
    return limits


def _delta_text(chunk: Any) -> str:
    choices = getattr(chunk, "choices", None) or []
    delta = getattr(choices[0], "delta", None) if choices else None
    content = getattr(delta, "content", None)
    return content if isinstance(content, str) else ""


def _stream_deployment_id(stream: Any) -> str | None:
    model_id = (getattr(stream, "_hidden_params", None) or {}).get("model_id")
    return model_id if isinstance(model_id, str) else None


def _owned_fields(keys: Iterable[str]) -> list[str]:
    return sorted(k for k in keys if isinstance(k, str) and (k in OWNED_BY_GATEWAY or k.startswith(OWNED_PREFIXES)))


_metrics_port_served: int | None = None


def serve_metrics(environ: Mapping[str, str]) -> int | None:
    """Serves the process's Prometheus registry on ``SWITCHYARD_METRICS_PORT``, once per process; returns the port."""
    global _metrics_port_served
    port = environ.get("SWITCHYARD_METRICS_PORT")
    if not port or _metrics_port_served is not None:
        return _metrics_port_served
    from prometheus_client import start_http_server

    start_http_server(int(port), addr="0.0.0.0")
    _metrics_port_served = int(port)
    return _metrics_port_served


class SwitchyardGuard(CustomLogger):
    def __init__(self) -> None:
        super().__init__()
        self._connection_failures: dict[str, list[float]] = {}
        serve_metrics(os.environ)

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

    async def async_post_call_streaming_iterator_hook(
        self, user_api_key_dict: Any, response: Any, request_data: dict
    ) -> AsyncIterator[Any]:
        router = _router()
        attempts_left = int(getattr(router, "num_retries", None) or 0)
        stream, stream_id, generated, content_chunks, failed = response, None, "", 0, []
        while True:
            try:
                async for chunk in stream:
                    # The client sees one stream: resumed chunks carry the first stream's id.
                    if stream_id is None:
                        stream_id = getattr(chunk, "id", None)
                    elif getattr(chunk, "id", None) != stream_id:
                        chunk.id = stream_id
                    text = _delta_text(chunk)
                    generated += text
                    content_chunks += 1 if text else 0
                    yield chunk
                return
            except Exception as error:
                # A client hang-up is not a backend's fault: it is no transport error of the backend's connection.
                if attempts_left <= 0 or router is None or not is_uncounted_transport_error(error):
                    raise
                failed.append(_stream_deployment_id(stream) or "")
                resumed = await self._resume(router, request_data, generated, content_chunks, failed)
                if resumed is None:
                    raise
                attempts_left -= 1
                stream = resumed

    async def _resume(
        self, router: Any, request_data: Mapping[str, Any], generated: str, content_chunks: int, failed: list[str]
    ) -> Any:
        """A stream continuing ``generated`` from a backend of the same group that has not failed it, or None. One
        upstream call: no retries or fallbacks inside it (the caller's loop is the retry), and the hosted fallback
        is a different model, which cannot continue this one's text."""
        from litellm.router_utils.cooldown_handlers import async_get_cooldown_deployments

        group = request_data.get("model")
        messages = request_data.get("messages")
        # Only one choice's text is followed; several choices cannot be continued as one.
        if not isinstance(group, str) or not isinstance(messages, list) or request_data.get("n") not in (None, 1):
            return None
        benched = await async_get_cooldown_deployments(litellm_router_instance=router, parent_otel_span=None)
        target = resume_target(router.get_model_list(model_name=group) or [], [*failed, *benched])
        if target is None:
            return None
        tier, excluded = target
        # Nothing generated yet: the request runs again as the client sent it.
        continuing = generated != ""
        extra_body = {**(request_data.get("extra_body") or {}), **(CONTINUE_FINAL_MESSAGE if continuing else {})}
        try:
            return await router.acompletion(
                model=group,
                messages=resumed_messages(messages, generated) if continuing else messages,
                stream=True,
                extra_body=extra_body,
                metadata=dict(request_data.get("metadata") or {}),
                num_retries=0,
                disable_fallbacks=True,
                _excluded_deployment_ids=excluded,
                _target_order=tier,
                **{k: request_data[k] for k in RESUMED_FIELDS if k in request_data},
                **remaining_token_limits(request_data, content_chunks),
            )
        except Exception:
            return None

    async def async_pre_call_hook(self, user_api_key_dict: Any, cache: Any, data: dict, call_type: Any) -> dict:
        problem = request_problem(data, _router())
        if problem is not None:
            raise HTTPException(status_code=400, detail={"error": problem})
        return data

    async def async_filter_listed_models(self, user_api_key_dict: Any, model_names: Sequence[str]) -> Sequence[str]:
        hidden = fallback_only_groups(_router())
        return [name for name in model_names if name not in hidden]


proxy_handler_instance = SwitchyardGuard()
