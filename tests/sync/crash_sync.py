#!/usr/bin/env python3
"""crash_sync: kill -9 `hiroba --sync-once` at random moments while it syncs
a channel, again and again, and check after every kill that the data folder
is what a power cut may leave: every file under DATA/objects/ab/ hashes to its
name, the active (and previous) version's manifest lists only objects present
with the right size, SQLite's integrity check passes, and the active version
never goes down. Each new version changes half of the channel's objects
(200 KB to 1 MB each), alternating halves; the loop publishes the next one
whenever the kiosk has caught up, and every tenth round lets a sync finish to
prove that the kiosk converges after the kills.

    crash_sync.py HIROBA HIROBA_PACK [--iterations N] [--seed S] [--server auto|nginx|python]

Prints "crash_sync: N kills, N checks passed, versions a..b"; exit 1 on any problem.
Bounded: --max-seconds (default 150) stops the loop early (reported, and a
failure if fewer than half the kills happened)."""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fault_server as fsrv  # noqa: E402

CHANNEL = "crash"
SIZES = (260, 330, 400, 460, 520, 580)  # noise PNGs: 3*side^2 bytes, ~200 KB to ~1 MB


def start_server(kind, root):
    have_nginx = os.path.exists(os.path.join(HERE, "nginx_fixture.py")) and shutil.which("nginx")
    if kind == "nginx" or (kind == "auto" and have_nginx):
        from nginx_fixture import Nginx
        return Nginx(root), "nginx"
    return fsrv.FaultServer(root), "python"


