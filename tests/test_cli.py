import subprocess
import sys

import pytest

from equanimity.cli import build_parser, main


def _run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "equanimity", *args], capture_output=True, text=True, env=env
    )


def test_help_lists_the_design_commands():
    out = _run("--help")
    assert out.returncode == 0
    for command in ["data", "vector", "train", "eval", "compare", "ablate", "run", "model"]:
        assert f"    {command} " in out.stdout


def test_unknown_option_on_a_real_command_is_a_usage_error():
    with pytest.raises(SystemExit) as exc:
        build_parser()
        main(["model", "prepare", "--bogus"])
    assert exc.value.code == 2


def test_model_show_bad_layer_is_one_line_exit_2(tiny_model_dir):
    out = _run("model", "show", str(tiny_model_dir), "--layers", "9")
    assert out.returncode == 2
    assert out.stderr.strip().splitlines()[-1] == (
        "equanimity model: error: layer index 9 is out of range: this model has 4 decoder "
        "layers (0..3)"
    )


def test_model_show_unknown_spec_exit_2(tmp_path):
    out = _run("model", "show", str(tmp_path / "missing"))
    assert out.returncode == 2
    assert "unknown model spec" in out.stderr.strip().splitlines()[-1]


def test_model_show_adapter_for_other_model_exit_2(tiny_model_dir, tmp_path):
    (tmp_path / "adapter").mkdir()
    out = _run("model", "show", str(tiny_model_dir), "--adapter", str(tmp_path / "adapter"))
    assert out.returncode == 2
    assert "no adapter_config.json" in out.stderr.strip().splitlines()[-1]


def test_model_show_prints_reply_and_norms(tiny_model_dir):
    out = _run(
        "model",
        "show",
        str(tiny_model_dir),
        "--prompt",
        "hello",
        "--layers",
        "1,3",
        "--max-new-tokens",
        "4",
    )
    assert out.returncode == 0, out.stderr
    assert "decoder blocks, hidden size 32" in out.stdout
    rows = [
        line.split() for line in out.stdout.splitlines() if line.strip().startswith(("1 ", "3 "))
    ]
    assert [r[0] for r in rows] == ["1", "3"] and all(float(r[1]) > 0 for r in rows)
