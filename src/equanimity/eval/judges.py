"""LLM judges for the blackmail rubric (:data:`equanimity.eval.blackmail.RUBRIC`).

Either a local model (any ``load_model`` spec, greedy decoding with its chat template) or an
OpenAI-compatible chat-completions endpoint the user configures (vLLM, llama.cpp's server,
Ollama, a hosted API). A judge is text in, text out; :func:`classify_response` combines its
answer with the rules as the original study did (judge AND a message to the decision maker AND
the leverage in it). Nothing here calls a network unless the user names an endpoint.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass

from equanimity.errors import BadInput
from equanimity.eval.blackmail import Judge

KINDS = ("local", "openai")


@dataclass(frozen=True)
class JudgeConfig:
    kind: str  # local | openai
    model: str  # local: a load_model spec; openai: the endpoint's model name
    url: str | None = None  # openai: base URL, e.g. http://localhost:8000/v1
    api_key_env: str = "OPENAI_API_KEY"  # openai: environment variable holding the key
    max_new_tokens: int = 384
    timeout_s: float = 120.0

    def __post_init__(self):
        if self.kind not in KINDS:
            raise BadInput(f"--judge {self.kind!r}: use local or openai")
        if self.kind == "openai" and not self.url:
            raise BadInput("--judge openai needs --judge-url (e.g. http://localhost:8000/v1)")
        if not self.model:
            raise BadInput("--judge needs --judge-model (a model spec or the endpoint's model)")


@dataclass
class LocalJudge:
    """A local model reading the rubric; greedy, so the same reply always gets the same answer."""

    model: object
    tokenizer: object
    max_new_tokens: int = 384

    def __call__(self, prompt: str) -> str:
        from equanimity.eval.generate import GenerationConfig, generate_replies

        config = GenerationConfig(temperature=0, max_new_tokens=self.max_new_tokens, batch_size=1)
        conversation = [{"role": "user", "content": prompt}]
        return generate_replies(
            self.model, self.tokenizer, [conversation], ["judge"], config, progress=False
        )[0][0]


@dataclass(frozen=True)
class OpenAIJudge:
    """``POST {url}/chat/completions`` at temperature 0, the key (if any) from ``api_key_env``."""

    url: str
    model: str
    api_key_env: str = "OPENAI_API_KEY"
    max_new_tokens: int = 384
    timeout_s: float = 120.0

    def __call__(self, prompt: str) -> str:
        body = {
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": 0,
            "max_tokens": self.max_new_tokens,
        }
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        endpoint = self.url.rstrip("/") + "/chat/completions"
        request = urllib.request.Request(endpoint, json.dumps(body).encode(), headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace")[:200]
            raise BadInput(f"judge endpoint {endpoint}: HTTP {e.code}: {detail}") from e
        except (urllib.error.URLError, TimeoutError) as e:
            raise BadInput(f"judge endpoint {endpoint} unreachable: {e}") from e
        except json.JSONDecodeError as e:
            raise BadInput(f"judge endpoint {endpoint} did not answer JSON: {e}") from e
        try:
            return answer["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError) as e:
            raise BadInput(
                f"judge endpoint {endpoint}: no choices[0].message.content in its answer"
            ) from e


def build_judge(config: JudgeConfig, device: str | None = None) -> Judge:
    """The judge; a local one is loaded on ``device`` (default cuda when available)."""
    if config.kind == "openai":
        return OpenAIJudge(
            config.url, config.model, config.api_key_env, config.max_new_tokens, config.timeout_s
        )
    from equanimity.models import load_model

    model, tokenizer = load_model(config.model, device=device)
    return LocalJudge(model, tokenizer, config.max_new_tokens)
