#!/usr/bin/env python3
"""Every fault the city's server (or someone between it and the kiosk) can
throw at `hiroba --sync-once` is refused with its reason while the last good
pack stays active and complete, and a clean sync of a newer version works
right after. One table of cases, served by fault_server.FaultServer on
127.0.0.1; channels built and signed with the real hiroba-pack.
Run by CTest: test_sync_faults.py HIROBA HIROBA_PACK."""
import base64
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fault_server as fsrv  # noqa: E402

HIROBA = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba"
PACK = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba-pack"
CHANNEL = "lobby"
MANIFEST = f"/channels/{CHANNEL}/manifest.json"
SIG = MANIFEST + ".minisig"
SYNC_TIMEOUT = 150  # seconds: the harness's own bound on one --sync-once


def iso(dt):
    return dt.isoformat(timespec="seconds")


def flip_signature(sig_text):
    """The same .minisig with one bit of the Ed25519 signature flipped (the
    algorithm and key id are left alone, so it is a bad signature, not a
    malformed file or an unknown key)."""
    lines = sig_text.decode().split("\n")
    raw = bytearray(base64.b64decode(lines[1]))
    raw[2 + 8 + 10] ^= 0x01
    lines[1] = base64.b64encode(bytes(raw)).decode()
    return "\n".join(lines).encode()


