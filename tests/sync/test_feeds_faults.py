#!/usr/bin/env python3
"""The live feeds of a running kiosk against a real nginx and the fault
server on loopback. A small pack built and signed with hiroba-pack names the
feed URLs; the real kiosk runs headless and polls them every second. Checked:
a good feed is accepted and cached in DATA/hiroba.db (feed_cache); the next
poll is a conditional one (a 304 in nginx's log, checked_at moves while
fetched_at stays); a malformed document, a missing field, a wrong type and a
body over 256 KiB are each refused with the reason in the log while the
cache keeps the last good body; with the server down the cached value stays
and the new one is taken when it is back; a restart offline loads the cache;
a pack that moves its feeds elsewhere never shows the old place's cache;
truncated, endless, hanging and trickling answers (fault server) fail with
their reason and the last good value stays.
Run by CTest: test_feeds_faults.py HIROBA HIROBA_PACK."""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fault_server as fsrv  # noqa: E402
from nginx_fixture import Nginx  # noqa: E402

HIROBA = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba"
PACK = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba-pack"
CHANNEL = "lobby"
QUEUE = "/feeds/queue.json"
VACANCY = "/feeds/vacancy.json"
WAIT = 12  # seconds: far more than a few one-second polls with backoff (capped at 4 s)


def queue_doc(minute, n_counters, serving=100):
    counters = [{"id": f"c{i}", "name": {"ja": f"窓口{i + 1}", "en": f"Counter {i + 1}"},
                 "serving": serving + i, "waiting": i, "wait_minutes": 5 * i, "open": True}
                for i in range(n_counters)]
    return json.dumps({"format": 1, "updated": f"2026-11-24T10:{minute:02d}:00+09:00",
                       "counters": counters}, ensure_ascii=False, indent=1).encode()


def vacancy_doc(n_facilities):
    days = [{"date": "2026-11-24", "slots": [
        {"start": "09:00", "end": "11:00", "state": "free"},
        {"start": "11:00", "end": "13:00", "state": "booked"}]}]
    facilities = [{"id": f"room{i}", "name": f"会議室{i + 1}", "days": days}
                  for i in range(n_facilities)]
    return json.dumps({"format": 1, "updated": "2026-11-24T10:00:00+09:00",
                       "facilities": facilities}, ensure_ascii=False).encode()


GOOD = [queue_doc(3, 2), queue_doc(4, 3), queue_doc(5, 4), queue_doc(6, 5)]

# name, body, what the log must say about it
BAD = [
    ("malformed", b'{"format": 1, "updated": "2026-11-24T10:09:00+09:00", "counters": [',
     r"queue refused: queue\.json:\d+:\d+: .*invalid JSON"),
    ("missing field",
     b'{"format": 1, "updated": "2026-11-24T10:09:00+09:00", "counters": '
     b'[{"id": "c0", "open": true}]}',
     r'queue refused: queue\.json:\d+:\d+: counters\[0\]: missing "name"'),
    ("wrong type",
     b'{"format": 1, "updated": "2026-11-24T10:09:00+09:00", "counters": '
     b'[{"id": "c0", "name": "counter", "waiting": "3", "open": true}]}',
     r"queue refused: queue\.json:\d+:\d+: counters\[0\]\.waiting: expected"),
    ("over 256 KiB", GOOD[0] + b" " * (256 * 1024),
     r"queue refused: larger than 262144 bytes"),
]


