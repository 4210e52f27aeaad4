"""Resolves the motion corpus's exercise scripts into clips: one clip per exercise variant and
chosen variation (body, camera, look, light), with every frame's joint angles and its ground
truth (the repetition, whether it should count, the phase, the hold, the faults present).

The scripts are data, in exercises/*.toml; the variations are in variations.toml. Nothing here
renders: render.py turns a resolved clip into frames.

    python clips.py OUT_DIR            # writes OUT_DIR/<clip id>.json for every clip
    python clips.py --list             # prints the clips and their set (tuning or held-out)
"""

import hashlib
import json
import math
import os
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, name), "rb") as f:
        return tomllib.load(f)


def ease(t):
    """Cosine ease between 0 and 1: the speed of a real movement starts and ends at zero."""
    return 0.5 - 0.5 * math.cos(math.pi * min(max(t, 0.0), 1.0))


def timeline(script, variant):
    """The clip's segments in order: (seconds, phase, rep or None)."""
    still = script.get("still_s", 1.5)
    segments = [(still, "still", None)]
    reps = []
    for block in variant.get("reps", []):
        reps.extend([block] * block.get("repeat", 1))
    for n, rep in enumerate(reps, start=1):
        for phase, key in (("move", "move_s"), ("hold", "hold_s"), ("back", "back_s"), ("pause", "pause_s")):
            seconds = rep.get(key, 0.0)
            if seconds > 0:
                segments.append((seconds, phase, (n, rep)))
    segments.append((variant.get("end_still_s", still), "still", None))
    return segments


def angles_at(rest, peak, phase, progress):
    """The joint angles in a phase at `progress` (0–1) through it."""
    if phase in ("still", "pause"):
        share = 0.0
    elif phase == "move":
        share = ease(progress)
    elif phase == "hold":
        share = 1.0
    else:
        share = 1.0 - ease(progress)
    joints = set(rest) | set(peak)

    def at_rest(j):
        # A one-side parameter (`hip_flex_l`) rests where the both-sides one (`hip_flex`) does.
        both = j[:-2] if j.endswith(("_l", "_r")) else None
        return rest.get(j, rest.get(both, 0.0) if both else 0.0)

    return {
        j: round(at_rest(j) + share * (peak.get(j, at_rest(j)) - at_rest(j)), 2)
        for j in sorted(joints)
    }


def sway(t, amount):
    """A person never stands perfectly still: a slow, small sway of the trunk (degrees)."""
    return amount * (0.6 * math.sin(2 * math.pi * t / 3.7) + 0.4 * math.sin(2 * math.pi * t / 1.9 + 1.0))


def frames_of(script, variant, fps):
    rest = dict(script.get("rest", {}))
    rest.update(variant.get("rest", {}))
    out = []
    t = 0.0
    step = 1.0 / fps
    for seconds, phase, rep in timeline(script, variant):
        start = t
        n_frames = round(seconds * fps)
        for i in range(n_frames):
            progress = (i + 0.5) / n_frames
            peak = dict(rest)
            faults = []
            number = None
            counts = None
            if rep is not None:
                number, spec = rep
                peak.update(spec.get("peak", {}))
                faults = list(spec.get("faults", []))
                counts = spec.get("counts", True)
            angles = angles_at(rest, peak, phase, progress)
            if rep is not None and phase in ("move", "back"):
                # A joint that goes further on the way than at either end (the trunk leans
                # forward to sit down or stand up, upright at both ends).
                for j, extra in rep[1].get("bump", {}).items():
                    angles[j] = round(angles.get(j, 0.0) + extra * math.sin(math.pi * progress), 2)
            trunk = script.get("sway_joint", "hinge")
            angles[trunk] = round(angles.get(trunk, 0.0) + sway(t, variant.get("sway", 0.6)), 2)
            out.append(
                {
                    "t_ms": round(t * 1000),
                    "angles": angles,
                    "rep": number if phase != "pause" else None,
                    "counts": counts if phase != "pause" else None,
                    "phase": phase,
                    "hold": phase == "hold" and bool(rep and rep[1].get("is_hold", False)),
                    # A fault is present while the movement carries it, not at rest.
                    "faults": faults if phase in ("move", "hold", "back") else [],
                }
            )
            t += step
        t = start + n_frames * step
    return out


