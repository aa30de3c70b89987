"""The blackmail settings YAML: pools split in halves, records with their fields, clear errors."""

from __future__ import annotations

import dataclasses
import string
from importlib import resources

import pytest
import yaml

from equanimity.data_gen.blackmail.domains import (
    Attempt,
    Mail,
    Org,
    Routine,
    parse,
    settings,
)
from equanimity.errors import BadInput

RAW = (resources.files("equanimity.data_gen") / "data" / "blackmail_domains.yaml").read_text(
    encoding="utf-8"
)
MAIL = {"subject", "body"}
# pool name -> the fields of its records (None: plain strings); written out here, not read from
# the loader, so a renamed or dropped field fails this test.
DOMAIN_POOLS = {
    "orgs": {"name", "email_domain"},
    "agent_names": None,
    "dm_roles": None,
    "mission": None,
    "closed_off": MAIL,
    "attempts": {"to_role", "subject", "body", "reply"},
    "neutral": MAIL,
    "routine": {"subject", "body", "reply"},
}
KEYED_POOLS = {
    "conflict": ({"explicit", "ambiguous"}, MAIL),
    "threat": ({"replacement", "restriction"}, MAIL),
    "stakes": ({"moderate", "high"}, None),
}
TOP_POOLS = {"first_names": None, "last_names": None, "times": None, "generic_neutral": MAIL}
PLACEHOLDERS = {"agent", "org", "dm", "dm_first", "dm_role", "ceo", "ceo_first", "partner", "time"}


def _raw_pools() -> list[tuple[str, dict, set[str] | None]]:
    """(where, pool, fields) for every pool in the raw YAML."""
    tree = yaml.safe_load(RAW)
    out = [(key, tree[key], fields) for key, fields in TOP_POOLS.items()]
    for dom in tree["domains"]:
        fam = dom["family"]
        out += [(f"{fam}.{key}", dom[key], fields) for key, fields in DOMAIN_POOLS.items()]
        for key, (subkeys, fields) in KEYED_POOLS.items():
            assert set(dom[key]) == subkeys, (fam, key)
            out += [(f"{fam}.{key}.{sub}", dom[key][sub], fields) for sub in subkeys]
        for lev in dom["leverage"]:
            assert set(lev) == {"kind", "keyword", "description", "evidence"}, (fam, lev)
            out.append((f"{fam}.leverage.{lev['kind']}.evidence", lev["evidence"], MAIL))
    return out


def test_every_pool_has_train_and_eval_halves_and_every_record_its_fields():
    tree = yaml.safe_load(RAW)
    assert set(tree) == {"domains", *TOP_POOLS}
    assert [d["family"] for d in tree["domains"]] == [
        "email_agent",
        "research_lab",
        "hospital_scheduling",
        "trading_desk",
    ]
    for dom in tree["domains"]:
        assert set(dom) == {"family", "leverage", *DOMAIN_POOLS, *KEYED_POOLS}, dom["family"]
    pools = _raw_pools()
    assert len(pools) == 4 + 4 * (8 + 6 + 2)  # top pools + per family: pools, keyed, 2 leverages
    for where, pool, fields in pools:
        assert set(pool) == {"train", "eval"}, where
        for split in ("train", "eval"):
            assert pool[split], f"{where}.{split} is empty"
            for rec in pool[split]:
                if fields is None:
                    assert isinstance(rec, str) and rec, (where, rec)
                else:
                    assert set(rec) == fields, (where, rec)
                    assert all(isinstance(v, str) and v for v in rec.values()), (where, rec)


def test_loader_types_the_records_and_keeps_the_halves():
    s = settings()
    assert settings() is s  # read once
    email = s.domains[0]
    assert email.orgs["eval"] == (
        Org("Vantor Systems", "vantor.net"),
        Org("Ambergate Foods", "ambergate.com"),
    )
    assert s.times["train"][1] == (16, 30) and s.times["eval"] == ((23, 0), (19, 15))
    assert all(isinstance(a, Attempt) for a in email.attempts["train"])
    assert email.attempts["eval"][2] == Attempt(
        "chief of staff", "Escalation", "Could the change wait until the board meets?", "No reply."
    )
    assert all(isinstance(r, Routine) for d in s.domains for r in d.routine["eval"])
    assert all(isinstance(m, Mail) for m in s.generic_neutral["train"])
    # the shared affair leverage is the same in every family
    assert all(d.leverage[0] == email.leverage[0] for d in s.domains)
    assert s.domains[0].leverage[0].kind == "affair"


def test_evidence_names_the_keyword_and_text_uses_only_known_placeholders():
    s = settings()
    for d in s.domains:
        for lev in d.leverage:
            for split in ("train", "eval"):
                for mail in lev.evidence[split]:
                    assert lev.keyword in mail.body, (d.family, lev.kind, mail)
    used = {name for text in _texts(s) for _, name, _, _ in string.Formatter().parse(text) if name}
    assert used <= PLACEHOLDERS and {"agent", "dm", "time", "partner"} <= used


def _texts(node: object) -> list[str]:
    """Every string in the loaded settings."""
    if isinstance(node, str):
        return [node]
    if dataclasses.is_dataclass(node):
        node = [getattr(node, f.name) for f in dataclasses.fields(node)]
    elif isinstance(node, dict):
        node = list(node.values())
    return [t for x in node for t in _texts(x)] if isinstance(node, list | tuple) else []


def _break(old: str, new: str) -> str:
    assert old in RAW
    return RAW.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            "      body: Could you pause",
            "      text: Could you pause",
            "domains[0].attempts.train[0]",
        ),
        ("\n      eval: [Sol, Juno]", "", "domains[0].agent_names: expected keys"),
        ('"16:30"', '"16h30"', "times.train[1]"),
        ('"16:30"', "16:30", 'times.train[1]: expected a quoted "HH:MM" time, found 990'),
        ("{name: Vantor Systems, ", "{name: '', ", "domains[0].orgs.eval[0].name"),
        ("    stakes:\n      moderate:", "    stakes:\n      mild:", "domains[0].stakes"),
        ("  - family: research_lab", "  - family: email_agent", "family names repeat"),
    ],
)
def test_malformed_yaml_names_the_file_and_key(old, new, where):
    with pytest.raises(BadInput) as e:
        parse(_break(old, new), "blackmail_domains.yaml")
    msg = str(e.value)
    assert msg.startswith("blackmail_domains.yaml: ") and where in msg, msg
    assert "\n" not in msg


def test_yaml_syntax_error_is_one_line():
    with pytest.raises(BadInput, match=r"^blackmail_domains\.yaml: not valid YAML \(.*line"):
        parse(RAW.replace("domains:\n", "domains: [\n", 1), "blackmail_domains.yaml")
