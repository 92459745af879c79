#!/usr/bin/env python3
"""The watchdog, end to end, with the real kiosk under an sd_notify harness
that does what systemd does for kiosk-image/hiroba.service (Type=notify,
WatchdogSec=, Restart=always), with a 2 s watchdog instead of 30 s:

1. the kiosk starts headless on a published, signed pack, with an alert
   feed on a real nginx; READY=1 comes once the first frame is up, and the
   WATCHDOG=1 pings come at half the interval;
2. a signed takeover alert is published and taken;
3. the main loop is stopped (SIGSTOP: a hung loop): the missing pings are
   noticed within the interval, and the kiosk is killed as systemd kills it
   (SIGABRT, then SIGKILL);
4. the alert server goes away (no network), the kiosk is started again: it
   is READY with the same pack version and the same alert, from its store,
   and pings again; SIGTERM ends it cleanly with STOPPING=1.

Run by CTest: test_watchdog.py HIROBA HIROBA_PACK."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "sync"))
from nginx_fixture import Nginx  # noqa: E402
from notify_harness import NotifySocket, kill_as_systemd, start  # noqa: E402

HIROBA = sys.argv.pop(1)
PACK = sys.argv.pop(1)
CHANNEL = "wd"
WATCHDOG_USEC = 2_000_000
INTERVAL = WATCHDOG_USEC / 1e6


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise AssertionError(f"{' '.join(args[:2])}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


class Watchdog(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="hiroba-wd-")
        self.www = os.path.join(self.tmp, "www")
        self.pub = os.path.join(self.tmp, "pub")
        self.data = os.path.join(self.tmp, "data")
        self.key = os.path.join(self.tmp, "staff")
        os.makedirs(self.www)
        self.nginx = Nginx(self.www)
        self.nginx.start()
        run(PACK, "keygen", "--out", self.key)
        src = os.path.join(self.tmp, "src")
        os.makedirs(src)
        pack = {
            "format": 1,
            "facility": {"name": {"ja": "ウォッチドッグ試験センター"}},
            "timezone": "Asia/Tokyo",
            "items": [{"id": "notice", "type": "card", "title": "お知らせ",
                       "body": "本日は通常どおり開館しています。", "duration": 5}],
            "playlists": [{"id": "lobby", "items": ["notice"]}],
            "schedule": [{"playlist": "lobby"}],
            "feeds": {"alerts": f"{self.nginx.url}/alerts/{CHANNEL}.json"},
        }
        with open(os.path.join(src, "pack.json"), "w", encoding="utf-8") as f:
            json.dump(pack, f, ensure_ascii=False)
        run(PACK, "build", src, "--channel", CHANNEL, "--out", self.pub)
        run(PACK, "sign", self.pub, "--channel", CHANNEL, "--key", self.key + ".key")

    def tearDown(self):
        self.nginx.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def kiosk(self, ns, log_name):
        log = open(os.path.join(self.tmp, log_name), "w")
        proc = start([HIROBA, "--headless", "--size", "480x270", "--screen", "signage",
                      "--data", self.data, "--channel", CHANNEL, "--source", self.pub,
                      "--trust", self.key + ".pub", "--config", "/dev/null"],
                     ns, watchdog_usec=WATCHDOG_USEC, log=log)
        log.close()
        self.addCleanup(self.reap, proc)
        return proc

    @staticmethod
    def reap(proc):
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)

    def log(self, name):
        with open(os.path.join(self.tmp, name), encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_log(self, name, pattern, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.log(name)):
                return
            time.sleep(0.1)
        self.fail(f"no /{pattern}/ in {name} after {timeout} s:\n{self.log(name)}")

    def pings(self, ns, seconds):
        """The WATCHDOG=1 arrival times over the next seconds."""
        times = []
        deadline = time.monotonic() + seconds
        while True:
            m = ns.receive(deadline - time.monotonic())
            if m is None:
                return times
            if m.fields.get("WATCHDOG") == "1":
                times.append(m.at)

    def assert_pinging(self, ns, proc):
        times = self.pings(ns, 3 * INTERVAL)
        self.assertGreaterEqual(len(times), 4, f"pings at {times}")
        gaps = [b - a for a, b in zip(times, times[1:])]
        # Half the interval, as sd_watchdog_enabled(3) advises; never near the limit.
        self.assertLess(max(gaps), 0.75 * INTERVAL, f"ping gaps {gaps}")
        self.assertIsNone(proc.poll())

    def test_hung_loop_is_killed_and_comes_back(self):
        sock = os.path.join(self.tmp, "notify.sock")
        with NotifySocket(sock) as ns:
            # 1. Start: READY=1 once the first frame is up, with what it shows.
            t0 = time.monotonic()
            k1 = self.kiosk(ns, "run1.log")
            ready = ns.wait_for("READY", 30)
            self.assertIsNotNone(ready, "no READY=1:\n" + self.log("run1.log"))
            self.assertEqual(ready.pid, k1.pid)
            status = ready.fields.get("STATUS", "")
            self.assertRegex(status, rf"^showing signage; {CHANNEL} version 1; 0 alert\(s\)$")
            print(f"READY=1 after {ready.at - t0:.2f} s: {status}")
            self.assert_pinging(ns, k1)

            # 2. An evacuation order, signed, published where the pack says.
            run(PACK, "alert", "publish", self.www, "--channel", CHANNEL,
                "--key", self.key + ".key", "--title-ja", "避難指示", "--severity", "Extreme",
                "--urgency", "Immediate", "--area-ja", "中央区", "--for", "120")
            self.wait_log("run1.log", r"alerts: takeover \S+ from ")
            time.sleep(0.5)  # the store's transaction is committed before the line; margin

            # 3. The loop hangs: no more pings; noticed when the interval runs out.
            last = self.pings(ns, 1.2 * INTERVAL / 2)
            self.assertTrue(last, "no pings just before the stop")
            os.kill(k1.pid, signal.SIGSTOP)
            stopped = time.monotonic()
            late = self.pings(ns, INTERVAL * 1.5)
            # At most one ping already on its way when the signal landed.
            self.assertLessEqual(len([t for t in late if t > stopped + 0.05]), 0, late)
            last_ping = max(last + late)
            noticed = last_ping + INTERVAL
            self.assertLess(noticed - stopped, INTERVAL + 0.1)
            self.assertGreater(time.monotonic(), noticed, "the harness waited the interval")
            code = kill_as_systemd(k1)
            self.assertEqual(code, -signal.SIGKILL, "a stopped process dies by SIGKILL")
            print(f"hang noticed {noticed - stopped:.2f} s after SIGSTOP "
                  f"(last ping {stopped - last_ping:.2f} s before it); killed: signal {-code}")

            # 4. Restarted with no alert server at all: the same pack and the
            # same alert, from the store, on the first frame.
            self.nginx.stop()
            t1 = time.monotonic()
            k2 = self.kiosk(ns, "run2.log")
            ready = ns.wait_for("READY", 30)
            self.assertIsNotNone(ready, "no READY=1 after the restart:\n" + self.log("run2.log"))
            self.assertEqual(ready.pid, k2.pid)
            self.assertEqual(ready.fields.get("STATUS"),
                             f"showing signage; {CHANNEL} version 1; 1 alert(s)")
            print(f"restarted: READY=1 after {ready.at - t1:.2f} s: {ready.fields['STATUS']}")
            text1, text2 = self.log("run1.log"), self.log("run2.log")
            self.assertRegex(text1, rf"content: {CHANNEL} from \S+: updated, version 1\n")
            self.assertRegex(text2, rf"content: {CHANNEL} from \S+: current, version 1\n")
            self.assertRegex(text2, r"alerts: 1 active alert\(s\) read back, 1 shown")
            self.assert_pinging(ns, k2)

            # A clean stop says so.
            k2.send_signal(signal.SIGTERM)
            stopping = ns.wait_for("STOPPING", 10)
            self.assertIsNotNone(stopping)
            self.assertEqual(k2.wait(15), 0, self.log("run2.log"))
        for name in ("run1.log", "run2.log"):
            self.assertNotRegex(self.log(name), r"AddressSanitizer|runtime error")


if __name__ == "__main__":
    unittest.main(verbosity=2)
