#!/usr/bin/env python3
"""From a staff folder to the screen: the demo pack is built, signed and
verified with hiroba-pack, the kiosk verifies and activates it from the
published folder, shows it, picks up an edited version, and refuses a
tampered or forged one while keeping the last good pack.
Run by CTest: test_kiosk_content.py HIROBA HIROBA_PACK."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HIROBA = sys.argv.pop(1)
PACK = sys.argv.pop(1)
SRC = os.environ.get("HIROBA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DEMO = os.path.join(SRC, "assets", "demo-pack")


def run(*args, check=True, timeout=120):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{args[0]} {args[1] if len(args) > 1 else ''} exit {p.returncode}:\n"
                             f"{p.stdout}\n{p.stderr}")
    return p


class KioskContent(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hiroba-kiosk-")
        cls.src = os.path.join(cls.tmp, "src")
        os.makedirs(cls.src)
        shutil.copy(os.path.join(DEMO, "pack.json"), cls.src)
        for name in os.listdir(os.path.join(DEMO, "art")):
            if name.endswith(".svg"):
                run("rsvg-convert", os.path.join(DEMO, "art", name), "-o",
                    os.path.join(cls.src, name[:-4] + ".png"))
        run(os.path.join(DEMO, "make_video.sh"), os.path.join(cls.src, "tearai.mp4"))
        cls.pub = os.path.join(cls.tmp, "publish")
        cls.key = os.path.join(cls.tmp, "staff")
        run(PACK, "keygen", "--out", cls.key)
        cls.data = os.path.join(cls.tmp, "data")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def publish(self, key=None):
        run(PACK, "build", self.src, "--channel", "demo", "--out", self.pub)
        run(PACK, "sign", self.pub, "--channel", "demo", "--key", (key or self.key) + ".key")

    def kiosk(self, shot, extra=()):
        p = run(HIROBA, "--headless", "--size", "960x540", "--data", self.data,
                "--channel", "demo", "--source", self.pub, "--trust", self.key + ".pub",
                "--screenshot", shot, "--after", "1.5", *extra, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.getsize(shot) > 10000, "screenshot too small to hold content")
        return p.stderr

    def active_version(self):
        db = sqlite3.connect(os.path.join(self.data, "hiroba.db"))
        try:
            row = db.execute("SELECT version FROM active WHERE channel='demo'").fetchone()
            return row[0] if row else None
        finally:
            db.close()

    def test_publish_edit_tamper(self):
        # 1. First publication: activated and shown.
        self.publish()
        run(PACK, "verify", self.pub, "--channel", "demo", "--pub", self.key + ".pub")
        log = self.kiosk(os.path.join(self.tmp, "v1.png"))
        self.assertIn("updated, version 1", log)
        self.assertEqual(self.active_version(), 1)
        # 2. The same again: current, nothing fetched.
        log = self.kiosk(os.path.join(self.tmp, "v1b.png"))
        self.assertIn("current, version 1", log)
        # 3. Staff edit the pack: the kiosk shows version 2.
        with open(os.path.join(self.src, "pack.json"), encoding="utf-8") as f:
            doc = json.load(f)
        doc["ticker"].insert(0, {"text": {"ja": "テスト用のお知らせです。", "en": "A test notice."}})
        with open(os.path.join(self.src, "pack.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=2)
        self.publish()
        log = self.kiosk(os.path.join(self.tmp, "v2.png"))
        self.assertIn("updated, version 2", log)
        self.assertEqual(self.active_version(), 2)
        # 4. Version 3 brings a new picture; its published bytes are then
        # damaged: the signature holds, the object's hash does not. Refused.
        run("rsvg-convert", "-w", "300", os.path.join(DEMO, "art", "logo.svg"), "-o",
            os.path.join(self.src, "logo-small.png"))
        doc["facility"]["logo"] = "logo-small.png"
        with open(os.path.join(self.src, "pack.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=2)
        self.publish()
        path = os.path.join(self.pub, "channels", "demo", "manifest.json")
        with open(path, encoding="utf-8") as f:
            sha = json.load(f)["objects"]["logo-small.png"]["sha256"]
        obj = os.path.join(self.pub, "objects", sha[:2], sha)
        self.assertFalse(os.path.exists(os.path.join(self.data, "objects", sha[:2], sha)))
        with open(obj, "r+b") as f:
            f.seek(200)
            b = f.read(1)
            f.seek(200)
            f.write(bytes([b[0] ^ 0xFF]))
        log = self.kiosk(os.path.join(self.tmp, "obj.png"))
        self.assertIn("rejected: object logo-small.png", log)
        self.assertIn("keeping the last good pack", log)
        self.assertEqual(self.active_version(), 2)
        self.assertFalse(os.path.exists(os.path.join(self.data, "objects", sha[:2], sha)))
        # 5. A tampered manifest (the signature no longer matches): refused.
        with open(obj, "r+b") as f:
            f.seek(200)
            f.write(b)
        with open(path, "rb") as f:
            body = f.read()
        self.assertIn(b'"version": 3', body)
        with open(path, "wb") as f:
            f.write(body.replace(b'"version": 3', b'"version": 4'))
        log = self.kiosk(os.path.join(self.tmp, "tampered.png"))
        self.assertIn("rejected: signature", log)
        self.assertEqual(self.active_version(), 2)
        # Restored, version 3 is accepted after all.
        with open(path, "wb") as f:
            f.write(body)
        log = self.kiosk(os.path.join(self.tmp, "v3.png"))
        self.assertIn("updated, version 3", log)
        self.assertEqual(self.active_version(), 3)
        # 6. Signed by a key the kiosk does not trust: refused.
        other = os.path.join(self.tmp, "intruder")
        run(PACK, "keygen", "--out", other)
        self.publish(key=other)
        log = self.kiosk(os.path.join(self.tmp, "forged.png"))
        self.assertIn("rejected: signature: unknown", log.replace("unknown_key", "unknown"))
        self.assertEqual(self.active_version(), 3)


if __name__ == "__main__":
    unittest.main(verbosity=2)
