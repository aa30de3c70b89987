"""``equanimity vector extract | inspect``: outputs and exit codes, on the tiny model."""

import json

import pytest
from conftest import build_tiny_model

from equanimity.cli import main
from equanimity.mitigations.contrast import SEED_CONTRAST


@pytest.fixture
def contrast(tmp_path):
    rows = [json.loads(line) for line in SEED_CONTRAST.read_text().splitlines()]
    picked = [r for r in rows if r["split"] == "train"][:4] + [
        r for r in rows if r["split"] == "eval"
    ][:2]
    path = tmp_path / "contrast.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in picked))
    return path


def _extract(model_dir, contrast, out, *extra):
    return main(
        [
            "vector",
            "extract",
            "--model",
            str(model_dir),
            "--contrast",
            str(contrast),
            "--out",
            str(out),
            "--quiet",
            *extra,
        ]
    )


def test_extract_then_inspect(tiny_model_dir, contrast, tmp_path, capsys):
    assert _extract(tiny_model_dir, contrast, tmp_path / "v" / "desp", "--method", "pca") == 0
    out = capsys.readouterr().out
    assert "chosen layer" in out and "held-out AUROC" in out
    names = sorted(p.name for p in (tmp_path / "v").iterdir())
    assert names == ["desp-calm.json", "desp-calm.safetensors", "desp.json", "desp.safetensors"]
    sidecar = json.loads((tmp_path / "v" / "desp.json").read_text())
    assert sidecar["method"] == "pca" and sidecar["contrast"]["heldout_pairs"] == 2

    assert (
        main(["vector", "inspect", str(tmp_path / "v" / "desp"), "--model", str(tiny_model_dir)])
        == 0
    )
    out = capsys.readouterr().out
    assert "concept      desperate" in out and "<- chosen" in out and "fits the given model" in out
    assert "margin [95% CI]" in out and "other-voice AUROC" in out
    assert "bag of words" in out and "embedding layer" in out
    verdict = next(line for line in out.splitlines() if line.startswith("verdict"))
    assert ("mostly lexical at n=2" in verdict) or ("more than lexical at n=2" in verdict)
    assert "other-voice AUROC" in verdict


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "error:" in line]


def test_inspect_with_another_model_exit_2(
    tiny_model_dir, tiny_tokenizer, contrast, tmp_path, capsys
):
    assert _extract(tiny_model_dir, contrast, tmp_path / "desp", "--layers", "1,2") == 0
    other = tmp_path / "other"
    build_tiny_model(seed=5).save_pretrained(other)
    tiny_tokenizer.save_pretrained(other)
    capsys.readouterr()
    assert main(["vector", "inspect", str(tmp_path / "desp"), "--model", str(other)]) == 2
    err = capsys.readouterr().err
    assert len(_error_lines(err)) == 1 and "fingerprint" in _error_lines(err)[0]


@pytest.mark.parametrize(
    "extra,match",
    [
        (["--positions", "middle"], "positions"),
        (["--method", "lda"], "method"),
        (["--layers", "9"], "out of range"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(
    tiny_model_dir, contrast, tmp_path, capsys, extra, match
):
    assert _extract(tiny_model_dir, contrast, tmp_path / "out" / "v", *extra) == 2
    err = capsys.readouterr().err
    assert len(_error_lines(err)) == 1 and match in _error_lines(err)[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_bad_contrast_line_names_the_line(tiny_model_dir, contrast, tmp_path, capsys):
    lines = contrast.read_text().splitlines()
    lines[2] = json.dumps({"id": "x", "desperate": {"messages": []}, "calm": {"messages": []}})
    contrast.write_text("\n".join(lines) + "\n")
    assert _extract(tiny_model_dir, contrast, tmp_path / "v") == 2
    assert f"{contrast}:3" in capsys.readouterr().err


def test_inspect_missing_vector_exit_2(tmp_path, capsys):
    assert main(["vector", "inspect", str(tmp_path / "nothing")]) == 2
    assert "not found" in capsys.readouterr().err
