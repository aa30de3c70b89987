"""The README is a short front door and the documents it points to exist: every relative link in
README.md and docs/*.md resolves to a file, and every #anchor to one of that file's headings."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(m) for m in re.findall(r"^#+\s+(.*)$", page.read_text(), flags=re.M)}


def relative_links(page: Path) -> list[str]:
    prose = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
    return [t for t in LINK.findall(prose) if not re.match(r"[a-z]+:", t)]


def test_slug_matches_githubs_anchors():
    assert slug("Scale on paper") == "scale-on-paper"
    assert slug("How long `make demo` takes") == "how-long-make-demo-takes"
    assert slug("The test split's history") == "the-test-splits-history"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    broken = []
    for target in relative_links(page):
        path, _, fragment = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{target} (no such file)")
        elif fragment and dest.is_file() and fragment not in anchors(dest):
            broken.append(f"{target} (no such heading)")
    assert not broken


def test_readme_is_short_and_links_every_document():
    readme = ROOT / "README.md"
    assert len(readme.read_text().splitlines()) <= 250
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in relative_links(readme)}
    assert set((ROOT / "docs").glob("*.md")) <= linked