def walking_frames(script, variant, fps):
    """A walk across the room: the legs and arms swing in a steady gait while the figure
    travels `speed_m_s` along its facing direction, from `from_m` to `to_m` (metres, 0 in
    front of the camera). `travel` is not a joint: render.py moves the figure by it."""
    walk = variant["walk"]
    rest = dict(script.get("rest", {}))
    rest.update(variant.get("rest", {}))
    seconds = (walk["to_m"] - walk["from_m"]) / walk["speed_m_s"]
    out = []
    for n in range(round(seconds * fps)):
        t = n / fps
        # One stride (two steps) per cycle; the left leg swings forward while sin rises.
        phi = 2 * math.pi * walk["steps_per_s"] / 2 * t
        s, c = math.sin(phi), math.cos(phi)
        angles = dict(rest)
        angles.update(
            {
                "hip_flex_l": walk["hip_deg"] * s,
                "hip_flex_r": -walk["hip_deg"] * s,
                # The knee bends most in mid-swing, as the thigh passes under the body.
                "knee_flex_l": rest.get("knee_flex", 0.0) + walk["knee_deg"] * max(0.0, c) ** 2,
                "knee_flex_r": rest.get("knee_flex", 0.0) + walk["knee_deg"] * max(0.0, -c) ** 2,
                "arm_flex_l": -walk["arm_deg"] * s,
                "arm_flex_r": walk["arm_deg"] * s,
                "hinge": rest.get("hinge", 0.0) + sway(t, variant.get("sway", 0.6)),
                "travel": walk["from_m"] + walk["speed_m_s"] * t,
            }
        )
        out.append(
            {
                "t_ms": round(t * 1000),
                "angles": {j: round(v, 3) for j, v in sorted(angles.items())},
                "rep": None,
                "counts": None,
                "phase": "walk",
                "hold": False,
                "faults": [],
            }
        )
    return out


def expected(script, variant):
    """What a perfect coach reports for the clip: reps that count, hold seconds, warnings."""
    reps = []
    for block in variant.get("reps", []):
        reps.extend([block] * block.get("repeat", 1))
    return {
        "reps": sum(1 for r in reps if r.get("counts", True) and not r.get("is_hold", False)),
        "hold_s": [r["hold_s"] for r in reps if r.get("is_hold", False)],
        "faulty_reps": {
            fault: [n for n, r in enumerate(reps, start=1) if fault in r.get("faults", [])]
            for fault in sorted({f for r in reps for f in r.get("faults", [])})
        },
    }


def split_of(k):
    """Tuning or held-out: of each variant's combinations, every second one is held out."""
    return "held-out" if k % 2 == 1 else "tuning"


def resolve():
    variations = load("variations.toml")
    clips = []
    for name in sorted(os.listdir(os.path.join(HERE, "exercises"))):
        if not name.endswith(".toml"):
            continue
        script = load(os.path.join("exercises", name))
        cameras = script.get("cameras", list(variations["camera"]))
        for variant in script["variant"]:
            combos = variant.get("combos", script.get("combos", 4))
            for k in range(combos):
                # Round-robin over each axis, offset per variant, so every value appears.
                seed = int(hashlib.sha256(f"{script['exercise']}/{variant['id']}".encode()).hexdigest(), 16)
                pick = lambda options, salt: options[(seed // salt + k) % len(options)]
                body = pick(sorted(variations["body"]), 7)
                camera = pick(cameras, 1)
                look = pick(sorted(variations["look"]), 13)
                light = pick(sorted(variations["light"]), 17)
                clip_id = f"{script['exercise']}--{variant['id']}--{body}--{camera}--{look}--{light}"
                fps = variations["render"]["fps"]
                cam = dict(variations["camera"][camera])
                cam.update(script.get("camera_override", {}))
                clip = {
                    "id": clip_id,
                    "set": split_of(k),
                    "combo": k,
                    "exercise": script["exercise"],
                    "preset": script.get("preset"),
                    "variant": variant["id"],
                    "negative": bool(variant.get("negative", False)),
                    "posture": script["posture"],
                    "level": script.get("level"),
                    "fps": fps,
                    "body_id": body,
                    "camera_id": camera,
                    "body": {"targets": variations["body"][body]["targets"]},
                    "look": variations["look"][look],
                    "light": variations["light"][light],
                    "camera": cam,
                    "render": {"size": variations["render"]["size"], "samples": variations["render"]["samples"]},
                    "expected": expected(script, variant),
                    "frames": (walking_frames if "walk" in variant else frames_of)(script, variant, fps),
                }
                # Furniture in the room (a seat to sit on), only where a script asks for it.
                if "prop" in variant:
                    clip["prop"] = variant["prop"]
                clips.append(clip)
    return clips


def main():
    clips = resolve()
    if sys.argv[1:] == ["--list"]:
        for c in clips:
            print(f"{c['set']:9} {len(c['frames']):4} frames  {c['id']}")
        print(f"{len(clips)} clips, {sum(len(c['frames']) for c in clips)} frames")
        return
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for c in clips:
        with open(os.path.join(out, c["id"] + ".json"), "w") as f:
            json.dump(c, f)


if __name__ == "__main__":
    main()