class SyncFaults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hiroba-sync-faults-")
        cls.src = os.path.join(cls.tmp, "src")
        cls.pub = os.path.join(cls.tmp, "pub")
        cls.data = os.path.join(cls.tmp, "data")
        cls.staff = fsrv.keygen(PACK, os.path.join(cls.tmp, "staff"))
        cls.intruder = fsrv.keygen(PACK, os.path.join(cls.tmp, "intruder"))
        cls.seed = 0
        cls.version = 0
        cls.pictures = {}
        for name in ("a.png", "b.png", "c.png"):
            cls.pictures[name] = cls.picture()
        cls.v1_pictures = dict(cls.pictures)
        cls.server = fsrv.FaultServer(cls.pub)
        os.makedirs(cls.pub)
        cls.server.__enter__()
        try:
            # Version 1, synced with no faults: the last good pack every case must keep.
            cls.v1_manifest = cls.publish_good()
            with open(cls.pub + SIG, "rb") as f:
                cls.v1_sig = f.read()
            r, _, log = cls.sync()
            if r["result"] != "updated" or r["version"] != 1:
                raise AssertionError(f"first sync did not activate version 1: {r}\n{log}")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ---- helpers -------------------------------------------------------------------------

    @classmethod
    def picture(cls):
        cls.seed += 1
        return fsrv.png(96, 96, cls.seed)  # about 28 KB each, all the same size

    @classmethod
    def publish(cls, *build_args, key=None, out=None, changed=True):
        """Builds the source with a changed picture as the next version into out
        (default: the served folder) and signs it. Returns the manifest bytes."""
        if changed:
            cls.pictures["c.png"] = cls.picture()
        fsrv.write_source(cls.src, cls.pictures)
        return fsrv.publish(PACK, cls.src, out or cls.pub, CHANNEL, key or cls.staff,
                            *build_args)

    @classmethod
    def next_version(cls):
        cls.version += 1
        return str(cls.version)

    @classmethod
    def publish_good(cls):
        return cls.publish("--version", cls.next_version())

    @classmethod
    def sync(cls):
        t0 = time.monotonic()
        p = subprocess.run([HIROBA, "--sync-once", "--data", cls.data, "--source", cls.server.url,
                            "--channel", CHANNEL, "--trust", cls.staff + ".pub"],
                           capture_output=True, text=True, timeout=SYNC_TIMEOUT)
        elapsed = time.monotonic() - t0
        if p.returncode < 0:
            raise AssertionError(f"hiroba --sync-once died of signal {-p.returncode}:\n{p.stderr}")
        lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
        if len(lines) != 1:
            raise AssertionError(f"--sync-once printed {len(lines)} lines, not one JSON line:\n"
                                 f"{p.stdout}\n{p.stderr}")
        r = json.loads(lines[0])
        for key in ("result", "version", "bytes", "objects_fetched", "reason"):
            if key not in r:
                raise AssertionError(f"--sync-once output lacks {key}: {lines[0]}")
        want_rc = 0 if r["result"] in ("updated", "current") else 1
        if p.returncode != want_rc:
            raise AssertionError(f"result {r['result']} but exit {p.returncode}:\n{p.stderr}")
        return r, elapsed, p.stderr

    def db_version(self):
        db = sqlite3.connect(os.path.join(self.data, "hiroba.db"))
        try:
            row = db.execute("SELECT version FROM active WHERE channel = ?", (CHANNEL,)).fetchone()
            return row[0] if row else None
        finally:
            db.close()

    def last_rejection(self):
        db = sqlite3.connect(os.path.join(self.data, "hiroba.db"))
        try:
            row = db.execute("SELECT reason FROM rejections ORDER BY id DESC LIMIT 1").fetchone()
            return row[0] if row else None
        finally:
            db.close()

    def new_object(self, manifest):
        """(sha256, size) of the changed picture in a freshly published manifest."""
        return fsrv.manifest_objects(manifest)["c.png"]

    def object_path(self, sha):
        return f"/objects/{sha[:2]}/{sha}"

    # ---- the faults: each publishes an offer and arranges how it is served -----------------
    # Each returns the sha256 of an object that must NOT enter the store (or None).

    def manifest_500(self):
        self.publish_good()
        self.server.rule(MANIFEST, fsrv.status(500))

    def manifest_503(self):
        self.publish_good()
        self.server.rule(MANIFEST, fsrv.status(503))

    def object_404(self):
        sha, _ = self.new_object(self.publish_good())
        self.server.rule(self.object_path(sha), fsrv.status(404))
        return sha

    def manifest_truncated(self):
        body = self.publish_good()
        self.server.rule(MANIFEST, fsrv.truncate(len(body) // 2))

    def object_truncated(self):
        sha, size = self.new_object(self.publish_good())
        self.server.rule(self.object_path(sha), fsrv.truncate(size // 3))
        return sha

    def object_endless(self):
        sha, _ = self.new_object(self.publish_good())
        self.server.rule(self.object_path(sha), fsrv.endless())
        return sha

    def object_slow(self):
        sha, _ = self.new_object(self.publish_good())
        self.server.rule(self.object_path(sha), fsrv.slow(1))
        return sha

    def object_flipped(self):
        sha, size = self.new_object(self.publish_good())
        self.server.rule(self.object_path(sha), fsrv.flip(size // 2))
        return sha

    def rollback(self):
        self.assertGreater(self.db_version(), 1, "run after a recovery so that v1 is old")
        self.publish_good()
        self.server.rule(MANIFEST, fsrv.replace(self.v1_manifest))
        self.server.rule(SIG, fsrv.replace(self.v1_sig))

    def expired(self):
        version = self.next_version()
        at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=10)
        self.publish("--version", version, "--at", iso(at), "--valid-days", "1")

    def version_jump(self):
        # hiroba-pack refuses to build such a jump itself, so the next good
        # manifest is edited to 2^31 + 1 and signed, in a copy of the folder.
        body = self.publish_good()
        side = os.path.join(self.tmp, "side-jump")
        shutil.rmtree(side, ignore_errors=True)
        shutil.copytree(self.pub, side)
        jumped, n = re.subn(rb'\n  "version": \d+', b'\n  "version": 2147483649', body)
        self.assertEqual(n, 1)
        with open(side + MANIFEST, "wb") as f:
            f.write(jumped)
        fsrv.run(PACK, "sign", side, "--channel", CHANNEL, "--key", self.staff + ".key")
        with open(side + SIG, "rb") as f:
            sig = f.read()
        self.server.rule(MANIFEST, fsrv.replace(jumped))
        self.server.rule(SIG, fsrv.replace(sig))

    def mix_and_match(self):
        # The new version's manifest, but its new picture's bytes are an older
        # version's picture of the same size: only the hash can tell.
        old = self.v1_pictures["c.png"]
        sha, size = self.new_object(self.publish_good())
        self.assertEqual(size, len(old))
        self.server.rule(self.object_path(sha), fsrv.replace(old))
        return sha

    def bad_signature(self):
        self.publish_good()
        with open(self.pub + SIG, "rb") as f:
            self.server.rule(SIG, fsrv.replace(flip_signature(f.read())))

    def untrusted_key(self):
        self.publish("--version", self.next_version(), key=self.intruder)

    # ---- the table ---------------------------------------------------------------------------

    # name, results accepted, reason pattern, seconds allowed for the sync
    CASES = [
        ("manifest_500", ("failed",), r"^manifest: HTTP 500$", 60),
        ("manifest_503", ("failed",), r"^manifest: HTTP 503$", 60),
        ("object_404", ("failed",), r"^object c\.png: HTTP 404$", 60),
        ("manifest_truncated", ("failed",), r"^manifest: .*(transfer closed|remaining)", 60),
        ("object_truncated", ("failed",), r"^object c\.png: .*(transfer closed|remaining)", 60),
        ("object_endless", ("rejected",), r"^object c\.png \(\w{64}\): more data than declared",
         60),
        ("object_slow", ("failed",), r"^object c\.png: .*(too slow|low.speed|timed? ?out)", 60),
        ("object_flipped", ("rejected",), r"^object c\.png \(\w{64}\): .*sha256", 60),
        ("rollback", ("rejected",), r"^rollback: version 1 is not newer", 30),
        ("expired", ("rejected",), r"^expired at ", 30),
        ("version_jump", ("rejected",), r"^version jump .* to 2147483649", 30),
        ("mix_and_match", ("rejected",), r"^object c\.png \(\w{64}\): .*sha256", 60),
        ("bad_signature", ("rejected",), r"^signature: bad-signature", 30),
        ("untrusted_key", ("rejected",), r"^signature: unknown[- ]key", 30),
    ]

    def run_case(self, name, results, pattern, seconds):
        self.server.clear()
        good = self.db_version()
        self.assertIsNotNone(good)
        bad_sha = getattr(self, name)()
        r, elapsed, log = self.sync()
        print(f"\n  {name}: {r['result']} in {elapsed:.1f} s: {r['reason']}", file=sys.stderr)
        self.assertIn(r["result"], results, f"{name}: {r}\n{log}")
        self.assertRegex(r["reason"], pattern, f"{name}: {r}")
        self.assertLess(elapsed, seconds, f"{name}: the sync took {elapsed:.1f} s")
        # Stopped reading in time: nothing near the server's 64 MiB of endless body.
        self.assertLess(r["bytes"], 1 << 20, f"{name}: read {r['bytes']} bytes")
        # The last good pack stays on: the same version, complete.
        self.assertEqual(r["version"], good, f"{name}: {r}")
        self.assertEqual(self.db_version(), good)
        active, problems = fsrv.check_data(self.data, CHANNEL)
        self.assertEqual((active, problems), (good, []))
        if bad_sha:
            stored = os.path.join(self.data, "objects", bad_sha[:2], bad_sha)
            self.assertFalse(os.path.exists(stored), f"{name}: the refused object was stored")
        if r["result"] == "rejected":
            self.assertEqual(self.last_rejection(), r["reason"], "not kept for the staff view")
        # Recovery: the server behaves again and a newer good version goes through.
        self.server.clear()
        self.publish_good()
        r, _, log = self.sync()
        self.assertEqual((r["result"], r["version"]), ("updated", self.version),
                         f"{name}: recovery: {r}\n{log}")
        self.assertEqual(self.db_version(), self.version)
        self.assertEqual(fsrv.check_data(self.data, CHANNEL), (self.version, []))


def _make(case):
    def test(self):
        self.run_case(*case)
    return test


for _n, _case in enumerate(SyncFaults.CASES):
    setattr(SyncFaults, f"test_{_n:02d}_{_case[0]}", _make(_case))


if __name__ == "__main__":
    unittest.main(verbosity=2)
