#!/usr/bin/env python3
"""Sync against a real nginx on loopback: a channel built and signed by
hiroba-pack, served by nginx on a free 127.0.0.1 port, polled with
`hiroba --sync-once`. First sync, unchanged (one 304), one changed item (only
that object fetched), two versions in a row, offline then back, a big object
resumed with Range after the syncing process was killed, and the file:// and
bare-folder forms of the same source.
Run by CTest: test_sync_nginx.py HIROBA HIROBA_PACK."""
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nginx_fixture import Nginx  # noqa: E402

HIROBA = sys.argv.pop(1)
PACK = sys.argv.pop(1)
CHANNEL = "lobby"
# Headers of one response are ~250 bytes: what may come on top of the bodies.
HEADER_ALLOWANCE = 600


def run(*args, check=True, timeout=120):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{args[0]} {args[1] if len(args) > 1 else ''} exit {p.returncode}:\n"
                             f"{p.stdout}\n{p.stderr}")
    return p


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, rgb=None, seed=None, level=9):
    """A valid 8-bit RGB PNG: one colour, or noise from seed (incompressible)."""
    if seed is not None:
        rnd = random.Random(seed)
        rows = b"".join(b"\0" + rnd.randbytes(3 * width) for _ in range(height))
    else:
        rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(rows, level)) + png_chunk(b"IEND", b""))


def pack_doc(images):
    items = [{"id": f"pic{i}", "type": "image", "file": name, "duration": 8}
             for i, name in enumerate(images)]
    return {
        "format": 1,
        "facility": {"name": {"ja": "ひろば館", "en": "Hiroba Hall"}, "logo": "logo.png"},
        "items": items,
        "playlists": [{"id": "main", "items": [it["id"] for it in items]}],
        "schedule": [{"playlist": "main"}],
        "ticker": [{"text": {"ja": "ようこそ"}}],
    }


