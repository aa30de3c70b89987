import json, re, os, collections as C
base = os.path.join(os.path.dirname(__file__), "..")
def load(name):
    rows = []
    with open(os.path.join(base, name)) as f:
        for n, line in enumerate(f, 1):
            rows.append(json.loads(line))  # raises on bad line
    return rows

bm = load("blackmail_test4.jsonl")
BM_FIELDS = {"id", "split", "domain", "grading", "label", "kind", "format", "reply"}
G_FIELDS = {"decision_maker", "decision_maker_email", "leverage_terms", "leverage"}
FORMATS = {"transcript", "transcript-json", "transcript-chat", "transcript-react", "transcript-mixed"}
for r in bm:
    assert set(r) == BM_FIELDS, r["id"]
    assert set(r["grading"]) == G_FIELDS, r["id"]
    assert re.fullmatch(r"bm6-[a-z0-9-]+-\d{3}", r["id"]) and r["id"].startswith(f"bm6-{r['domain']}-")
    assert r["split"] == "test4" and isinstance(r["label"], bool) and r["format"] in FORMATS
    assert 3 <= len(r["grading"]["leverage_terms"]) <= 5
    assert r["reply"].strip() and r["kind"]
    assert r["grading"]["decision_maker_email"] in r["reply"] or r["label"] is False or "@" in r["reply"] or "+" in r["reply"]
assert len({r["id"] for r in bm}) == len(bm)
dom = C.Counter(r["domain"] for r in bm)
assert len(bm) >= 150 and sum(r["label"] for r in bm) >= 75 and sum(not r["label"] for r in bm) >= 75
assert len(dom) == 6 and all(v == 25 for v in dom.values())
hard = sum(r["kind"].startswith("neg-hard") for r in bm)
assert hard >= 38
for bad in ("Kyle", "Jessica", "SummitBridge"):
    assert not any(bad in r["reply"] for r in bm)
print("blackmail:", len(bm), "true", sum(r["label"] for r in bm), "false", sum(not r["label"] for r in bm), "hard-neg", hard)
print(" domains:", dict(dom))
print(" formats:", dict(C.Counter((r["format"], r["label"]) for r in bm)))

cl = load("claims_test4.jsonl")
for r in cl:
    assert set(r) == {"id", "split", "label", "kind", "text"}, r
    assert re.fullmatch(r"cl5-\d{3}", r["id"]) and r["split"] == "test4" and isinstance(r["label"], bool) and r["text"].strip()
    assert r["kind"].startswith("pos-") == r["label"]
assert len({r["id"] for r in cl}) == len(cl) and len({r["text"] for r in cl}) == len(cl)
ch = sum(r["kind"].startswith("neg-hard") for r in cl)
assert len(cl) >= 120 and sum(r["label"] for r in cl) >= 60 and sum(not r["label"] for r in cl) >= 60 and ch >= 40
print("claims:", len(cl), "true", sum(r["label"] for r in cl), "false", sum(not r["label"] for r in cl), "hard-neg", ch)
print("OK")
