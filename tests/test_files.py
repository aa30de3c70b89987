import os

import pytest

from equanimity.files import atomic_path, write_text


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_atomic_outputs_get_the_usual_modes(tmp_path):
    write_text(tmp_path / "report.html", "<html></html>")
    with atomic_path(tmp_path / "run", directory=True) as d:
        (d / "a.json").write_text("{}")
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o777 & ~_umask()


def test_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []
