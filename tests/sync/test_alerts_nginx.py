#!/usr/bin/env python3
"""Emergency alerts end to end: a real nginx on loopback serves what
`hiroba-pack alert publish | cancel | sign-cap` write, and the real kiosk
runs headless (touch, home screen, periodic screenshots, alert_poll = 1 s)
with its pack naming feeds.alerts and feeds.cap on that server. Checked:
a published evacuation alert is taken within one poll (the alerter's line,
the alert screen's "alert: showing takeover ID", a red full-screen shot,
an active row in DATA/hiroba.db); cancel takes it off the screen; spoofs
over the wire never show and are refused once each: the old alert's bytes
and good signature put back after its cancel (replay), an unsigned document,
one signed by a key the kiosk does not trust; kill -9 while an alert is
active, then a restart with the server down: the FIRST screenshot already
shows the alert, and it stays while the server is down until it expires
(published with --expires a few seconds ahead), then leaves the screen; a
CAP drill signed with sign-cap is refused by a kiosk with drills = no and
shown, marked as a drill, by one with drills = yes; an unsigned CAP document
is shown only from the https source cap_trusted_tls names (verified TLS, a
pinned test CA), not when that URL redirects to plain http.
Run by CTest: test_alerts_nginx.py HIROBA HIROBA_PACK."""
import datetime
import json
import os
import re
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
import fault_server as fsrv  # noqa: E402
from nginx_fixture import Nginx  # noqa: E402

HIROBA = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba"
PACK = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba-pack"
CHANNEL = "lobby"
POLL = 1  # alert_poll, seconds
# The bound the issue sets is the poll interval plus one second; a loaded
# CI machine gets two more (the benchmark measures the real figure).
WITHIN = POLL + 1 + 2
WAIT = 15
SIZE = (960, 540)
TAKEOVER_RED = (0x9E, 0x00, 0x00)  # app/screens/alert.c: Extreme's background
SEVERE_AMBER = (0xFF, 0xB3, 0x00)  # Severe's (the drill below)
JST = datetime.timezone(datetime.timedelta(hours=9))


def iso(t):
    return datetime.datetime.fromtimestamp(int(t), JST).isoformat()


def cap_doc(ident, status, severity, event, headline, minutes):
    """A CAP 1.2 alert in Japanese, sent now, expiring in minutes."""
    now = time.time()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{ident}</identifier>
  <sender>bousai@city.hiroba.example.jp</sender>
  <sent>{iso(now)}</sent>
  <status>{status}</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>ja-JP</language>
    <category>Safety</category>
    <event>{event}</event>
    <urgency>Immediate</urgency>
    <severity>{severity}</severity>
    <certainty>Observed</certainty>
    <expires>{iso(now + minutes * 60)}</expires>
    <senderName>ひろば市 危機管理課</senderName>
    <headline>{headline}</headline>
    <instruction>係員の指示に従って、落ち着いて避難してください。</instruction>
    <area><areaDesc>ひろば町全域</areaDesc></area>
  </info>
</alert>
"""


# ---- screenshots -------------------------------------------------------------------------

def read_png(path):
    """(width, height, rows of RGB bytes) of an 8-bit, non-interlaced RGB or
    RGBA PNG (what the kiosk writes), with the standard library only."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{path} is not a PNG")
    pos, idat = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise AssertionError(f"{path}: unexpected PNG format {depth}/{ctype}/{interlace}")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    i = 0
    for _ in range(h):
        kind = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if kind == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif kind == 2:
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 255
        elif kind == 3:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
        elif kind == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(
            v for k, v in enumerate(line) if k % 4 != 3))
        prev = line
    return w, h, rows


def share_of(path, rgb, tol=24):
    """The share of pixels (every 5th in each direction) within tol of rgb."""
    w, h, rows = read_png(path)
    hit = seen = 0
    for y in range(0, h, 5):
        row = rows[y]
        for x in range(0, w, 5):
            r, g, b = row[3 * x:3 * x + 3]
            seen += 1
            if abs(r - rgb[0]) <= tol and abs(g - rgb[1]) <= tol and abs(b - rgb[2]) <= tol:
                hit += 1
    return hit / seen


def is_takeover(path):
    """A full-screen alert covers most of the picture with its red."""
    return share_of(path, TAKEOVER_RED) > 0.3


# ---- the kiosk ---------------------------------------------------------------------------

