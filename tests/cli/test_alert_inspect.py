#!/usr/bin/env python3
"""Contract of `hiroba-pack alert inspect FILE`: one JSON line with exactly the
keys action, status, msgType, language, expires, reason; exit 0 when the
document was understood, 1 when rejected. Runs the real binary on our
fixtures (tests/fixtures/alerts) and on hostile documents written here.
Run by CTest with the binary's path as the first argument."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

PACK = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba-pack"
SRC = os.environ.get("HIROBA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FIX = os.path.join(SRC, "tests", "fixtures", "alerts")
KEYS = ["action", "status", "msgType", "language", "expires", "reason"]


def inspect(path, *args):
    p = subprocess.run([PACK, "alert", "inspect", path, *args], capture_output=True, timeout=30)
    lines = p.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1, (p.stdout, p.stderr)
    out = json.loads(lines[0])
    assert list(out) == KEYS, out
    return p.returncode, out


class Inspect(unittest.TestCase):
    def test_takeover(self):
        rc, out = inspect(os.path.join(FIX, "ja-evacuation.cap"), "--at", "2026-11-24T10:05:00+09:00")
        self.assertEqual(rc, 0)
        self.assertEqual(out["action"], "takeover")
        self.assertEqual(out["status"], "Actual")
        self.assertEqual(out["msgType"], "Alert")
        self.assertEqual(out["language"], "ja-JP")
        self.assertEqual(out["expires"], "2026-11-24T13:00:00Z")

    def test_expired(self):
        rc, out = inspect(os.path.join(FIX, "ja-evacuation.cap"), "--at", "2026-11-25T00:00:00+09:00")
        self.assertEqual((rc, out["action"]), (0, "ignore"))
        self.assertIn("expired", out["reason"])

    def test_drill(self):
        f = os.path.join(FIX, "ja-drill.cap")
        t = "2026-11-24T10:01:00+09:00"
        self.assertEqual(inspect(f, "--drills", "on", "--at", t)[1]["action"], "drill")
        self.assertEqual(inspect(f, "--drills", "off", "--at", t)[1]["action"], "ignore")
        self.assertEqual(inspect(f, "--at", t)[1]["action"], "ignore")  # drills off by default

    def test_language(self):
        f = os.path.join(FIX, "ja-en-two-info.cap")
        t = "2026-11-24T12:05:00+09:00"
        self.assertEqual(inspect(f, "--at", t)[1]["language"], "ja-JP")
        self.assertEqual(inspect(f, "--lang", "en", "--at", t)[1]["language"], "en-US")

    def test_update_cancel_native(self):
        self.assertEqual(inspect(os.path.join(FIX, "ja-update.cap"), "--at",
                                 "2026-11-24T14:01:00+09:00")[1]["action"], "banner")
        rc, out = inspect(os.path.join(FIX, "ja-cancel.cap"), "--at", "2026-11-24T18:01:00+09:00")
        self.assertEqual((rc, out["action"], out["msgType"]), (0, "cancel", "Cancel"))
        rc, out = inspect(os.path.join(FIX, "native-evacuation.json"), "--lang", "en", "--at",
                          "2026-11-24T10:05:00+09:00")
        self.assertEqual((rc, out["action"], out["language"]), (0, "takeover", "en"))

    def test_reject(self):
        with tempfile.TemporaryDirectory() as d:
            cases = {
                "broken.cap": b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>",
                "xxe.cap": b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                           b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'>&x;</alert>",
                "huge.cap": b"<alert>" + b" " * (2 << 20) + b"</alert>",
            }
            for name, data in cases.items():
                path = os.path.join(d, name)
                with open(path, "wb") as f:
                    f.write(data)
                rc, out = inspect(path)
                self.assertEqual((rc, out["action"]), (1, "reject"), name)
                self.assertEqual((out["status"], out["msgType"], out["expires"]), ("", "", ""))
                self.assertTrue(out["reason"], name)
                self.assertNotIn("root:", out["reason"])

    def test_usage(self):
        p = subprocess.run([PACK, "alert", "inspect"], capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        p = subprocess.run([PACK, "alert", "inspect", os.path.join(FIX, "ja-drill.cap"), "--drills",
                            "maybe"], capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        p = subprocess.run([PACK, "alert", "inspect", "/nonexistent.cap"], capture_output=True,
                           timeout=30)
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main()
