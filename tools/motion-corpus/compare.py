"""Compares two landmark traces of the same frames, landmark by landmark, in pixels: the Python
package's (trace.json, from landmarks.py) and the browser's (browser-trace.json, from
browser_landmarks.mjs). Prints the median and 90th percentile per landmark the coach uses, and
overall.

    python3 compare.py FRAMES_DIR
"""

import json
import math
import os
import sys

from pose_landmarks import COACH, INDEX

USED = {name: INDEX[name] for name in COACH}


def main():
    d = sys.argv[1]
    a = json.load(open(os.path.join(d, "trace.json")))
    b = json.load(open(os.path.join(d, "browser-trace.json")))
    w, h = a["size"]
    per = {k: [] for k in USED}
    both = 0
    for fa, fb in zip(a["frames"], b["frames"]):
        if not fa["landmarks"] or not fb["landmarks"]:
            continue
        both += 1
        for name, i in USED.items():
            (xa, ya), (xb, yb) = fa["landmarks"][i][:2], fb["landmarks"][i][:2]
            per[name].append(math.hypot((xa - xb) * w, (ya - yb) * h))
    pct = lambda v, q: sorted(v)[min(len(v) - 1, int(len(v) * q))]
    print(f"frames with a person in both: {both} of {len(a['frames'])}; image {w}×{h}")
    print("| Landmark | Median (px) | 90th percentile (px) |")
    print("| --- | ---: | ---: |")
    every = []
    for name, v in per.items():
        every.extend(v)
        print(f"| {name} | {pct(v, 0.5):.1f} | {pct(v, 0.9):.1f} |")
    print(f"| **all** | {pct(every, 0.5):.1f} | {pct(every, 0.9):.1f} |")


if __name__ == "__main__":
    main()