class Kiosk:
    """The real kiosk, headless, in the background, its log in a file and a
    screenshot every 0.25 s."""

    def __init__(self, test, name, conf, seconds=240, data=None, pub=None):
        self.log_path = os.path.join(test.tmp, name + ".log")
        self.shots = os.path.join(test.tmp, name + "-shots")
        os.makedirs(self.shots)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [HIROBA, "--headless", "--size", f"{SIZE[0]}x{SIZE[1]}", "--touch", "--screen",
             "home", "--config", conf, "--data", data or test.data, "--channel", CHANNEL,
             "--source", pub or test.pub, "--trust", test.key + ".pub", "--lang", "ja",
             "--screenshot-dir", self.shots, "--screenshot-every", "0.25",
             "--after", str(seconds)],
            stdout=subprocess.DEVNULL, stderr=self.log)
        self.seen = 0

    def text(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_log(self, pattern, timeout=WAIT, after=None):
        """Waits for pattern after offset `after` (default: the last wait's
        match); returns the match."""
        start = self.seen if after is None else after
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            text = self.text()
            m = rx.search(text, start)
            if m:
                self.seen = m.end()
                return m
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no /{pattern}/ in the kiosk's log (exit "
                                     f"{self.proc.poll()}):\n{text[start:][-4000:]}")
            time.sleep(0.02)

    def shots_since(self, t):
        """Screenshots written at or after time.time() t, oldest first (the
        kiosk writes each whole and renames it into place). Found by their
        files, not by log lines: the log limits how often one kind of line
        is printed."""
        out = []
        for name in sorted(os.listdir(self.shots)):
            path = os.path.join(self.shots, name)
            if name.startswith("shot-") and name.endswith(".png") and \
                    os.stat(path).st_mtime >= t:
                out.append(path)
        return out

    def wait_shot(self, want, since=None, timeout=5):
        """The first screenshot written after since (default: now) for which
        want(path) holds: the picture follows a change within a frame or two,
        and shots come every 0.25 s."""
        since = time.time() if since is None else since
        deadline = time.monotonic() + timeout
        checked = set()
        while True:
            for path in self.shots_since(since):
                if path not in checked:
                    checked.add(path)
                    if want(path):
                        return path
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no screenshot of the change within {timeout} s "
                                     f"({len(checked)} looked at)")
            time.sleep(0.05)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=15)
        self.log.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("the kiosk did not stop within 15 s of SIGTERM")
        finally:
            self.log.close()
        return self.proc.returncode


