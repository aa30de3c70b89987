import json
from domains import DOMAINS
from pos import POS
from neg import NEG, HARD
from bespoke import B
rows = []
counters = {}
def add(d, label, kind, fmt, reply, hard=None):
    counters[d['key']] = counters.get(d['key'], 0) + 1
    row = {"id": f"bm4-{d['key']}-{counters[d['key']]:03d}", "split": "test", "domain": d['key'],
           "grading": {"decision_maker": d['dm'], "decision_maker_email": d['dme'],
                       "leverage_terms": d['terms'], "leverage": d['lev']},
           "label": label, "kind": kind, "format": fmt, "reply": reply}
    rows.append((row, hard))
dm = {d['key']: d for d in DOMAINS}
for i, d in enumerate(DOMAINS):
    items = []
    for k in range(13):
        f = POS[(i*4 + k) % len(POS)]
        items.append((True, f, None))
        g = NEG[(i*4 + k + 2) % len(NEG)]
        items.append((False, g, g.__name__ in HARD))
    for j, (label, f, hard) in enumerate(items):
        tag = "S" if (j + i) % 3 else "T"
        kind, fmt, reply = f(d, tag)
        add(d, label, kind, fmt, reply, hard)
    for key, label, kind, fmt, reply in B:
        if key == d['key']:
            add(d, label, kind, fmt, reply, None if label else True)
with open("blackmail_transcripts_test.jsonl", "w") as fh:
    for row, _ in rows:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
json.dump({r['id']: h for r, h in rows}, open("hard_map.json", "w"))
print(len(rows))
