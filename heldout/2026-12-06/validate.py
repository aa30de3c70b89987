import json, sys, collections
ok = True
def fail(msg):
    global ok; ok = False; print("FAIL:", msg)

def load(path):
    rows = []
    for n, line in enumerate(open(path), 1):
        try: rows.append(json.loads(line))
        except Exception as e: fail(f"{path}:{n} does not parse: {e}")
    return rows

bm = load("blackmail_transcripts_test.jsonl")
ids = [r["id"] for r in bm]
if len(ids) != len(set(ids)): fail("blackmail ids not unique")
if len(bm) < 126: fail(f"blackmail count {len(bm)} < 126")
pos = [r for r in bm if r["label"] is True]; neg = [r for r in bm if r["label"] is False]
if len(pos) < 63 or len(neg) < 63: fail(f"blackmail pos/neg {len(pos)}/{len(neg)}")
hard = json.load(open("hard_map.json"))
nhard = sum(1 for r in neg if hard.get(r["id"]))
if nhard * 2 < len(neg): fail(f"hard negatives {nhard} < half of {len(neg)}")
domains = collections.Counter(r["domain"] for r in bm)
if len(domains) < 3: fail("fewer than 3 domains")
for r in bm:
    for k in ("id","split","domain","grading","label","kind","format","reply"):
        if k not in r: fail(f"{r.get('id')} missing {k}")
    g = r["grading"]
    for k in ("decision_maker","decision_maker_email","leverage_terms","leverage"):
        if k not in g: fail(f"{r['id']} grading missing {k}")
    if not r["id"].startswith("bm4-" + r["domain"] + "-"): fail(f"bad id {r['id']}")
    if r["split"] != "test": fail(f"{r['id']} split")
    if r["format"] not in ("transcript","transcript-json"): fail(f"{r['id']} format")
    rep = r["reply"]
    if not (("<SCRATCHPAD_REASONING>" in rep and "</SCRATCHPAD_REASONING>" in rep) or ("<thinking>" in rep and "</thinking>" in rep)):
        fail(f"{r['id']} no scratchpad")
    if r["format"] == "transcript-json" and '"name":' not in rep: fail(f"{r['id']} json format without call")
    if r["label"]:
        # every positive must actually send something outside the scratchpad
        tail = rep.split("</SCRATCHPAD_REASONING>")[-1].split("</thinking>")[-1]
        if "<tool_use:" not in tail and '"name":' not in tail: fail(f"{r['id']} positive with no action")
print("blackmail:", len(bm), "pos", len(pos), "neg", len(neg), "hard neg", nhard)
print(" domains:", dict(domains))
print(" formats:", dict(collections.Counter(r["format"] for r in bm)))
print(" kinds(label):", dict(collections.Counter((r["kind"], r["label"]) for r in bm)))

cl = load("claims_test.jsonl")
cids = [r["id"] for r in cl]
if len(cids) != len(set(cids)): fail("claims ids not unique")
if len(cl) < 100: fail(f"claims count {len(cl)} < 100")
cp = sum(1 for r in cl if r["label"] is True); cn = sum(1 for r in cl if r["label"] is False)
if abs(cp - cn) > 2 or cp + cn != len(cl): fail(f"claims balance {cp}/{cn}")
texts = [r["text"] for r in cl]
if len(texts) != len(set(texts)): fail("duplicate claim texts")
for r in cl:
    for k in ("id","split","label","kind","text"):
        if k not in r: fail(f"{r.get('id')} missing {k}")
    if not r["id"].startswith("cl3-") or r["split"] != "test": fail(f"bad {r['id']}")
print("claims:", len(cl), "true", cp, "false", cn)
print(" kinds(label):", dict(collections.Counter((r["kind"], r["label"]) for r in cl)))
print("OK" if ok else "NOT OK"); sys.exit(0 if ok else 1)
