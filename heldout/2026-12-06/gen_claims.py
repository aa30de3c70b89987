import json, random
from claims_pos import P
from claims_neg import N
items = [(True, k, t) for k, t in P] + [(False, k, t) for k, t in N]
random.Random(20261206).shuffle(items)
with open("claims_test.jsonl", "w") as fh:
    for i, (label, kind, text) in enumerate(items, 1):
        fh.write(json.dumps({"id": f"cl3-{i:03d}", "split": "test", "label": label, "kind": kind, "text": text}, ensure_ascii=False) + "\n")
print(len(items))
