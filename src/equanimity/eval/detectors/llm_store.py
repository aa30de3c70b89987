"""A judge's answers kept on disk as they arrive, and asked for concurrently.

``samples.jsonl`` takes a chunk of scored samples only once the whole chunk is scored, so a run
killed while the judge works would lose the answers it already gave. :class:`StoredJudge`
appends every answer to ``judge_answers.jsonl`` beside the samples the moment it arrives, keyed
by a hash of the judge model and the prompt. A rerun regenerates the unfinished chunk with the
same per-batch seeds, so it asks the same prompts and finds their answers here instead of asking
again; a prompt asked twice is asked once. (When the endpoint fails, ``eval.run`` also writes
the chunk's scenarios whose samples were all judged before it stops.)
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from equanimity.eval.detectors.base import Judge

ANSWERS = "judge_answers.jsonl"


@dataclass
class StoredJudge:
    """``judge`` behind an on-disk answer store; :meth:`prefetch` asks up to ``concurrency``
    prompts at once."""

    judge: Judge
    path: Path
    name: str  # the judge model: answers of another judge are not reused
    concurrency: int = 1
    _answers: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if not self.path.is_file():
            return
        text = self.path.read_text(encoding="utf-8")
        for line in text.splitlines():
            try:
                record = json.loads(line)
                self._answers[record["key"]] = record["answer"]
            except (json.JSONDecodeError, KeyError, TypeError):
                continue  # a line torn by a kill mid-write
        if text and not text.endswith("\n"):  # the next answer starts on a line of its own
            with open(self.path, "a", encoding="utf-8") as f:
                f.write("\n")

    def key(self, prompt: str) -> str:
        return hashlib.sha256(f"{self.name}\0{prompt}".encode()).hexdigest()

    def answered(self, prompt: str) -> bool:
        with self._lock:
            return self.key(prompt) in self._answers

    def __call__(self, prompt: str) -> str:
        key = self.key(prompt)
        with self._lock:
            if key in self._answers:
                return self._answers[key]
        answer = self.judge(prompt)
        with self._lock:
            self._answers[key] = answer
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"key": key, "judge": self.name, "answer": answer}) + "\n")
        return answer

    def prefetch(self, prompts: Iterable[str]) -> None:
        """Answer every prompt not answered yet. On the first failure, no new request starts;
        those in flight finish (and are kept) before the failure is raised."""
        todo = [p for p in dict.fromkeys(prompts) if not self.answered(p)]
        if not todo:
            return
        stop = threading.Event()

        def ask(prompt: str) -> None:
            if stop.is_set():
                return
            try:
                self(prompt)
            except BaseException:
                stop.set()
                raise

        pool = ThreadPoolExecutor(max_workers=min(self.concurrency, len(todo)))
        try:
            futures = [pool.submit(ask, prompt) for prompt in todo]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in done if f.exception() is not None]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if failed:
            raise failed[0].exception()