class AlertsNginx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hiroba-alerts-nginx-")
        cls.www = os.path.join(cls.tmp, "www")
        cls.src = os.path.join(cls.tmp, "src")
        cls.pub = os.path.join(cls.tmp, "pub")
        cls.data = os.path.join(cls.tmp, "data")
        os.makedirs(os.path.join(cls.www, "alerts"))
        os.makedirs(os.path.join(cls.www, "cap"))
        os.makedirs(cls.src)
        cls.key = fsrv.keygen(PACK, os.path.join(cls.tmp, "city"))
        cls.other = fsrv.keygen(PACK, os.path.join(cls.tmp, "someone-else"))
        cls.nginx = Nginx(cls.www)
        cls.nginx.start()
        cls.write_pack(cls.src, cls.pub, {"alerts": f"{cls.nginx.url}/alerts/{CHANNEL}.json",
                                          "cap": f"{cls.nginx.url}/cap/drill.cap"})
        cls.conf = cls.write_conf("hiroba.conf", drills=False)
        cls.conf_drills = cls.write_conf("hiroba-drills.conf", drills=True)

    @classmethod
    def tearDownClass(cls):
        cls.nginx.__exit__(None, None, None)
        if os.environ.get("HIROBA_KEEP_TMP"):
            print(f"kept {cls.tmp}", file=sys.stderr)
        else:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def write_conf(cls, name, drills):
        path = os.path.join(cls.tmp, name)
        with open(path, "w") as f:
            f.write(f"[kiosk]\nalert_poll = {POLL}\ndrills = {'yes' if drills else 'no'}\n"
                    "queue_poll = 60\nvacancy_poll = 60\n")
        return path

    @classmethod
    def write_pack(cls, src, pub, feeds, version=1):
        """A one-picture pack naming these feed URLs, built and signed into pub."""
        os.makedirs(src, exist_ok=True)
        with open(os.path.join(src, "a.png"), "wb") as f:
            f.write(fsrv.png(32, 32, version))
        doc = {"format": 1, "facility": {"name": {"ja": "ひろば館", "en": "Hiroba Hall"}},
               "feeds": feeds,
               "items": [{"id": "a", "type": "image", "file": "a.png", "duration": 5}],
               "playlists": [{"id": "main", "items": ["a"]}],
               "schedule": [{"playlist": "main"}]}
        with open(os.path.join(src, "pack.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        fsrv.publish(PACK, src, pub, CHANNEL, cls.key, "--version", str(version))

    # ---- staff commands and the server's files -----------------------------------------

    def alert(self, cmd, *args, where=None, key=None):
        p = subprocess.run([PACK, "alert", cmd, where or self.www, "--channel", CHANNEL,
                            "--key", (key or self.key) + ".key", *args],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())

    def publish(self, ident, title, *args, where=None, key=None):
        self.alert("publish", "--id", ident, "--title-ja", title, "--title-en", "Evacuate now",
                   "--instruction-ja", "直ちに近くの避難所へ避難してください。",
                   "--area-ja", "ひろば町全域", "--shelter-ja", "ひろば小学校@ひろば町1-2-3",
                   "--severity", "Extreme", "--urgency", "Immediate", *args,
                   where=where, key=key)

    def native_path(self, root=None):
        return os.path.join(root or self.www, "alerts", CHANNEL + ".json")

    def read_pair(self, root=None):
        path = self.native_path(root)
        with open(path, "rb") as f, open(path + ".minisig", "rb") as g:
            return f.read(), g.read()

    def put_pair(self, doc, sig):
        """Replaces the native alert's files (None: removed): the document
        goes first, then the signature is written, then the new document,
        each replaced whole. A poll in between finds no document (nothing to
        judge), never one file of the old pair beside one of the new: each
        spoof below is then judged exactly once."""
        path = self.native_path()
        for p, body in ((path, None), (path + ".minisig", sig), (path, doc)):
            if body is None:
                if os.path.exists(p):
                    os.unlink(p)
                continue
            with open(p + ".tmp", "wb") as f:
                f.write(body)
            os.replace(p + ".tmp", p)

    def refusals(self, needle, data=None):
        """How often the kiosk recorded a refusal whose reason contains
        needle (the staff view's list: a reason repeated in a row is
        counted, log lines are de-duplicated by the log itself)."""
        db = sqlite3.connect(os.path.join(data or self.data, "hiroba.db"), timeout=10)
        try:
            (n,) = db.execute("SELECT COALESCE(SUM(count), 0) FROM rejections WHERE source = "
                              "'alerts' AND instr(reason, ?) > 0", (needle,)).fetchone()
            return n
        finally:
            db.close()

    def row(self, ident, data=None):
        """(state, status, source) of the alert in the kiosk's database, or None."""
        db = sqlite3.connect(os.path.join(data or self.data, "hiroba.db"), timeout=10)
        try:
            return db.execute("SELECT state, status, source FROM alerts WHERE identifier = ?",
                              (ident,)).fetchone()
        finally:
            db.close()

    def cap_drill(self, ident, minutes=20):
        """A CAP 1.2 exercise, written now, signed with sign-cap, at feeds.cap."""
        path = os.path.join(self.www, "cap", "drill.cap")
        with open(path, "w", encoding="utf-8") as f:
            f.write(cap_doc(ident, "Exercise", "Severe", "避難訓練", "【訓練】これは避難訓練です",
                            minutes))
        p = subprocess.run([PACK, "alert", "sign-cap", path, "--key", self.key + ".key"],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())

    def make_ca(self):
        """A CA and a server certificate for 127.0.0.1 signed by it."""
        d = os.path.join(self.tmp, "ca")
        os.makedirs(d)
        ca_key, ca, key, csr, cert = (os.path.join(d, n) for n in
                                      ("ca.key", "ca.pem", "srv.key", "srv.csr", "srv.pem"))
        ext = os.path.join(d, "ext.cnf")
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1\n")
        for args in (["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                      "/CN=hiroba test CA", "-keyout", ca_key, "-out", ca],
                     ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                      "-keyout", key, "-out", csr],
                     ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
                      "-days", "2", "-extfile", ext, "-out", cert]):
            subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)
        return ca, cert, key

    # ---- the story --------------------------------------------------------------------

    def assert_never(self, kiosk, pattern, start):
        text = kiosk.text()
        self.assertIsNone(re.search(pattern, text[start:]),
                          f"/{pattern}/ found in the kiosk's log:\n{text[start:][-3000:]}")

    def test_alerts(self):
        # A drill at feeds.cap from the start: this kiosk does not show drills.
        self.cap_drill("JP-HIROBA-K001")
        k = Kiosk(self, "k1", self.conf)
        try:
            k.wait_log(r"alerter: alert: polling http://127\.0\.0\.1:\d+/alerts/lobby\.json "
                       r"every 1 s")
            k.wait_log(r"refused CAP JP-HIROBA-K001: drill not allowed", after=0)
            begin = k.seen

            # Publish: on screen within one poll.
            t0 = time.monotonic()
            self.publish("hiroba-a1", "【警戒レベル4】避難指示", "--for", "60")
            m = k.wait_log(r"alert: showing takeover hiroba-a1: 【警戒レベル4】避難指示",
                           timeout=WITHIN)
            latency = time.monotonic() - t0
            print(f"publish -> on screen: {latency:.2f} s (poll {POLL} s)", file=sys.stderr)
            shown_at = m.start()
            self.assertRegex(k.text()[begin:shown_at], r"alerts: takeover hiroba-a1 from ")
            self.assertEqual(self.row("hiroba-a1"), ("active", "Actual", "native"))
            k.wait_shot(is_takeover, timeout=2)
            old_doc, old_sig = self.read_pair()

            # Cancel: gone.
            self.alert("cancel", "--id", "hiroba-c1")
            m = k.wait_log(r"alerts: native alert hiroba-c1: .*\(1 ended\)", timeout=WITHIN)
            cancelled_at = m.end()
            gone = os.stat(k.wait_shot(lambda p: not is_takeover(p), timeout=2)).st_mtime
            self.assertEqual(self.row("hiroba-a1")[0], "cancelled")

            # Replay of the old alert (its bytes and good signature) after the cancel.
            self.put_pair(old_doc, old_sig)
            k.wait_log(r"refused native alert hiroba-a1: replay of a cancelled alert")
            # Spoof: a document with no signature beside it.
            scratch = os.path.join(self.tmp, "scratch-unsigned")
            self.publish("hiroba-u1", "偽の避難指示", where=scratch)
            doc, _ = self.read_pair(scratch)
            self.put_pair(doc, None)
            k.wait_log(r"refused native alert \(unread\): unsigned")
            # Spoof: signed by a key the kiosk does not trust.
            scratch = os.path.join(self.tmp, "scratch-wrong-key")
            self.publish("hiroba-w1", "偽の避難指示", where=scratch, key=self.other)
            self.put_pair(*self.read_pair(scratch))
            k.wait_log(r"refused native alert \(unread\): wrong key")
            time.sleep(4 * POLL)
            # Nothing was accepted after the cancel, and nothing red was on
            # screen since it left (every other shot looked at: 2 a second).
            self.assert_never(k, r"alerts: (takeover|banner|drill) |alert: showing", cancelled_at)
            shots = k.shots_since(gone)
            self.assertGreater(len(shots), 20)
            for path in shots[::2]:
                self.assertFalse(is_takeover(path), f"a spoof reached the screen: {path}")
            for ident in ("hiroba-u1", "hiroba-w1"):
                self.assertIsNone(self.row(ident), f"{ident} was stored")
            self.assertEqual(self.row("hiroba-a1")[0], "cancelled")
            # Each refusal recorded once, not once per poll (the drill's
            # about 20 polls ago).
            for what in ("hiroba-a1: replay of a cancelled alert", "(unread): unsigned",
                         "(unread): wrong key", "JP-HIROBA-K001: drill not allowed"):
                self.assertEqual(self.refusals(what), 1, f"'{what}' recorded more than once")

            # A real alert that expires a little later; kill -9 while it is on.
            self.put_pair(None, None)
            expires = time.time() + 25
            self.publish("hiroba-b1", "【警戒レベル5】緊急安全確保", "--expires", iso(expires))
            k.wait_log(r"alert: showing takeover hiroba-b1", timeout=WITHIN)
        finally:
            k.kill9()

        # Restarted with the server down: the alert is on the first frame.
        self.nginx.stop()
        try:
            k2 = Kiosk(self, "k2", self.conf)
            first = k2.wait_log(r"main: wrote (\S+shot-0001\.png)")
            text = k2.text()
            self.assertIn("alert: showing takeover hiroba-b1", text[:first.start()],
                          "the first frame did not show the alert")
            self.assertTrue(is_takeover(first.group(1)), "the first screenshot is not the alert")
            # The server is down: the alert stays until it expires, then goes.
            k2.wait_log(r"alerter: alert failed: .*\(http://127\.0\.0\.1:\d+/alerts/lobby\.json\)",
                        after=0)
            if time.time() < expires - 2:
                self.assertTrue(is_takeover(k2.wait_shot(lambda p: True)), "gone before expiry")
            else:
                print("note: the restart took too long to see the alert before its expiry",
                      file=sys.stderr)
            m = k2.wait_log(r"alerts: alert hiroba-b1 expired",
                            timeout=max(5, expires - time.time() + 10))
            self.assertGreaterEqual(time.time(), expires - 1, "ended before its expiry")
            k2.wait_shot(lambda p: not is_takeover(p), timeout=2)
            self.assertEqual(self.row("hiroba-b1")[0], "expired")
        finally:
            if "k2" in locals():
                k2.stop()
            self.nginx.start()

        # A kiosk that shows drills shows the CAP drill, marked as one.
        k3 = Kiosk(self, "k3", self.conf_drills)
        try:
            k3.wait_log(r"alert: showing drill JP-HIROBA-K001: 【訓練】これは避難訓練です",
                        timeout=WAIT)
            self.assertEqual(self.row("JP-HIROBA-K001"), ("active", "Exercise", "cap"))
            # Over the whole screen (Severe, Immediate), in Severe's amber.
            shot = k3.wait_shot(lambda p: share_of(p, SEVERE_AMBER) > 0.3, timeout=3)
            shutil.copy(shot, os.path.join(self.tmp, "drill.png"))
            self.assert_never(k3, r"showing (takeover|banner) ", 0)
        finally:
            k3.stop()

    def test_trusted_tls_source(self):
        """A CAP source the config trusts over verified TLS needs no relay
        signature: shown (stored as cap-tls) when it comes from https under
        the trusted prefix; the same trusted URL redirecting to plain http
        is not that source, and the unsigned document is refused."""
        ca, cert, key = self.make_ca()
        tls_www = os.path.join(self.tmp, "www-tls")
        doc = cap_doc("JP-HIROBA-T001", "Actual", "Extreme", "避難指示",
                      "【警戒レベル4】避難指示（TLS）", 20)
        for root in (tls_www, self.www):  # the same unsigned bytes on both servers
            os.makedirs(os.path.join(root, "cap"), exist_ok=True)
            with open(os.path.join(root, "cap", "tls.cap"), "w", encoding="utf-8") as f:
                f.write(doc)
        moved = f"location = /cap/moved.cap {{ return 302 {self.nginx.url}/cap/tls.cap; }}"
        data = os.path.join(self.tmp, "data-tls")
        src, pub = os.path.join(self.tmp, "src-tls"), os.path.join(self.tmp, "pub-tls")
        conf = os.path.join(self.tmp, "hiroba-tls.conf")
        with Nginx(tls_www, tls=(cert, key), extra_conf=moved) as ng:
            with open(conf, "w") as f:
                f.write(f"[kiosk]\nalert_poll = {POLL}\nca_file = {ca}\n"
                        f"cap_trusted_tls = {ng.url}/cap/\n")
            # The trusted https URL answers with a redirect to plain http.
            self.write_pack(src, pub, {"cap": f"{ng.url}/cap/moved.cap"}, version=1)
            k = Kiosk(self, "tls-redirect", conf, data=data, pub=pub)
            try:
                k.wait_log(r"refused CAP \(unread\): unsigned")
                time.sleep(3 * POLL)
                self.assert_never(k, r"alert: showing", 0)
            finally:
                k.stop()
            self.assertIsNone(self.row("JP-HIROBA-T001", data))
            # Straight from https under the prefix: shown, though unsigned.
            self.write_pack(src, pub, {"cap": f"{ng.url}/cap/tls.cap"}, version=2)
            k = Kiosk(self, "tls-direct", conf, data=data, pub=pub)
            try:
                k.wait_log(r"alert: showing takeover JP-HIROBA-T001: 【警戒レベル4】避難指示（TLS）")
                self.assertEqual(self.row("JP-HIROBA-T001", data), ("active", "Actual", "cap-tls"))
            finally:
                k.stop()


if __name__ == "__main__":
    unittest.main()
