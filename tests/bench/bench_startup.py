#!/usr/bin/env python3
"""bench_startup: the appliance's two figures, printed, never asserted.

1. Start-up: the time from exec to READY=1, which the kiosk sends once its
   first frame is presented (main.c), here the first frame of the demo
   pack's signage (the pack is activated and loaded before the first frame;
   READY's STATUS names the pack version to prove it). Measured with the
   sd_notify harness (tests/service/notify_harness.py) as systemd would see
   it: one cold start that activates the pack into an empty data folder,
   then RUNS warm starts (a reboot: the pack already active); median and
   worst.
2. Memory after an hour of the demo loop, in fast-forward: the demo pack
   with every item's duration divided by SPEED (the video cut as short), so
   MINUTES of wall time play 60 * MINUTES * SPEED / 60 minutes' worth of
   items (the same item changes, pictures decoded, clip opened, boards and
   ticker as in an hour at normal speed). RSS from /proc/PID/status every 2 s:
   at the start, peak and at the end.

Headless (SDL offscreen, software renderer) on this machine, not on a Pi:
the figures compare runs and builds, they are not the Pi's. The demo's
feeds (127.0.0.1:8080) are not served here: the boards show their
"cannot be received" state.

  bench_startup.py [--build DIR] [--runs N] [--minutes M] [--speed S] [--keep DIR]
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "service"))
from notify_harness import NotifySocket, start  # noqa: E402

DEMO = os.path.join(ROOT, "assets", "demo-pack")
MIB = 1024 * 1024


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"bench_startup: {' '.join(args[:2])} failed ({p.returncode}):\n{p.stderr}")
    return p


def make_source(tmp, speed):
    """The demo pack's source folder, durations divided by speed."""
    src = os.path.join(tmp, f"src-x{speed}")
    os.makedirs(src)
    with open(os.path.join(DEMO, "pack.json"), encoding="utf-8") as f:
        doc = json.load(f)
    # The loop plays whatever the time of day: no screen hours (the demo's
    # go dark at 22:00).
    doc.pop("screen_hours", None)
    loop_s = sum(i.get("duration", 10) for i in doc["items"])  # at normal speed
    for item in doc["items"]:
        if "duration" in item:
            item["duration"] = round(item["duration"] / speed, 3)
    with open(os.path.join(src, "pack.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    art = os.path.join(tmp, "art")
    if not os.path.isdir(art):
        os.makedirs(art)
        for name in os.listdir(os.path.join(DEMO, "art")):
            if name.endswith(".svg"):
                run("rsvg-convert", os.path.join(DEMO, "art", name), "-o",
                    os.path.join(art, name[:-4] + ".png"))
        run(os.path.join(DEMO, "make_video.sh"), os.path.join(art, "tearai.mp4"))
    for name in os.listdir(art):
        shutil.copy(os.path.join(art, name), src)
    return src, loop_s


def publish(pack, tmp, src, key, name):
    pub = os.path.join(tmp, "pub-" + name)
    run(pack, "build", src, "--channel", "demo", "--out", pub)
    run(pack, "sign", pub, "--channel", "demo", "--key", key + ".key")
    return pub


def kiosk_argv(hiroba, data, pub, key, extra=()):
    return [hiroba, "--headless", "--size", "1920x1080", "--screen", "signage", "--data", data,
            "--channel", "demo", "--source", pub, "--trust", key + ".pub", "--config", "/dev/null",
            *extra]


def start_once(hiroba, argv, tmp, i):
    """exec to READY=1, in seconds, and READY's status."""
    sock = os.path.join(tmp, f"n{i}.sock")
    with NotifySocket(sock) as ns:
        t0 = time.monotonic()
        proc = start(argv, ns)
        ready = ns.wait_for("READY", 60)
        took = (ready.at - t0) if ready else float("nan")
        status = ready.fields.get("STATUS", "") if ready else "(no READY=1)"
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return took, status


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--minutes", type=float, default=3.0, help="wall minutes of the fast loop")
    ap.add_argument("--speed", type=float, default=20.0, help="items this many times faster")
    ap.add_argument("--keep", help="keep the work folder here")
    a = ap.parse_args()
    hiroba = os.path.join(a.build, "app", "hiroba")
    pack = os.path.join(a.build, "app", "hiroba-pack")
    env_defaults = {"SDL_VIDEODRIVER": "offscreen", "SDL_FRAMEBUFFER_ACCELERATION": "0",
                    "HIROBA_FONTS": os.path.join(ROOT, "fonts", "fonts.ini")}
    for k, v in env_defaults.items():
        os.environ.setdefault(k, v)
    tmp = a.keep or tempfile.mkdtemp(prefix="hiroba-bench-startup-")
    os.makedirs(tmp, exist_ok=True)
    try:
        key = os.path.join(tmp, "staff")
        run(pack, "keygen", "--out", key)

        # ---- 1. start-up ----
        src, _ = make_source(tmp, 1)
        pub = publish(pack, tmp, src, key, "x1")
        data = os.path.join(tmp, "data-startup")
        argv = kiosk_argv(hiroba, data, pub, key)
        cold, status = start_once(hiroba, argv, tmp, 0)
        warm = []
        for i in range(a.runs):
            took, status = start_once(hiroba, argv, tmp, i + 1)
            warm.append(took)
        print(f"start-up, exec to READY=1 (first frame of content: \"{status}\"), "
              f"1920x1080 headless:")
        print(f"  cold (activates the pack into an empty data folder): {cold * 1000:.0f} ms")
        print(f"  warm, {a.runs} runs: median {statistics.median(warm) * 1000:.0f} ms, "
              f"worst {max(warm) * 1000:.0f} ms, best {min(warm) * 1000:.0f} ms")

        # ---- 2. memory over an hour of the loop in fast-forward ----
        fast, loop_s = make_source(tmp, a.speed)
        fpub = publish(pack, tmp, fast, key, f"x{a.speed:g}")
        fdata = os.path.join(tmp, "data-loop")
        seconds = a.minutes * 60
        log_path = os.path.join(tmp, "loop.log")
        with open(log_path, "w") as log:
            proc = subprocess.Popen(kiosk_argv(hiroba, fdata, fpub, key,
                                               ("--after", f"{seconds:g}")),
                                    stdout=subprocess.DEVNULL, stderr=log)
            samples = []
            t0 = time.monotonic()
            while proc.poll() is None:
                kib = rss_kib(proc.pid)
                if kib:
                    samples.append((time.monotonic() - t0, kib))
                time.sleep(2)
            code = proc.wait()
        if code != 0 or len(samples) < 3:
            sys.exit(f"bench_startup: the loop run failed ({code}); see {log_path}")
        start_kib = samples[min(2, len(samples) - 1)][1]  # after the first item is up
        peak = max(samples, key=lambda s: s[1])
        end_kib = samples[-1][1]
        played_s = seconds * a.speed
        print(f"memory over {played_s / 60:.0f} min of the demo loop in fast-forward "
              f"(x{a.speed:g}: {seconds / 60:g} min wall, one loop of {loop_s:g} s "
              f"= {loop_s / a.speed:.1f} s, {played_s / loop_s:.0f} loops), RSS:")
        print(f"  start {start_kib / 1024:.1f} MiB (at {samples[min(2, len(samples) - 1)][0]:.0f} s), "
              f"peak {peak[1] / 1024:.1f} MiB (at {peak[0]:.0f} s), "
              f"end {end_kib / 1024:.1f} MiB ({len(samples)} samples)")
        # The trend: each tenth of the run (a plateau or a climb).
        marks = [samples[min(len(samples) - 1, k * len(samples) // 10)] for k in range(1, 11)]
        print("  by played minute: " + ", ".join(
            f"{t * a.speed / 60:.0f}: {kib / 1024:.0f}" for t, kib in marks) + " MiB")
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