class Kiosk:
    """The real kiosk, headless, in the background, its log in a file."""

    def __init__(self, test, log_name, seconds=60):
        self.log_path = os.path.join(test.tmp, log_name)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [HIROBA, "--headless", "--size", "480x270", "--screen", "signage",
             "--config", test.conf, "--data", test.data, "--channel", CHANNEL,
             "--source", test.pub, "--trust", test.key + ".pub", "--after", str(seconds)],
            stdout=subprocess.DEVNULL, stderr=self.log)
        self.seen = 0  # log offset: wait_log only looks at what came after

    def text(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_log(self, *patterns, timeout=WAIT):
        """Waits until every pattern is in the log after the last wait (the
        two feeds' lines come in either order); later waits look after the
        last of these matches."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            found = [re.compile(p).search(text, self.seen) for p in patterns]
            if all(found):
                self.seen = max(m.end() for m in found)
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                missing = [p for p, m in zip(patterns, found) if not m]
                raise AssertionError(f"no /{missing[0]}/ in the kiosk's log "
                                     f"(exit {self.proc.poll()}):\n{text[self.seen:]}")
            time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # SDL turns it into a quit
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("the kiosk did not stop within 15 s of SIGTERM")
        finally:
            self.log.close()
        return self.proc.returncode


class FeedsFaults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hiroba-feeds-faults-")
        cls.www = os.path.join(cls.tmp, "www")
        cls.src = os.path.join(cls.tmp, "src")
        cls.pub = os.path.join(cls.tmp, "pub")
        cls.data = os.path.join(cls.tmp, "data")
        os.makedirs(os.path.join(cls.www, "feeds"))
        os.makedirs(cls.src)
        cls.key = fsrv.keygen(PACK, os.path.join(cls.tmp, "staff"))
        cls.conf = os.path.join(cls.tmp, "hiroba.conf")
        with open(cls.conf, "w") as f:
            f.write("[kiosk]\nqueue_poll = 1\nvacancy_poll = 1\n")
        cls.mtime = int(time.time()) - 1000
        cls.version = 0
        cls.nginx = Nginx(cls.www)
        cls.nginx.start()

    @classmethod
    def tearDownClass(cls):
        cls.nginx.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ---- helpers -------------------------------------------------------------------------

    @classmethod
    def serve(cls, path, body, root=None):
        """Replaces a served file whole, with an mtime of its own (nginx's
        ETag is mtime and size: two bodies must never share one)."""
        full = os.path.join(root or cls.www, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full + ".tmp", "wb") as f:
            f.write(body)
        cls.mtime += 1
        os.utime(full + ".tmp", (cls.mtime, cls.mtime))
        os.replace(full + ".tmp", full)

    @classmethod
    def publish_pack(cls, base_url):
        """The next version of a one-picture pack whose feeds are at base_url."""
        cls.version += 1
        with open(os.path.join(cls.src, "a.png"), "wb") as f:
            f.write(fsrv.png(32, 32, cls.version))
        doc = {"format": 1, "facility": {"name": {"ja": "ひろば館", "en": "Hiroba Hall"}},
               "feeds": {"queue": base_url + QUEUE, "vacancy": base_url + VACANCY},
               "items": [{"id": "a", "type": "image", "file": "a.png", "duration": 5}],
               "playlists": [{"id": "main", "items": ["a"]}],
               "schedule": [{"playlist": "main"}]}
        with open(os.path.join(cls.src, "pack.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        fsrv.publish(PACK, cls.src, cls.pub, CHANNEL, cls.key, "--version", str(cls.version))

    def cache(self, name="queue"):
        """(url, body, fetched_at_ms, checked_at_ms) of a feed_cache row, or None."""
        db = sqlite3.connect(os.path.join(self.data, "hiroba.db"), timeout=10)
        try:
            return db.execute("SELECT url, body, fetched_at_ms, checked_at_ms FROM feed_cache"
                              " WHERE name = ?", (name,)).fetchone()
        finally:
            db.close()

    def assert_cached(self, body, url=None, name="queue"):
        row = self.cache(name)
        self.assertIsNotNone(row, f"no {name} row in feed_cache")
        self.assertEqual(bytes(row[1]), body, f"the cached {name} body is not the last good one")
        if url:
            self.assertEqual(row[0], url)
        return row

    def wait(self, cond, what, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.05)

    def rejections(self):
        db = sqlite3.connect(os.path.join(self.data, "hiroba.db"), timeout=10)
        try:
            return [r[0] for r in db.execute(
                "SELECT reason FROM rejections WHERE source = 'feeds' ORDER BY id")]
        finally:
            db.close()

    # ---- the cases, in order: each starts from what the one before left -----------------

    def test_1_nginx_good_304_refusals_down_and_back(self):
        ng = self.nginx
        queue_url = ng.url + QUEUE
        self.serve(QUEUE, GOOD[0])
        self.serve(VACANCY, vacancy_doc(2))
        self.publish_pack(ng.url)
        kiosk = Kiosk(self, "run1.log")
        try:
            # 1. Accepted, announced and cached.
            kiosk.wait_log(r"feeds: queue updated: 2 counters, updated 2026-11-24T10:03:00\+09:00",
                           r"feeds: vacancy updated: 2 facilities")
            self.wait(lambda: self.cache() is not None, "the queue row")
            _, _, fetched, _ = self.assert_cached(GOOD[0], queue_url)
            self.assert_cached(vacancy_doc(2), ng.url + VACANCY, name="vacancy")

            # 2. The next polls are conditional: nginx answers 304, only checked_at moves.
            self.wait(lambda: any(r[1] == QUEUE and r[2] == 304 for r in ng.access_log()),
                      "a 304 for the queue feed")
            self.wait(lambda: self.cache()[3] > fetched, "checked_at to move")
            self.assertEqual(self.cache()[2], fetched, "a 304 must not move fetched_at")

            # 3. Refusals: each reason logged, the cache keeps the last good body.
            good = GOOD[0]
            for i, (name, body, pattern) in enumerate(BAD):
                with self.subTest(name):
                    self.serve(QUEUE, body)
                    kiosk.wait_log(pattern)
                    time.sleep(0.3)  # a poll or so after the refusal
                    self.assert_cached(good, queue_url)
                # Good again (a new document each time) before the next fault.
                good = GOOD[1] if i % 2 == 0 else GOOD[0]
                self.serve(QUEUE, good)
                kiosk.wait_log(r"feeds: queue updated: %d counters" % (3 if good == GOOD[1] else 2))
                self.wait(lambda: bytes(self.cache()[1]) == good, "the good body to be cached")
            reasons = self.rejections()
            for name, _, pattern in BAD:
                pat = pattern.replace("queue refused: ", "queue: ")
                self.assertTrue(any(re.search(pat, r) for r in reasons),
                                f"no rejection recorded for {name}: {reasons}")

            # 4. Server down: a failure is logged, the cached value stays.
            ng.stop()
            kiosk.wait_log(r"warn feeds: queue failed: .*(onnect|refused).*keeping the last good")
            self.serve(QUEUE, GOOD[2])  # published while the kiosk cannot see it
            time.sleep(1.5)
            self.assert_cached(good, queue_url)
            self.assertNotIn("4 counters", kiosk.text())
            # Back: the new value is taken within the backoff cap (4 polls).
            ng.start()
            kiosk.wait_log(r"feeds: queue updated: 4 counters, updated 2026-11-24T10:05:00")
            self.wait(lambda: bytes(self.cache()[1]) == GOOD[2], "the new body to be cached")
        finally:
            code = kiosk.stop()
        text = kiosk.text()
        self.assertEqual(code, 0, text)
        self.assertNotRegex(text, r"(?m)^\S+ error |AddressSanitizer|runtime error")
        # One warning per fault, not one per poll.
        self.assertEqual(len(re.findall(r"queue failed: ", text)), 1, text)

    def test_2_restart_offline_shows_the_cache(self):
        self.nginx.stop()
        try:
            kiosk = Kiosk(self, "run2.log", seconds=3)
            kiosk.wait_log(r"feeds: queue: cached copy loaded: 4 counters, "
                           r"updated 2026-11-24T10:05:00\+09:00",
                           r"feeds: vacancy: cached copy loaded: 2 facilities")
            kiosk.wait_log(r"queue failed: .*keeping the last good value")
            self.assertEqual(kiosk.stop(), 0, kiosk.text())
            self.assert_cached(GOOD[2], self.nginx.url + QUEUE)
        finally:
            self.nginx.start()

    def test_3_moved_feeds_and_fault_server(self):
        root = os.path.join(self.tmp, "faulty")
        self.serve(QUEUE, GOOD[3], root=root)
        self.serve(VACANCY, vacancy_doc(3), root=root)
        with fsrv.FaultServer(root) as fs:
            # The pack moves its feeds: the old place's cache is never shown.
            self.publish_pack(fs.url)
            kiosk = Kiosk(self, "run3.log")
            try:
                kiosk.wait_log(r"feeds: queue updated: 5 counters",
                               r"feeds: vacancy updated: 3 facilities")
                self.assertNotIn("cached copy loaded", kiosk.text())
                self.wait(lambda: self.cache()[0] == fs.url + QUEUE, "the new URL's row")
                self.assert_cached(GOOD[3], fs.url + QUEUE)
                # The fault server does conditional requests too.
                self.wait(lambda: any(r["path"] == QUEUE and r["status"] == 304
                                      for r in fs.requests), "a 304 from the fault server")

                # Truncated (queue) and endless (vacancy) bodies, at once.
                fs.rule(QUEUE, fsrv.truncate(len(GOOD[3]) // 2))
                fs.rule(VACANCY, fsrv.endless())
                # New bytes, so that healing later is a new body (a 200), not a 304.
                self.serve(QUEUE, GOOD[3] + b"\n", root=root)
                self.serve(VACANCY, vacancy_doc(3) + b"\n", root=root)
                kiosk.wait_log(r"queue failed: .*(transfer closed|remaining|artial)",
                               r"vacancy refused: larger than 262144 bytes")

                # A server that hangs (queue) and one that trickles (vacancy):
                # the deadline ends both.
                fs.clear()
                fs.rule(QUEUE, fsrv.delay(60))
                fs.rule(VACANCY, fsrv.slow(20))
                kiosk.wait_log(r"queue failed: .*(timed out|Timeout)",
                               r"vacancy failed: .*(timed out|Timeout|too slow)")
                self.assert_cached(GOOD[3], fs.url + QUEUE)
                self.assert_cached(vacancy_doc(3), fs.url + VACANCY, name="vacancy")

                # Healed: the same bytes plus a newline are a new body of the same board.
                fs.clear()
                kiosk.wait_log(r"feeds: queue updated: 5 counters")
                self.wait(lambda: bytes(self.cache()[1]) == GOOD[3] + b"\n", "the healed body")
            finally:
                code = kiosk.stop()
            self.assertEqual(code, 0, kiosk.text())
            self.assertNotRegex(kiosk.text(), r"(?m)^\S+ error |AddressSanitizer|runtime error")


if __name__ == "__main__":
    unittest.main(verbosity=2)
