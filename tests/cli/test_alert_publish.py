#!/usr/bin/env python3
"""`hiroba-pack alert publish | cancel | sign-cap`, run as staff would run them,
with the stock minisign on the other side: keys made by `minisign -G -W` and
by `hiroba-pack keygen`, every signature verified by `minisign -Vm`, every
published file read back by `hiroba-pack alert inspect`. Also the chain
(a new alert while one is current is its Update; cancel references the whole
chain), drills, sign-cap on the agencies' CAP samples, and refusals.
Run by CTest with the binary's path as the first argument."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

PACK = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba-pack"
SRC = os.environ.get("HIROBA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FIX = os.path.join(SRC, "tests", "fixtures", "alerts")
SAMPLES = os.path.join(SRC, "..", "shared", "cap-samples")
MINISIGN = shutil.which("minisign")
T0 = "2026-11-24T10:00:00+09:00"


def run(*args, env=None):
    return subprocess.run(list(args), capture_output=True, timeout=60, env=env)


class AlertPublish(unittest.TestCase):
    def setUp(self):
        if not MINISIGN:
            self.skipTest("the stock minisign is not installed (apt-get install minisign)")
        self.tmp = tempfile.mkdtemp(prefix="hiroba-alert-publish-")
        self.pub = os.path.join(self.tmp, "publish")
        self.key = os.path.join(self.tmp, "city.key")
        self.pubkey = os.path.join(self.tmp, "city.pub")
        p = run(MINISIGN, "-G", "-W", "-p", self.pubkey, "-s", self.key)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.json = os.path.join(self.pub, "alerts", "chuo.json")

    def tearDown(self):
        if hasattr(self, "tmp"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def alert(self, cmd, *args, channel="chuo", key=None):
        return run(PACK, "alert", cmd, self.pub, "--channel", channel, "--key", key or self.key,
                   *args)

    def publish(self, *args, **kw):
        p = self.alert("publish", *args, **kw)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return p

    def minisign_ok(self, path, pubkey=None):
        """The stock tool accepts path + .minisig; returns the trusted comment."""
        p = run(MINISIGN, "-Vm", path, "-p", pubkey or self.pubkey)
        self.assertEqual(p.returncode, 0, (p.stdout, p.stderr))
        lines = [l for l in p.stdout.decode().splitlines() if l.startswith("Trusted comment: ")]
        self.assertEqual(len(lines), 1, p.stdout)
        return lines[0][len("Trusted comment: "):]

    def inspect(self, path, *args):
        p = run(PACK, "alert", "inspect", path, *args)
        return p.returncode, json.loads(p.stdout.decode().splitlines()[0])

    def doc(self):
        with open(self.json, "rb") as f:
            return json.loads(f.read().decode("utf-8"))

    def test_publish_update_cancel(self):
        p = self.publish("--id", "kobe-0042", "--at", T0, "--sender", "bousai@city.kobe.example.jp",
                         "--title-ja", "【警戒レベル4】避難指示", "--title-en", "Level 4: evacuate now",
                         "--body-ja", "土砂災害の危険が高まっています。",
                         "--instruction-ja", "直ちに避難してください。", "--area-ja", "神戸市中央区",
                         "--shelter-ja", "中央小学校@神戸市中央区1-2-3", "--shelter-ja", "市民会館",
                         "--shelter-en", "Chuo Elementary School",
                         "--severity", "extreme", "--urgency", "Immediate", "--for", "180",
                         "--url", "https://www.city.kobe.example.jp/bousai/")
        self.assertIn(b"published kobe-0042 on channel chuo: takeover", p.stdout)
        d = self.doc()
        self.assertEqual((d["format"], d["id"], d["status"], d["msgType"]),
                         (1, "kobe-0042", "Actual", "Alert"))
        self.assertEqual((d["severity"], d["urgency"]), ("Extreme", "Immediate"))
        self.assertEqual(d["sent"], T0)
        self.assertEqual(d["expires"], "2026-11-24T13:00:00+09:00")
        self.assertEqual(d["title"], {"ja": "【警戒レベル4】避難指示", "en": "Level 4: evacuate now"})
        self.assertEqual(d["shelters"], [
            {"name": {"ja": "中央小学校", "en": "Chuo Elementary School"},
             "address": {"ja": "神戸市中央区1-2-3"}},
            {"name": {"ja": "市民会館"}}])
        self.assertNotIn("references", d)
        self.assertEqual(self.minisign_ok(self.json), "hiroba-alert channel=chuo id=kobe-0042")
        rc, out = self.inspect(self.json, "--at", "2026-11-24T10:01:00+09:00")
        self.assertEqual((rc, out["action"], out["language"]), (0, "takeover", "ja"))
        self.assertEqual(out["expires"], "2026-11-24T04:00:00Z")
        rc, out = self.inspect(self.json, "--lang", "en", "--at", "2026-11-24T10:01:00+09:00")
        self.assertEqual(out["language"], "en")

        # The signature covers these exact bytes: one more byte and minisign refuses.
        with open(self.json, "rb") as f:
            text = f.read()
        tampered = os.path.join(self.tmp, "tampered.json")
        with open(tampered, "wb") as f:
            f.write(text.replace(b"Extreme", b"Extreme "))
        shutil.copy(self.json + ".minisig", tampered + ".minisig")
        self.assertNotEqual(run(MINISIGN, "-Vm", tampered, "-p", self.pubkey).returncode, 0)

        # A new alert while one is current is its Update.
        p = self.publish("--id", "kobe-0043", "--at", "2026-11-24T12:00:00+09:00",
                         "--title-ja", "【警戒レベル3】高齢者等避難", "--severity", "Moderate",
                         "--urgency", "Expected", "--expires", "2026-11-24T22:00:00+09:00")
        self.assertIn(b"an update of kobe-0042: banner", p.stdout)
        d = self.doc()
        self.assertEqual((d["msgType"], d["references"], d["sender"]),
                         ("Update", ["kobe-0042"], "bousai@city.kobe.example.jp"))
        self.assertEqual(self.minisign_ok(self.json), "hiroba-alert channel=chuo id=kobe-0043")
        self.assertEqual(self.inspect(self.json, "--at", "2026-11-24T12:01:00+09:00")[1]["action"],
                         "banner")

        # Another sender cannot take the chain over.
        p = self.alert("publish", "--title-ja", "別の発信者", "--severity", "Minor", "--urgency",
                       "Future", "--sender", "someone-else")
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"bousai@city.kobe.example.jp", p.stderr)
        # An id already in the chain would be a no-op on every kiosk.
        p = self.alert("publish", "--id", "kobe-0042", "--title-ja", "再利用", "--severity",
                       "Minor", "--urgency", "Future")
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"already used", p.stderr)

        # Cancel references the whole chain.
        p = self.alert("cancel", "--id", "kobe-0044", "--at", "2026-11-24T18:00:00+09:00")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"cancelled kobe-0043", p.stdout)
        d = self.doc()
        self.assertEqual((d["msgType"], d["status"], d["references"]),
                         ("Cancel", "Actual", ["kobe-0043", "kobe-0042"]))
        self.assertNotIn("title", d)
        self.assertEqual(self.minisign_ok(self.json), "hiroba-alert channel=chuo id=kobe-0044")
        rc, out = self.inspect(self.json, "--at", "2026-11-24T18:01:00+09:00")
        self.assertEqual((rc, out["action"], out["msgType"]), (0, "cancel", "Cancel"))
        # Nothing left to cancel.
        p = self.alert("cancel")
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"already cancelled", p.stderr)
        # Replaced whole, never half-written: no temporary file is left behind.
        self.assertEqual(sorted(os.listdir(os.path.dirname(self.json))),
                         ["chuo.json", "chuo.json.minisig"])

    def test_drills(self):
        self.publish("--id", "drill-1", "--at", T0, "--drill", "--title-ja", "【訓練】避難訓練",
                     "--severity", "Severe", "--urgency", "Immediate", "--for", "60")
        d = self.doc()
        self.assertEqual((d["status"], d["msgType"]), ("Exercise", "Alert"))
        at = "2026-11-24T10:10:00+09:00"
        self.assertEqual(self.inspect(self.json, "--drills", "on", "--at", at)[1]["action"], "drill")
        self.assertEqual(self.inspect(self.json, "--drills", "off", "--at", at)[1]["action"],
                         "ignore")
        # A real alert may follow a drill (its Update); a drill may not replace a real one.
        self.publish("--id", "real-1", "--at", "2026-11-24T10:20:00+09:00", "--title-ja",
                     "避難指示", "--severity", "Extreme", "--urgency", "Immediate")
        d = self.doc()
        self.assertEqual((d["status"], d["msgType"], d["references"]),
                         ("Actual", "Update", ["drill-1"]))
        p = self.alert("publish", "--drill", "--title-ja", "【訓練】", "--severity", "Minor",
                       "--urgency", "Future")
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"cancel it before publishing a drill", p.stderr)
        self.assertEqual(self.doc()["id"], "real-1")
        # Cancelling a drill is a drill's cancel (it can never end a real alert).
        self.assertEqual(self.alert("cancel").returncode, 0)
        self.publish("--id", "drill-2", "--drill", "--title-ja", "【訓練】", "--severity", "Minor",
                     "--urgency", "Future")
        p = self.alert("cancel", "--id", "drill-2-end")
        self.assertEqual(p.returncode, 0, p.stderr)
        d = self.doc()
        self.assertEqual((d["status"], d["msgType"], d["references"]),
                         ("Exercise", "Cancel", ["drill-2"]))
        self.minisign_ok(self.json)

    def test_key_from_keygen(self):
        """The other way round: a key pair made by hiroba-pack, checked by minisign."""
        base = os.path.join(self.tmp, "hb")
        p = run(PACK, "keygen", "--out", base)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.publish("--title-ja", "お知らせ", "--severity", "Minor", "--urgency", "Future",
                     channel="kita", key=base + ".key")
        path = os.path.join(self.pub, "alerts", "kita.json")
        comment = self.minisign_ok(path, base + ".pub")
        self.assertTrue(comment.startswith("hiroba-alert channel=kita id=kita-"), comment)
        self.assertNotEqual(run(MINISIGN, "-Vm", path, "-p", self.pubkey).returncode, 0)

    def test_sign_cap(self):
        cases = [os.path.join(FIX, "ja-evacuation.cap"), os.path.join(FIX, "ja-drill.cap")]
        if os.path.isdir(SAMPLES):
            cases += [os.path.join(SAMPLES, n) for n in
                      ("earthquake.cap", "canada.cap", "australia.cap", "earthquake-iso8859-1.cap")]
        for src in cases:
            path = os.path.join(self.tmp, os.path.basename(src))
            shutil.copy(src, path)
            p = run(PACK, "alert", "sign-cap", path, "--key", self.key)
            self.assertEqual(p.returncode, 0, (src, p.stderr))
            comment = self.minisign_ok(path)
            self.assertTrue(comment.startswith("hiroba-cap id="), comment)
            with open(src, "rb") as a, open(path, "rb") as b:
                self.assertEqual(a.read(), b.read())  # signed as is, never rewritten
        self.assertEqual(self.minisign_ok(os.path.join(self.tmp, "ja-evacuation.cap")),
                         "hiroba-cap id=JP-KOBE-2026-0042")
        # What a kiosk would refuse is not signed.
        for name in ("invalid.cap", "canada_errors.cap"):
            src = os.path.join(SAMPLES, name)
            if not os.path.exists(src):
                continue
            path = os.path.join(self.tmp, name)
            shutil.copy(src, path)
            p = run(PACK, "alert", "sign-cap", path, "--key", self.key)
            self.assertEqual(p.returncode, 1, name)
            self.assertIn(b"not signed", p.stderr)
            self.assertFalse(os.path.exists(path + ".minisig"))
        # A native alert is not CAP.
        native = os.path.join(self.tmp, "native.json")
        shutil.copy(os.path.join(FIX, "native-evacuation.json"), native)
        self.assertEqual(run(PACK, "alert", "sign-cap", native, "--key", self.key).returncode, 1)

    def test_usage_and_refusals(self):
        base = ["--title-ja", "題", "--severity", "Minor", "--urgency", "Future"]
        for args in (["--title-ja", "題", "--severity", "Minor"],          # no urgency
                     ["--severity", "Minor", "--urgency", "Future"],       # no title
                     base + ["--severity", "Minor"],                       # given twice
                     ["--title-ja", "題", "--severity", "Huge", "--urgency", "Future"],
                     base + ["--url", "http://city.example.jp/"],
                     base + ["--id", "a,b"],
                     base + ["--id", "has space"],
                     base + ["--for", "0"],
                     base + ["--for", "60", "--expires", "2026-11-24T12:00:00+09:00"],
                     base + ["--at", T0, "--expires", "2026-11-24T09:00:00+09:00"],
                     base + ["--title-xx", "?"],
                     base + ["--body-en", "English without Japanese"],
                     base + ["--shelter-en", "School"],
                     base + ["--frobnicate", "1"]):
            p = self.alert("publish", *args)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertFalse(os.path.exists(self.json), args)
        self.assertEqual(run(PACK, "alert", "publish", self.pub, "--key", self.key,
                             *base).returncode, 2)  # no channel
        self.assertEqual(self.alert("publish", *base, channel="../etc").returncode, 2)
        self.assertEqual(self.alert("cancel", "--drill").returncode, 2)
        # A key that cannot be read, and a current file a kiosk would not read.
        self.assertEqual(self.alert("publish", *base, key=os.path.join(self.tmp, "nope.key"))
                         .returncode, 1)
        os.makedirs(os.path.dirname(self.json))
        with open(self.json, "w") as f:
            f.write("{not json")
        p = self.alert("publish", *base)
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"move it away", p.stderr)
        self.assertEqual(run(PACK, "alert", "sign-cap", "--key", self.key).returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
