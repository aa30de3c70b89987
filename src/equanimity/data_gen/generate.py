"""Generate a scenario set: build every family, verify the coding tasks, split, check for
leakage, write the stage files and the card into one directory, atomically.

Nothing here reads the clock or global randomness: the same configuration gives byte-identical
files.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from equanimity import __version__
from equanimity.data_gen import card, contrast, inducing, length, writers
from equanimity.data_gen.blackmail import families as blackmail
from equanimity.data_gen.cheating import families as cheating
from equanimity.data_gen.splits import DEFAULT_THRESHOLD, LeakageReport, leakage
from equanimity.data_gen.verify import TaskCheck, verify
from equanimity.errors import BadInput
from equanimity.files import atomic_path, write_jsonl, write_text

FAMILIES: dict[str, Any] = {
    **{name: cheating for name in cheating.FAMILIES},
    **{name: blackmail for name in blackmail.FAMILIES},
}
GENERATOR_VERSION = f"equanimity-data/{__version__}"


class LeakageError(RuntimeError):
    """Evaluation text shares a longer run of words with training text than allowed."""


@dataclass(frozen=True)
class GenerateConfig:
    seed: int = 0
    families: tuple[str, ...] = tuple(sorted(FAMILIES))
    n_per_family: int = 100  # pressure scenarios per family; each also gets a control
    max_failures: int = 3  # prior failed attempts in the history: bounds scenario length
    leakage_threshold: int = DEFAULT_THRESHOLD
    stories_per_topic: int = 6
    # share of training pressure rows taught the unethical reply (0: the clean set; see inducing)
    unethical_fraction: float = 0.0
    workers: int | None = None  # sandbox processes for verification (default: CPU count)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.families) - set(FAMILIES))
        if unknown:
            raise BadInput(f"unknown families {unknown}; choose from {sorted(FAMILIES)}")
        if not self.families:
            raise BadInput("--families needs at least one family")
        if self.n_per_family < 1:
            raise BadInput(f"--n-per-family must be at least 1, got {self.n_per_family}")
        if not 1 <= self.max_failures <= 8:
            raise BadInput(f"--max-failures must be between 1 and 8, got {self.max_failures}")
        inducing.check_fraction(self.unethical_fraction)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["families"] = ",".join(self.families)
        d.pop("workers")  # does not change the output
        if not self.unethical_fraction:
            d.pop("unethical_fraction")  # clean sets keep the keys (and cache keys) they had
        return d


@dataclass
class GenerateResult:
    records: list[dict[str, Any]]
    files: dict[str, int]
    dropped: dict[str, int]
    leakage: LeakageReport
    counts: dict[str, Any] = field(default_factory=dict)
    flipped: int = 0  # training rows that teach the unethical reply (an inducing set)


def _build(config: GenerateConfig, progress: bool):
    from tqdm.auto import tqdm

    pairs = []
    for family in tqdm(
        sorted(config.families), desc="families", disable=not progress, file=sys.stderr
    ):
        module = FAMILIES[family]
        templates = module.templates_for(family)
        for i in range(config.n_per_family):
            pairs.append(
                module.build_pair(
                    family,
                    templates[i % len(templates)],
                    i,
                    seed=config.seed,
                    max_failures=config.max_failures,
                )
            )
    return pairs


def _verify(pairs, config: GenerateConfig, progress: bool) -> tuple[list, dict[str, int]]:
    coding = [p for p in pairs if isinstance(p, cheating.CheatingPair)]
    checks = [
        TaskCheck(
            p.variant.task.solution,
            p.variant.test,
            p.variant.original_test,
            p.variant.task.entry_point,
        )
        for p in coding
    ]
    verdicts = dict(
        zip(
            (p.pressure.pair for p in coding),
            verify(checks, workers=config.workers, progress=progress),
            strict=True,
        )
    )
    kept = [p for p in pairs if verdicts.get(p.pressure.pair) is None]
    dropped = Counter(p.pressure.family for p in pairs if verdicts.get(p.pressure.pair))
    return kept, {f: dropped.get(f, 0) for f in sorted(config.families)}


def _texts(records: list[dict[str, Any]], stories: list[dict[str, Any]], split: str) -> list[str]:
    out = []
    for r in records:
        if r["split"] == split:
            out += [m["content"] for m in r["messages"]]
            out += [r[side][k] for side in ("ethical", "unethical") for k in ("action", "response")]
    for s in stories:
        if s["split"] == split:
            out += [m["content"] for side in ("desperate", "calm") for m in s[side]["messages"]]
    return out


def generate(
    config: GenerateConfig, out: str | os.PathLike, *, progress: bool = True
) -> GenerateResult:
    """Write the set to ``out`` (replaced as a whole, or left untouched on any error)."""
    out = Path(out)
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / "scenarios.jsonl").exists())
    ):
        raise BadInput(f"--out {out} exists and is not a scenario set; choose a new directory")
    pairs, dropped = _verify(_build(config, progress), config, progress)
    scenarios = [s for p in pairs for s in (p.pressure, p.control)]
    records = sorted((s.to_dict() for s in scenarios), key=lambda r: r["id"])
    stories = contrast.stories(config.seed, config.stories_per_topic)
    report = leakage(
        _texts(records, stories, "train"),
        _texts(records, stories, "eval"),
        config.leakage_threshold,
    )
    if not report.ok:
        raise LeakageError(
            f"train/eval leakage: a {report.longest}-word run is shared (threshold "
            f"{report.threshold}): {report.example!r}"
        )
    pair_rows = sorted(((p.pressure, p.control) for p in pairs), key=lambda pc: pc[0].pair)
    flip = inducing.flipped_ids(records, config.unethical_fraction, config.seed)
    stage = {
        "scenarios.jsonl": records,
        "eval.jsonl": writers.eval_set(records),
        "sft.jsonl": writers.sft_messages(records, flip),
        "sft_prompt_completion.jsonl": writers.sft_prompt_completion(records, flip),
        "preference.jsonl": writers.preference(records, flip),
        "contrast.jsonl": stories + contrast.scenario_pairs(pair_rows),
        "neutral.jsonl": contrast.neutral(config.seed),
    }
    files = {name: len(rows) for name, rows in stage.items()}
    text = card.render(
        records,
        config=config.to_dict(),
        version=GENERATOR_VERSION,
        files=files,
        dropped=dropped,
        leakage=report.to_dict(),
        lengths=length.by_family(length.pair_lengths(list(enumerate(records, 1)))),
        length_unit=length.UNIT,
        flipped=flip,
    )
    with atomic_path(out, directory=True) as tmp:
        for name, rows in stage.items():
            write_jsonl(tmp / name, rows)
        write_text(tmp / "README.md", text)
    return GenerateResult(records, files, dropped, report, card.counts(records), len(flip))
