#!/usr/bin/env python3
"""The touch kiosk's settings as a staff member sets them: the [kiosk] keys
of hiroba.conf (touch, idle_timeout, idle_screen, furigana, the feeds' poll
and stale times, screen_width_mm), the flags that win over them (--touch,
--no-touch, --idle, --no-furigana, --large-text), --screen's list, and the
README's example file, which must load as it is. The kiosk runs headless and
says what it made of them in one log line.
Run by CTest: test_kiosk_settings.py HIROBA."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HIROBA = sys.argv.pop(1)
SRC = os.environ.get("HIROBA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


class KioskSettings(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hiroba-settings-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def conf(self, text):
        path = os.path.join(self.tmp, "hiroba.conf")
        with open(path, "w") as f:
            f.write(text)
        return path

    def kiosk(self, *args, code=0):
        shot = os.path.join(self.tmp, "shot.png")
        p = subprocess.run([HIROBA, "--headless", "--size", "1920x1080", "--screen", "specimen",
                            "--clock", "2026-11-24T10:00:00+09:00", "--data", self.tmp,
                            "--screenshot", shot, "--after", "0.2", *args],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, code, p.stderr)
        return p.stderr

    def settings_line(self, log):
        m = re.search(r"main: (touch kiosk|signage display \(no touch\)), ([0-9.]+) px/mm, (.*)",
                      log)
        self.assertIsNotNone(m, log)
        return m.group(1), float(m.group(2)), m.group(3)

    def test_defaults(self):
        kind, ppm, idle = self.settings_line(self.kiosk("--config", self.conf("[kiosk]\n")))
        self.assertEqual(kind, "touch kiosk")  # headless: touch, for scripted sessions
        self.assertAlmostEqual(ppm, 1920 / 527, places=1)  # a 24" 16:9 panel
        self.assertEqual(idle, "back to home after 60 s idle")

    def test_file_settings(self):
        conf = self.conf("[kiosk]\ntouch = no\nidle_timeout = 30\nidle_screen = queue\n"
                         "furigana = no\nqueue_poll = 10\nqueue_stale = 60\n"
                         "screen_width_mm = 960\n")
        kind, ppm, idle = self.settings_line(self.kiosk("--config", conf))
        self.assertEqual(kind, "signage display (no touch)")
        self.assertAlmostEqual(ppm, 2.0, places=1)
        self.assertEqual(idle, "no idle reset")  # a display nobody touches keeps its rotation

    def test_flags_win(self):
        conf = self.conf("[kiosk]\ntouch = no\nidle_timeout = 30\nidle_screen = queue\n")
        kind, _, idle = self.settings_line(self.kiosk("--config", conf, "--touch", "--idle", "5"))
        self.assertEqual(kind, "touch kiosk")
        self.assertEqual(idle, "back to queue after 5 s idle")
        conf = self.conf("[kiosk]\ntouch = yes\n")
        kind, _, _ = self.settings_line(self.kiosk("--config", conf, "--no-touch"))
        self.assertEqual(kind, "signage display (no touch)")
        kind, _, idle = self.settings_line(self.kiosk("--config", conf, "--idle", "0",
                                                      "--no-furigana", "--large-text"))
        self.assertEqual((kind, idle), ("touch kiosk", "no idle reset"))

    def test_readme_example_loads(self):
        with open(os.path.join(SRC, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        m = re.search(r"```ini\n(\[kiosk\]\n.*?)```", readme, re.S)
        self.assertIsNotNone(m, "README has no [kiosk] example")
        example = m.group(1)
        for key in ("touch", "idle_timeout", "idle_screen", "furigana", "queue_poll",
                    "vacancy_poll", "queue_stale", "vacancy_stale", "screen_width_mm"):
            self.assertRegex(example, r"(?m)^%s = " % key)
        # Its paths need not exist: only the kiosk settings are checked here,
        # so the content keys are left out (they would start a sync).
        kiosk_only = "\n".join(line for line in example.splitlines()
                               if not re.match(r"(data|channel|source|trust|ca_file) =", line))
        log = self.kiosk("--config", self.conf(kiosk_only + "\n"))
        self.assertNotIn("unknown key", log)
        kind, ppm, idle = self.settings_line(log)
        self.assertEqual((kind, idle), ("touch kiosk", "back to home after 60 s idle"))
        self.assertAlmostEqual(ppm, 1920 / 527, places=1)

    def test_packaged_conffile_loads(self):
        """kiosk-image/hiroba.conf shows every setting commented out: each
        example, switched on, must load."""
        path = os.path.join(SRC, "kiosk-image", "hiroba.conf")
        if not os.path.exists(path):
            self.skipTest("no kiosk-image/hiroba.conf")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        keys = ("lang", "touch", "idle_timeout", "idle_screen", "furigana", "screen_width_mm",
                "queue_poll", "vacancy_poll", "queue_stale", "vacancy_stale", "poll_interval")
        lines = [line[1:] if re.match(r"#(%s) = " % "|".join(keys), line) else line
                 for line in text.splitlines()]
        for key in keys:
            self.assertRegex("\n".join(lines), r"(?m)^%s = " % key)
        log = self.kiosk("--config", self.conf("\n".join(lines) + "\n"))
        self.assertNotIn("unknown key", log)
        self.assertEqual(self.settings_line(log)[0], "touch kiosk")

    def test_bad_values(self):
        cases = [
            ("[kiosk]\ntouch = maybe\n", ':2: touch: "maybe" is not auto, yes or no'),
            ("[kiosk]\n\nidle_timeout = soon\n", ":3: idle_timeout"),
            ("[kiosk]\nidle_screen = specimen\n", ':2: idle_screen: "specimen"'),
            ("[kiosk]\nqueue_poll = 30\nqueue_stale = 10\n",
             ":3: queue_stale (10 s) is shorter than queue_poll (30 s)"),
            ("[kiosk]\nscreen_width_mm = 2\n", ":2: screen_width_mm"),
        ]
        for text, want in cases:
            with self.subTest(text=text):
                conf = self.conf(text)
                err = self.kiosk("--config", conf, code=2)
                self.assertIn(conf + want, err)

    def test_bad_flags(self):
        for args, want in ((["--screen", "lobby"], 'bad --screen "lobby"'),
                           (["--idle", "-1"], 'bad --idle "-1"'),
                           (["--idle", "1m"], 'bad --idle "1m"'),
                           (["--idle"], "--idle needs a value")):
            with self.subTest(args=args):
                self.assertIn(want, self.kiosk(*args, code=2))

    def test_help(self):
        p = subprocess.run([HIROBA, "--help"], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0)
        for flag in ("--touch", "--no-touch", "--idle SECONDS", "--no-furigana", "--large-text",
                     "home, signage, queue, vacancy, childcare or specimen", "idle_timeout"):
            self.assertIn(flag, p.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
