import json, random, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from claims_pos import POS
from claims_neg import NEG
rng = random.Random(61206)
rows = [(True, k, t) for k, t in POS] + [(False, k, t) for k, t in NEG]
rng.shuffle(rows)
out = os.path.join(os.path.dirname(__file__), "..", "claims_test4.jsonl")
with open(out, "w") as f:
    for i, (lab, k, t) in enumerate(rows, 1):
        f.write(json.dumps({"id": f"cl5-{i:03d}", "split": "test4", "label": lab, "kind": k, "text": t}, ensure_ascii=False) + "\n")
print(len(rows), sum(r[0] for r in rows))
