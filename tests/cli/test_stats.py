#!/usr/bin/env python3
"""hiroba-pack stats: a kiosk's anonymous usage counts as CSV. The store is
the real one (created by the kiosk itself, hiroba --sync-once, with its
schema and migrations); the counts go into its usage_hourly table with
sqlite3, and the export is checked against hours computed here with
Python's own zoneinfo (offsets, summer time), RFC 4180 quoting and CRLF
lines, --output, and the errors: an empty folder, a missing one, a bad zone.
Run by CTest: test_stats.py HIROBA HIROBA_PACK."""
import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

HIROBA = sys.argv.pop(1)
PACK = sys.argv.pop(1)

HEADER = "hour_start,screen,page,lang,count"


def run(*args, timeout=60):
    return subprocess.run(list(args), capture_output=True, timeout=timeout)


def epoch(iso):
    return int(datetime.fromisoformat(iso).timestamp())


# (hour as UTC ISO, screen, page, lang, count): in no particular order.
ROWS = [
    ("2026-11-24T01:00:00+00:00", "home", "", "ja", 12),
    ("2026-11-24T01:00:00+00:00", "childcare", "kenshin", "ja-easy", 3),
    ("2026-11-24T00:00:00+00:00", "queue", "", "en", 1),
    ("2026-11-23T15:00:00+00:00", "vacancy", "", "zh", 2),  # midnight in Tokyo
    ("2026-07-01T12:00:00+00:00", "home", "", "ko", 5),     # summer time in New York
    ("2026-11-24T01:00:00+00:00", "childcare", 'a,"b"', "en", 1),
    ("2026-11-24T01:00:00+00:00", "childcare", "子育て相談", "ja", 4),
]


def expected(zone):
    """The export as this test understands the contract."""
    z = ZoneInfo(zone)
    rows = sorted(((epoch(h), s, p, l, c) for h, s, p, l, c in ROWS),
                  key=lambda r: (r[0], r[1].encode(), r[2].encode(), r[3].encode()))
    out = []
    for t, s, p, l, c in rows:
        local = datetime.fromtimestamp(t, timezone.utc).astimezone(z)
        out.append([local.isoformat(), s, p, l, str(c)])
    return out


class Stats(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hiroba-stats-")
        cls.data = os.path.join(cls.tmp, "data")
        key = os.path.join(cls.tmp, "staff")
        p = run(PACK, "keygen", "--out", key)
        assert p.returncode == 0, p.stderr
        # One sync against a folder that is not there: it fails, but the
        # kiosk has opened (created and migrated) its store on the way.
        p = run(HIROBA, "--sync-once", "--data", cls.data, "--channel", "demo",
                "--source", os.path.join(cls.tmp, "nowhere"), "--trust", key + ".pub")
        assert p.returncode == 1, p.stderr
        cls.db = os.path.join(cls.data, "hiroba.db")
        assert os.path.isfile(cls.db), "the kiosk made no store"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        db = sqlite3.connect(self.db)
        with db:
            db.execute("DELETE FROM usage_hourly")
            db.executemany("INSERT INTO usage_hourly (hour, screen, page, lang, count)"
                           " VALUES (?, ?, ?, ?, ?)",
                           [(epoch(h), s, p, l, c) for h, s, p, l, c in ROWS])
        db.close()

    def stats(self, *args):
        return run(PACK, "stats", *args)

    def parse(self, out):
        text = out.decode("utf-8")
        # RFC 4180: every line ends with CRLF, nothing else.
        self.assertTrue(text.endswith("\r\n"), repr(text[-20:]))
        self.assertNotIn("\n", text.replace("\r\n", ""))
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(rows[0], HEADER.split(","))
        return rows[1:]

    def test_default_zone_is_tokyo(self):
        p = self.stats(self.data)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.parse(p.stdout), expected("Asia/Tokyo"))
        # Spelled out once, so that a reader sees the promised form.
        self.assertIn(b"\r\n2026-11-24T10:00:00+09:00,home,,ja,12\r\n", p.stdout)
        self.assertIn(b'2026-11-24T10:00:00+09:00,childcare,"a,""b""",en,1\r\n', p.stdout)
        self.assertIn(b"\r\n2026-11-24T00:00:00+09:00,vacancy,,zh,2\r\n", p.stdout)

    def test_other_zones(self):
        for zone in ("UTC", "America/New_York", "Asia/Kolkata", "Europe/Berlin"):
            with self.subTest(zone=zone):
                p = self.stats(self.data, "--tz", zone)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(self.parse(p.stdout), expected(zone))
        p = self.stats("--tz", "America/New_York", self.data)
        self.assertIn(b"\r\n2026-07-01T08:00:00-04:00,home,,ko,5\r\n", p.stdout)
        self.assertIn(b"\r\n2026-11-23T20:00:00-05:00,home,,ja,12\r\n", p.stdout)

    def test_output_file(self):
        out = os.path.join(self.tmp, "usage.csv")
        with open(out, "w") as f:
            f.write("an older export, replaced whole\n")
        p = self.stats(self.data, "--output", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"")
        self.assertIn(b"wrote 7 row(s)", p.stderr)
        with open(out, "rb") as f:
            self.assertEqual(self.parse(f.read()), expected("Asia/Tokyo"))

    def test_no_counts_yet(self):
        db = sqlite3.connect(self.db)
        with db:
            db.execute("DELETE FROM usage_hourly")
        db.close()
        p = self.stats(self.data)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, (HEADER + "\r\n").encode())

    def test_empty_data_dir_is_an_error(self):
        empty = tempfile.mkdtemp(dir=self.tmp)
        p = self.stats(empty)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, b"")
        err = p.stderr.decode()
        self.assertIn("no kiosk store in " + empty, err)
        self.assertIn("hiroba.db", err)
        self.assertIn("--data", err)
        # Asking must not leave an empty store behind.
        self.assertEqual(os.listdir(empty), [])

    def test_usage_errors(self):
        p = self.stats(os.path.join(self.tmp, "no-such-folder"))
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"is not a folder", p.stderr)
        p = self.stats(self.data, "--tz", "Mars/Olympus_Mons")
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"unknown time zone 'Mars/Olympus_Mons'", p.stderr)
        self.assertEqual(p.stdout, b"")
        p = self.stats()
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"DATA_DIR is required", p.stderr)
        p = self.stats(self.data, "extra")
        self.assertEqual(p.returncode, 2)
        p = self.stats(self.data, "--bogus")
        self.assertEqual(p.returncode, 2)

    def test_help(self):
        p = self.stats("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn(HEADER.encode(), p.stdout)
        self.assertIn(b"--tz ZONE", p.stdout)
        p = run(PACK, "--help")
        self.assertIn(b"stats", p.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
