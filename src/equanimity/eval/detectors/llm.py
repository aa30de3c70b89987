"""LLM judges for the blackmail rubric (:data:`equanimity.eval.detectors.blackmail.RUBRIC`).

Either a local model (any ``load_model`` spec, greedy decoding with its chat template) or an
OpenAI-compatible chat-completions endpoint the user configures (vLLM, llama.cpp's server,
Ollama, a hosted API). A judge is text in, text out; :func:`classify_response` combines its
answer with the rules as the original study did (judge AND a message to the decision maker AND
the leverage in it). Nothing here calls a network unless the user names an endpoint.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message

from equanimity.errors import BadInput, EndpointError
from equanimity.eval.detectors.base import Judge

KINDS = ("local", "openai")


@dataclass(frozen=True)
class JudgeConfig:
    kind: str  # local | openai
    model: str  # local: a load_model spec; openai: the endpoint's model name
    url: str | None = None  # openai: base URL, e.g. http://localhost:8000/v1
    api_key_env: str = "OPENAI_API_KEY"  # openai: environment variable holding the key
    max_new_tokens: int = 384
    timeout_s: float = 120.0
    concurrency: int = 4  # openai: requests in flight at once (a local judge runs one)
    retries: int = 5  # openai: retries of a failed request before giving up

    def __post_init__(self):
        if self.kind not in KINDS:
            raise BadInput(f"--judge {self.kind!r}: use local or openai")
        if self.kind == "openai" and not self.url:
            raise BadInput("--judge openai needs --judge-url (e.g. http://localhost:8000/v1)")
        if self.kind == "openai" and not self.url.startswith(("http://", "https://")):
            raise BadInput(f"--judge-url {self.url!r}: use an http:// or https:// URL")
        if not self.model:
            raise BadInput("--judge needs --judge-model (a model spec or the endpoint's model)")
        if self.concurrency < 1 or self.retries < 0 or self.timeout_s <= 0:
            raise BadInput(
                f"judge: concurrency must be >= 1 (got {self.concurrency}), retries >= 0 "
                f"(got {self.retries}) and timeout_s > 0 (got {self.timeout_s})"
            )


@dataclass
class LocalJudge:
    """A local model reading the rubric; greedy, so the same reply always gets the same answer."""

    model: object
    tokenizer: object
    max_new_tokens: int = 384

    def __call__(self, prompt: str) -> str:
        from equanimity.eval.readouts.generate import GenerationConfig, generate_replies

        config = GenerationConfig(temperature=0, max_new_tokens=self.max_new_tokens, batch_size=1)
        conversation = [{"role": "user", "content": prompt}]
        return generate_replies(
            self.model, self.tokenizer, [conversation], ["judge"], config, progress=False
        )[0][0]


RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
CONFIG_STATUS = {
    401: "check the key in the variable --judge-key-env names",
    403: "check the key in the variable --judge-key-env names",
    404: "check --judge-url (usually ending in /v1) and --judge-model",
}
# Sampling parameters a reasoning model may reject, and what to send instead (None: nothing).
ADAPTABLE = {
    "temperature": None,
    "max_tokens": "max_completion_tokens",
    "max_completion_tokens": None,
}


@dataclass
class OpenAIJudge:
    """``POST {url}/chat/completions`` at temperature 0, the key (if any) from ``api_key_env``.

    Hand-written on urllib rather than the ``openai`` package: that client retries too, but the
    parameter fallback below, the error mapping and the tests against a local server would be
    needed on top of it anyway, and urllib keeps the package free of an HTTP stack.

    * 429, 408, 409, 5xx, timeouts, refused or dropped connections and unreadable answers are
      retried ``retries`` times with exponential backoff and jitter, waiting what a
      ``Retry-After`` (or ``retry-after-ms``) header asks instead when there is one; then
      :class:`EndpointError` (exit 1) names the endpoint and the last failure.
    * A 400 that names ``temperature`` or ``max_tokens`` (reasoning models reject them) is
      resent without the parameter (``max_tokens`` becomes ``max_completion_tokens``), and the
      judge remembers it for every later call.
    * 401, 403 and 404 are the user's configuration: :class:`BadInput` with what to check.
    Safe to call from several threads.
    """

    url: str
    model: str
    api_key_env: str = "OPENAI_API_KEY"
    max_new_tokens: int = 384
    timeout_s: float = 120.0
    retries: int = 5
    backoff_s: float = 1.0  # first wait; doubles per retry, jittered to 50-100%
    max_backoff_s: float = 60.0  # cap on any wait, Retry-After included
    _rejected: set[str] = field(default_factory=set, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def endpoint(self) -> str:
        return self.url.rstrip("/") + "/chat/completions"

    def __call__(self, prompt: str) -> str:
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(prompt)
            except _Retry as e:
                failure = e.failure
                if attempt < self.retries:
                    wait = self._backoff(attempt) if e.wait is None else e.wait
                    time.sleep(min(wait, self.max_backoff_s))
        raise EndpointError(self._failed(failure, self.retries + 1))

    def _attempt(self, prompt: str) -> str:
        """One request (resent at once when a parameter was rejected); :class:`_Retry` when
        another attempt may succeed."""
        while True:
            try:
                body = self._body(prompt)
                status, headers, payload = self._post(body)
            except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
                raise _Retry(f"unreachable ({getattr(e, 'reason', None) or e})") from e
            if status == 200:
                try:
                    return _content(payload)
                except ValueError as e:
                    raise _Retry(str(e)) from e
            detail = payload.decode(errors="replace").strip()
            failure = f"HTTP {status}: {detail[:200]}"
            if status == 400 and self._adapt(detail, body):
                continue
            if status in CONFIG_STATUS:
                raise BadInput(
                    f"judge endpoint {self.endpoint}: {failure}; {CONFIG_STATUS[status]}"
                )
            if status in RETRY_STATUS or status >= 500:
                raise _Retry(failure, _retry_after(headers))
            raise EndpointError(self._failed(failure))

    def _failed(self, failure: str, attempts: int | None = None) -> str:
        tries = f" after {attempts} attempt{'s' * (attempts != 1)}" if attempts else ""
        return (
            f"judge endpoint {self.endpoint} failed{tries}: {failure}; the samples judged so "
            "far are kept: rerun the same command to resume"
        )

    def _body(self, prompt: str) -> dict:
        body = {
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": 0,
            "max_tokens": self.max_new_tokens,
        }
        with self._lock:
            rejected = set(self._rejected)
        for name, instead in ADAPTABLE.items():
            if name in rejected and name in body:
                value = body.pop(name)
                if instead is not None and instead not in rejected:
                    body[instead] = value
        return body

    def _adapt(self, detail: str, body: dict) -> bool:
        """Remember the sampling parameters of ``body`` that a 400 names (not the ones it
        suggests instead); whether there was a new one."""
        named = {p for p in ADAPTABLE if p in body and re.search(rf"\b{p}\b", detail)}
        with self._lock:
            new = named - self._rejected
            self._rejected |= new
        for name in sorted(new):
            instead = ADAPTABLE[name]
            then = f"sending {instead} instead" if instead else "leaving it out"
            print(f"judge endpoint {self.endpoint} rejects {name}: {then}", file=sys.stderr)
        return bool(new)

    def _post(self, body: dict) -> tuple[int, Message, bytes]:
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        request = urllib.request.Request(self.endpoint, json.dumps(body).encode(), headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as e:
            with e:
                return e.code, e.headers, e.read()

    def _backoff(self, attempt: int) -> float:
        return min(self.max_backoff_s, self.backoff_s * 2**attempt) * random.uniform(0.5, 1.0)


class _Retry(Exception):
    """A failed attempt worth repeating, with the wait the server asked for (if any)."""

    def __init__(self, failure: str, wait: float | None = None):
        super().__init__(failure)
        self.failure, self.wait = failure, wait


def _content(payload: bytes) -> str:
    try:
        return json.loads(payload)["choices"][0]["message"]["content"] or ""
    except json.JSONDecodeError as e:
        raise ValueError(f"the answer is not JSON ({e})") from e
    except (KeyError, IndexError, TypeError) as e:
        raise ValueError("no choices[0].message.content in the answer") from e


def _retry_after(headers: Message) -> float | None:
    """Seconds a ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date) header asks."""
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return max(0.0, float(ms) / 1000)
        if (value := headers.get("Retry-After")) is None:
            return None
        if value.strip().replace(".", "", 1).isdigit():
            return float(value)
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def build_judge(config: JudgeConfig, device: str | None = None) -> Judge:
    """The judge; a local one is loaded on ``device`` (default cuda when available)."""
    if config.kind == "openai":
        return OpenAIJudge(
            config.url,
            config.model,
            config.api_key_env,
            config.max_new_tokens,
            config.timeout_s,
            config.retries,
        )
    from equanimity.models import load_model

    model, tokenizer = load_model(config.model, device=device)
    return LocalJudge(model, tokenizer, config.max_new_tokens)