class Loop:
    def __init__(self, args, tmp, url):
        self.a = args
        self.tmp = tmp
        self.url = url
        self.src = os.path.join(tmp, "src")
        self.pub = os.path.join(tmp, "pub")
        self.data = os.path.join(tmp, "data")
        self.key = os.path.join(tmp, "staff")
        self.rng = random.Random(args.seed)
        self.pictures = {}
        self.published = 0
        self.manifests = {}  # version -> manifest bytes
        self.bump_mtime = False
        self.mtime = 0.0

    def publish_next(self):
        v = self.published + 1
        half = range(0, 3) if v % 2 else range(3, 6)
        for i in (range(6) if v == 1 else half):
            seed = self.a.seed * 1000003 + v * 10 + i
            self.pictures[f"p{i}.png"] = fsrv.png(SIZES[i], SIZES[i], seed)
        fsrv.write_source(self.src, self.pictures)
        body = fsrv.publish(self.a.pack, self.src, self.pub, CHANNEL, self.key, "--version", str(v))
        self.manifests[v] = body
        self.published = v
        if self.bump_mtime:
            # nginx's ETag and Last-Modified are mtime-size: a same-size manifest
            # published within the same second would be answered 304 and never
            # fetched. Staff do not publish twice a second; this loop does.
            path = os.path.join(self.pub, "channels", CHANNEL, "manifest.json")
            self.mtime = max(time.time(), self.mtime + 1)
            os.utime(path, (self.mtime, self.mtime))
        # Keep the served folder small: only the two newest versions' objects.
        keep = set()
        for w in (v, v - 1):
            if w in self.manifests:
                keep |= {sha for sha, _ in fsrv.manifest_objects(self.manifests[w]).values()}
        objdir = os.path.join(self.pub, "objects")
        for ab in os.listdir(objdir):
            for name in os.listdir(os.path.join(objdir, ab)):
                if name not in keep:
                    os.remove(os.path.join(objdir, ab, name))
        self.manifests.pop(v - 2, None)

    def command(self):
        return [self.a.hiroba, "--sync-once", "--data", self.data, "--source", self.url,
                "--channel", CHANNEL, "--trust", self.key + ".pub"]

    def sync_to_end(self):
        p = subprocess.run(self.command(), capture_output=True, text=True, timeout=120)
        return self.parse(p.returncode, p.stdout, p.stderr)

    @staticmethod
    def parse(rc, out, err):
        if rc < 0:
            raise AssertionError(f"--sync-once died of signal {-rc} by itself:\n{err}")
        lines = [ln for ln in out.splitlines() if ln.strip()]
        if len(lines) != 1:
            raise AssertionError(f"--sync-once printed {len(lines)} lines:\n{out}\n{err}")
        r = json.loads(lines[0])
        if r["result"] not in ("updated", "current") or rc != 0:
            raise AssertionError(f"unfaulted sync ended {r} (exit {rc}):\n{err}")
        return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("hiroba")
    ap.add_argument("pack")
    ap.add_argument("--iterations", type=int, default=200, help="kills to make")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--server", choices=("auto", "nginx", "python"), default="auto")
    ap.add_argument("--max-seconds", type=float, default=150)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    t_start = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="hiroba-crash-sync-")
    os.makedirs(os.path.join(tmp, "pub"))
    server, kind = start_server(a.server, os.path.join(tmp, "pub"))
    failures = []
    kills = checks = completed = 0
    versions_seen = []
    timed_out = False
    try:
        with server as srv:
            loop = Loop(a, tmp, srv.url)
            loop.bump_mtime = kind == "nginx"
            fsrv.keygen(a.pack, loop.key)
            loop.publish_next()
            # Calibrate: how long does a sync of a new version take here?
            t0 = time.monotonic()
            r = loop.sync_to_end()
            full = time.monotonic() - t0
            assert r["result"] == "updated" and r["version"] == 1, r
            loop.publish_next()
            t0 = time.monotonic()
            r = loop.sync_to_end()
            update = time.monotonic() - t0
            assert r["result"] == "updated" and r["version"] == 2, r
            window = max(full, update) * 1.2
            last_active = 2
            versions_seen.append(2)
            print(f"crash_sync: seed {a.seed}, {kind} server, first sync {full * 1000:.0f} ms, "
                  f"update {update * 1000:.0f} ms, killing within {window * 1000:.0f} ms",
                  flush=True)
            loop.publish_next()
            attempts = 0
            while kills < a.iterations and attempts < 3 * a.iterations:
                if time.monotonic() - t_start > a.max_seconds:
                    timed_out = True
                    break
                attempts += 1
                p = subprocess.Popen(loop.command(), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
                time.sleep(loop.rng.uniform(0, window))
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    kills += 1
                out, err = p.communicate(timeout=60)
                if p.returncode != -signal.SIGKILL:
                    completed += 1
                    try:
                        Loop.parse(p.returncode, out, err)
                    except AssertionError as e:
                        failures.append(f"attempt {attempts}: {e}")
                active, problems = fsrv.check_data(loop.data, CHANNEL)
                if active is None or active < last_active:
                    problems.append(f"active version {active} after {last_active}")
                if active is not None and active > loop.published:
                    problems.append(f"active version {active} was never published")
                if problems:
                    failures.append(f"attempt {attempts} (kill at random): " + "; ".join(problems))
                    break
                checks += 1
                last_active = active
                if not versions_seen or versions_seen[-1] != active:
                    versions_seen.append(active)
                if attempts % 10 == 0:
                    # Convergence: left alone, the kiosk reaches the published version.
                    r = loop.sync_to_end()
                    if r["version"] != loop.published:
                        failures.append(f"after kills, a full sync reached {r} not "
                                        f"v{loop.published}")
                        break
                    last_active = r["version"]
                if last_active == loop.published:
                    loop.publish_next()
    except AssertionError as e:
        failures.append(str(e))
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    lo = versions_seen[0] if versions_seen else 0
    hi = versions_seen[-1] if versions_seen else 0
    print(f"crash_sync: {kills} kills, {checks} checks passed, versions {lo}..{hi} "
          f"({completed} syncs ended before their kill, {time.monotonic() - t_start:.0f} s)")
    if timed_out:
        print(f"crash_sync: stopped by --max-seconds {a.max_seconds:.0f} after {kills} kills",
              file=sys.stderr)
        if kills < a.iterations // 2:
            failures.append(f"only {kills} of {a.iterations} kills within the time bound")
    elif not failures and kills < a.iterations:
        failures.append(f"only {kills} of {a.iterations} kills landed while a sync was running")
    for f in failures:
        print("crash_sync: FAIL: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