class Channel:
    """A pack source, its publish folder and the staff key."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.src = os.path.join(tmp, "src")
        self.pub = os.path.join(tmp, "pub")
        self.key = os.path.join(tmp, "staff")
        os.makedirs(self.src)
        run(PACK, "keygen", "--out", self.key)

    def write(self, files, images):
        for name, data in files.items():
            with open(os.path.join(self.src, name), "wb") as f:
                f.write(data)
        with open(os.path.join(self.src, "pack.json"), "w", encoding="utf-8") as f:
            json.dump(pack_doc(images), f, ensure_ascii=False, indent=2)

    def publish(self):
        run(PACK, "build", self.src, "--channel", CHANNEL, "--out", self.pub)
        run(PACK, "sign", self.pub, "--channel", CHANNEL, "--key", self.key + ".key")

    def manifest_path(self, suffix=""):
        return os.path.join(self.pub, "channels", CHANNEL, "manifest.json" + suffix)

    def manifest(self):
        with open(self.manifest_path(), encoding="utf-8") as f:
            return json.load(f)

    def doc_sizes(self):
        return (os.path.getsize(self.manifest_path()) +
                os.path.getsize(self.manifest_path(".minisig")))

    def sig_size(self):
        # The manifest travels gzip-compressed (nginx_fixture: gzip_types
        # application/json), so only the signature's size is a sure floor.
        return os.path.getsize(self.manifest_path(".minisig"))


class SyncNginx(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="hiroba-sync-")
        self.ch = Channel(self.tmp)
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def sync(self, source, expect_rc=None, extra=()):
        p = run(HIROBA, "--sync-once", "--data", self.data, "--source", source,
                "--channel", CHANNEL, "--trust", self.ch.key + ".pub", *extra, check=False)
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), 1, f"want one JSON line, got {p.stdout!r}\n{p.stderr}")
        r = json.loads(lines[0])
        self.assertEqual(set(r), {"result", "version", "bytes", "objects_fetched", "reason"})
        want_rc = 0 if r["result"] in ("updated", "current") else 1
        self.assertEqual(p.returncode, want_rc, p.stderr)
        if expect_rc is not None:
            self.assertEqual(p.returncode, expect_rc, p.stderr)
        if r["result"] in ("updated", "current"):
            self.assertEqual(r["reason"], "")
        else:
            self.assertNotEqual(r["reason"], "")
        return r

    def active_version(self):
        db = sqlite3.connect(os.path.join(self.data, "hiroba.db"))
        try:
            row = db.execute("SELECT version FROM active WHERE channel=?", (CHANNEL,)).fetchone()
            return row[0] if row else None
        finally:
            db.close()

    def object_size(self, name):
        return self.ch.manifest()["objects"][name]["size"]

    def local_has(self, sha):
        return os.path.exists(os.path.join(self.data, "objects", sha[:2], sha))

    def test_first_unchanged_changed_two_versions_offline(self):
        images = [f"pic{i}.png" for i in range(5)]
        files = {name: png(64 + 8 * i, 48, seed=i, level=0) for i, name in enumerate(images)}
        files["logo.png"] = png(8, 8, rgb=(10, 120, 200))
        self.ch.write(files, images)
        self.ch.publish()
        with Nginx(self.ch.pub) as ng:
            # 1. First sync: everything fetched.
            r = self.sync(ng.url)
            m = self.ch.manifest()
            n_objects = len(m["objects"])
            total = sum(o["size"] for o in m["objects"].values()) + self.ch.sig_size()
            self.assertEqual((r["result"], r["version"], r["objects_fetched"]),
                             ("updated", 1, n_objects), r)
            self.assertGreaterEqual(r["bytes"], total)
            self.assertLess(r["bytes"], total + HEADER_ALLOWANCE * (n_objects + 2))
            self.assertEqual(self.active_version(), 1)
            for o in m["objects"].values():
                self.assertTrue(self.local_has(o["sha256"]))

            # 2. Unchanged: one conditional request answered 304.
            before = len(ng.access_log())
            r = self.sync(ng.url)
            self.assertEqual((r["result"], r["version"], r["objects_fetched"]),
                             ("current", 1, 0), r)
            self.assertLess(r["bytes"], 2000)
            log = ng.access_log()[before:]
            self.assertEqual([(e[1], e[2]) for e in log],
                             [(f"/channels/{CHANNEL}/manifest.json", 304)])
            print(f"figure: unchanged channel: {r['bytes']} bytes", file=sys.stderr)

            # 3. One picture changes: only that object is fetched.
            files["pic2.png"] = png(80, 48, seed=99, level=0)
            self.ch.write(files, images)
            time.sleep(1.1)  # nginx's ETag is mtime-size: make sure the mtime moves
            self.ch.publish()
            r = self.sync(ng.url)
            changed = self.object_size("pic2.png")
            floor = changed + self.ch.sig_size()
            self.assertEqual((r["result"], r["version"], r["objects_fetched"]),
                             ("updated", 2, 1), r)
            self.assertGreaterEqual(r["bytes"], floor)
            self.assertLess(r["bytes"], changed + self.ch.doc_sizes() + 3 * HEADER_ALLOWANCE)
            print(f"figure: one changed object of {changed} bytes: {r['bytes']} bytes "
                  f"(manifest+sig {self.ch.doc_sizes()} before compression)", file=sys.stderr)

            # 4. Two versions published before the kiosk looks: it lands on the last,
            # and fetches nothing that only the skipped version needed.
            pic0 = files["pic0.png"]
            files["pic0.png"] = png(72, 40, seed=100, level=0)
            self.ch.write(files, images)
            time.sleep(1.1)
            self.ch.publish()
            v3_only = self.ch.manifest()["objects"]["pic0.png"]["sha256"]
            files["pic0.png"] = pic0
            files["pic1.png"] = png(72, 40, seed=101, level=0)
            self.ch.write(files, images)
            self.ch.publish()
            self.assertEqual(self.ch.manifest()["version"], 4)
            r = self.sync(ng.url)
            self.assertEqual((r["result"], r["version"], r["objects_fetched"]),
                             ("updated", 4, 1), r)
            self.assertFalse(self.local_has(v3_only))
            self.assertEqual(self.active_version(), 4)

            # 5. Offline: failed with a reason, the last good pack stays.
            ng.stop()
            r = self.sync(ng.url, expect_rc=1)
            self.assertEqual((r["result"], r["version"], r["objects_fetched"]),
                             ("failed", 4, 0), r)
            self.assertIn("manifest", r["reason"])
            self.assertIn("onnect", r["reason"])  # "Couldn't connect" / "Failed to connect"
            self.assertEqual(self.active_version(), 4)

            # 6. Back online: current again (one 304), then a new version arrives.
            ng.start()
            r = self.sync(ng.url)
            self.assertEqual((r["result"], r["version"]), ("current", 4), r)
            self.assertLess(r["bytes"], 2000)
            files["pic3.png"] = png(40, 40, seed=102, level=0)
            self.ch.write(files, images)
            time.sleep(1.1)
            self.ch.publish()
            r = self.sync(ng.url)
            self.assertEqual((r["result"], r["version"], r["objects_fetched"]),
                             ("updated", 5, 1), r)

    def test_same_second_same_size_republish_is_seen(self):
        # nginx's ETag and Last-Modified come from mtime (to the second) and
        # size: hiroba-pack moves a replaced manifest's mtime forward, so a
        # new version published at once, of the same size, is not a 304.
        images = ["pic0.png"]
        self.ch.write({"pic0.png": png(64, 64, (10, 20, 30)), "logo.png": png(32, 32, (1, 2, 3))},
                      images)
        self.ch.publish()
        with Nginx(self.ch.pub) as ng:
            self.assertEqual(self.sync(ng.url)["result"], "updated")
            before = os.stat(self.ch.manifest_path())
            self.ch.publish()  # same source: version 2, same size
            after = os.stat(self.ch.manifest_path())
            self.assertEqual(before.st_size, after.st_size)
            self.assertGreater(int(after.st_mtime), int(before.st_mtime))
            r = self.sync(ng.url)
            self.assertEqual((r["result"], r["version"]), ("updated", 2))

    def test_manifest_is_compressed_on_the_wire(self):
        images = [f"pic{i}.png" for i in range(20)]
        files = {n: png(48, 48, (i * 9 % 256, 30, 60)) for i, n in enumerate(images)}
        files["logo.png"] = png(32, 32, (1, 2, 3))
        self.ch.write(files, images)
        self.ch.publish()
        with Nginx(self.ch.pub) as ng:
            first = self.sync(ng.url)
            self.assertEqual(first["result"], "updated")
            # Nothing new to fetch: the cycle is the manifest and its signature.
            self.ch.publish()
            r = self.sync(ng.url)
            self.assertEqual((r["result"], r["objects_fetched"]), ("updated", 0))
            self.assertLess(r["bytes"], os.path.getsize(self.ch.manifest_path()),
                            "the manifest should arrive gzip-compressed")

    def test_big_object_resumes_with_range(self):
        images = ["big.png", "small.png"]
        files = {"big.png": png(1300, 1300, seed=7, level=0),  # ~5 MB, incompressible
                 "small.png": png(16, 16, rgb=(1, 2, 3)),
                 "logo.png": png(8, 8, rgb=(10, 120, 200))}
        self.ch.write(files, images)
        self.ch.publish()
        big = self.ch.manifest()["objects"]["big.png"]
        self.assertGreater(big["size"], 4_000_000)
        part = os.path.join(self.data, "tmp", big["sha256"] + ".part")
        with Nginx(self.ch.pub, rate_limit="1m") as ng:
            # A first sync, killed with SIGKILL once a megabyte has arrived.
            p = subprocess.Popen([HIROBA, "--sync-once", "--data", self.data, "--source", ng.url,
                                  "--channel", CHANNEL, "--trust", self.ch.key + ".pub"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    if os.path.exists(part) and os.path.getsize(part) >= 1_000_000:
                        break
                    self.assertIsNone(p.poll(), "the sync ended before it could be killed")
                    time.sleep(0.02)
                else:
                    self.fail("the partial file never reached 1 MB")
                os.kill(p.pid, signal.SIGKILL)
            finally:
                p.wait()
            have = os.path.getsize(part)
            self.assertLess(have, big["size"])
            self.assertIsNone(self.active_version() if os.path.exists(
                os.path.join(self.data, "hiroba.db")) else None)
            # The next sync asks for the rest only.
            ng.rate_limit = None
            ng.stop()
            ng.start()
            before = len(ng.access_log())
            r = self.sync(ng.url)
            self.assertEqual((r["result"], r["version"]), ("updated", 1), r)
            self.assertLess(r["bytes"], big["size"])
            self.assertGreaterEqual(r["bytes"], big["size"] - have)
            self.assertTrue(self.local_has(big["sha256"]))
            self.assertFalse(os.path.exists(part))
            ranged = [e for e in ng.access_log()[before:] if big["sha256"] in e[1]]
            self.assertEqual(len(ranged), 1, ranged)
            self.assertEqual(ranged[0][2], 206)
            self.assertTrue(ranged[0][4].startswith("bytes="), ranged)
            resumed_at = int(ranged[0][4][len("bytes="):].rstrip("-"))
            self.assertGreaterEqual(resumed_at, 1_000_000)
            print(f"figure: resumed {big['size']} byte object at byte {resumed_at}: "
                  f"{r['bytes']} bytes this cycle", file=sys.stderr)

    def test_file_url_and_bare_folder(self):
        images = ["a.png"]
        files = {"a.png": png(20, 20, rgb=(9, 9, 9)), "logo.png": png(8, 8, rgb=(1, 1, 1))}
        self.ch.write(files, images)
        self.ch.publish()
        r = self.sync("file://" + self.ch.pub)
        self.assertEqual((r["result"], r["version"], r["objects_fetched"]), ("updated", 1, 2), r)
        files["a.png"] = png(20, 20, rgb=(9, 9, 10))
        self.ch.write(files, images)
        self.ch.publish()
        r = self.sync(self.ch.pub)  # a bare folder
        self.assertEqual((r["result"], r["version"], r["objects_fetched"]), ("updated", 2, 1), r)
        r = self.sync(self.ch.pub)
        self.assertEqual((r["result"], r["version"], r["objects_fetched"]), ("current", 2, 0), r)
        r = self.sync(os.path.join(self.tmp, "nowhere"), expect_rc=1)
        self.assertEqual((r["result"], r["version"]), ("failed", 2), r)

    def test_config_file_and_flags(self):
        images = ["a.png"]
        files = {"a.png": png(20, 20, rgb=(9, 9, 9)), "logo.png": png(8, 8, rgb=(1, 1, 1))}
        self.ch.write(files, images)
        self.ch.publish()
        conf = os.path.join(self.tmp, "hiroba.conf")
        with open(conf, "w") as f:
            f.write(f"[kiosk]\ndata = {self.data}\nchannel = {CHANNEL}\n"
                    f"source = {self.ch.pub}\ntrust = {self.ch.key}.pub\npoll_interval = 30\n")
        p = run(HIROBA, "--sync-once", "--config", conf, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["result"], "updated")
        # A flag overrides the file: this source does not exist.
        p = run(HIROBA, "--sync-once", "--config", conf, "--source",
                os.path.join(self.tmp, "nowhere"), check=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(json.loads(p.stdout)["result"], "failed")
        # A --config file that is missing is an error; so is a bad number.
        p = run(HIROBA, "--sync-once", "--config", conf + ".missing", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("hiroba.conf.missing", p.stderr)
        with open(conf, "a") as f:
            f.write("poll_interval = soon\n")
        p = run(HIROBA, "--sync-once", "--config", conf, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("hiroba.conf:7:", p.stderr)

    def make_ca(self, name):
        """A CA and a server certificate for 127.0.0.1 signed by it."""
        d = os.path.join(self.tmp, name)
        os.makedirs(d)
        ca_key, ca, key, csr, cert = (os.path.join(d, n) for n in
                                      ("ca.key", "ca.pem", "srv.key", "srv.csr", "srv.pem"))
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN=hiroba test CA {name}", "-keyout", ca_key, "-out", ca)
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", key, "-out", csr)
        ext = os.path.join(d, "ext.cnf")
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1\n")
        run("openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
            "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", cert)
        return ca, cert, key

    def test_https_verifies_the_server(self):
        images = ["a.png"]
        self.ch.write({"a.png": png(20, 20, rgb=(3, 4, 5)), "logo.png": png(8, 8, rgb=(1, 1, 1))},
                      images)
        self.ch.publish()
        ca, cert, key = self.make_ca("city")
        other_ca, _, _ = self.make_ca("stranger")
        conf = os.path.join(self.tmp, "tls.conf")
        with Nginx(self.ch.pub, tls=(cert, key)) as ng:
            self.assertTrue(ng.url.startswith("https://"))
            # The system's CAs do not know this server: refused, nothing fetched.
            r = self.sync(ng.url, expect_rc=1)
            self.assertEqual((r["result"], r["version"]), ("failed", 0), r)
            self.assertRegex(r["reason"].lower(), "certificate|ssl|tls")
            # A CA file that is not the server's: refused too.
            with open(conf, "w") as f:
                f.write(f"[kiosk]\nca_file = {other_ca}\n")
            r = self.sync(ng.url, expect_rc=1, extra=("--config", conf))
            self.assertEqual(r["result"], "failed", r)
            # The pinned CA: accepted.
            with open(conf, "w") as f:
                f.write(f"[kiosk]\nca_file = {ca}\n")
            r = self.sync(ng.url, extra=("--config", conf))
            self.assertEqual((r["result"], r["version"]), ("updated", 1), r)

    def test_corrupt_cached_object_is_fetched_again(self):
        images = ["a.png", "b.png"]
        files = {"a.png": png(30, 30, rgb=(5, 6, 7)), "b.png": png(31, 30, rgb=(8, 9, 10)),
                 "logo.png": png(8, 8, rgb=(1, 1, 1))}
        self.ch.write(files, images)
        self.ch.publish()
        with Nginx(self.ch.pub) as ng:
            self.assertEqual(self.sync(ng.url)["result"], "updated")
            sha = self.ch.manifest()["objects"]["b.png"]["sha256"]
            path = os.path.join(self.data, "objects", sha[:2], sha)
            with open(path, "r+b") as f:  # the SD card lost a bit
                f.seek(40)
                b = f.read(1)
                f.seek(40)
                f.write(bytes([b[0] ^ 1]))
            r = self.sync(ng.url)
            self.assertEqual((r["result"], r["version"], r["objects_fetched"]), ("current", 1, 1))
            with open(path, "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(), sha)
            # And the next poll is a plain 304 again.
            r = self.sync(ng.url)
            self.assertEqual((r["result"], r["objects_fetched"]), ("current", 0))
            self.assertLess(r["bytes"], 2000)

    def test_running_kiosk_shows_new_version_within_a_poll(self):
        # The whole path while the kiosk runs: the network thread polls nginx,
        # activates version 2, hands it to the screen through the hub; the
        # server going away afterwards changes nothing on screen.
        images = ["a.png"]
        files = {"a.png": png(40, 40, rgb=(200, 30, 30)), "logo.png": png(8, 8, rgb=(1, 1, 1))}
        self.ch.write(files, images)
        self.ch.publish()
        conf = os.path.join(self.tmp, "hiroba.conf")
        with open(conf, "w") as f:
            f.write("[kiosk]\npoll_interval = 2\n")
        shots = os.path.join(self.tmp, "shots")
        os.makedirs(shots)
        with Nginx(self.ch.pub) as ng:
            kiosk = subprocess.Popen(
                [HIROBA, "--headless", "--size", "640x360", "--config", conf, "--data", self.data,
                 "--channel", CHANNEL, "--source", ng.url, "--trust", self.ch.key + ".pub",
                 "--screenshot-dir", shots, "--screenshot-every", "1", "--after", "9"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            try:
                time.sleep(3)
                files["a.png"] = png(40, 40, rgb=(30, 30, 200))
                self.ch.write(files, images)
                self.ch.publish()
                time.sleep(3.5)  # one poll interval (2 s) and a margin
                ng.stop()
                _, err = kiosk.communicate(timeout=60)
            finally:
                if kiosk.poll() is None:
                    kiosk.kill()
        self.assertEqual(kiosk.returncode, 0, err)
        self.assertIn(f"now showing {CHANNEL} version 1", err)
        self.assertIn(f"now showing {CHANNEL} version 2", err)
        self.assertEqual(self.active_version(), 2)
        # Offline after that: a failure is logged once, the kiosk keeps going.
        self.assertLessEqual(err.count("retrying with backoff"), 1, err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
