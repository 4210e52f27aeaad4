"""Runs MediaPipe Pose (the full model, as the coach page runs it) over a rendered clip's frames
and writes the landmark trace: per frame, the 33 landmarks as the browser sends them (x and y
as fractions of the image, z, visibility), or nothing when no person was found. Also reports
how far the detected joints lie from the rendered truth.

    python landmarks.py CLIP_DIR [--fps 15]

CLIP_DIR holds frame-NNNN.png and truth.json from render.py; trace.json is written beside them.
"""

import glob
import json
import math
import os
import sys

import cv2
import mediapipe as mp

from pose_landmarks import INDEX


def trace_clip(clip_dir):
    truth = json.load(open(os.path.join(clip_dir, "truth.json")))
    fps = truth["clip"]["fps"]
    frames = sorted(glob.glob(os.path.join(clip_dir, "frame-*.png")))
    out = []
    errors = {}
    # Video mode, as in the browser: landmarks are tracked from frame to frame.
    with mp.solutions.pose.Pose(
        static_image_mode=False,
        model_complexity=1,
        smooth_landmarks=True,
        min_detection_confidence=0.5,
        min_tracking_confidence=0.5,
    ) as pose:
        for n, path in enumerate(frames):
            image = cv2.imread(path)
            h, w = image.shape[:2]
            result = pose.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
            t_ms = round(n * 1000 / fps)
            if result.pose_landmarks is None:
                out.append({"t_ms": t_ms, "landmarks": None})
                continue
            # As the browser sends them: x and y as fractions of the image, z, visibility.
            lms = [
                [round(l.x, 5), round(l.y, 5), round(l.z, 5), round(l.visibility, 3)]
                for l in result.pose_landmarks.landmark
            ]
            out.append({"t_ms": t_ms, "landmarks": lms})
            if n < len(truth["frames"]):
                for name, (x, y, _) in truth["frames"][n]["joints_2d"].items():
                    lx, ly = lms[INDEX[name]][0] * w, lms[INDEX[name]][1] * h
                    errors.setdefault(name, []).append(math.hypot(lx - x, ly - y))
    with open(os.path.join(clip_dir, "trace.json"), "w") as f:
        json.dump({"size": [w, h], "fps": fps, "frames": out}, f, separators=(",", ":"))
    detected = sum(1 for f in out if f["landmarks"] is not None)
    summary = {
        "frames": len(out),
        "detected": detected,
        "median_px": {k: round(sorted(v)[len(v) // 2], 1) for k, v in errors.items()},
    }
    return summary


if __name__ == "__main__":
    print(json.dumps(trace_clip(sys.argv[1]), indent=1))
