#!/usr/bin/env python3
"""The demo's city server (scripts/demo-server.py): the feeds it writes are
what a city's adapter must write (valid against schemas/queue.schema.json and
vacancy.schema.json, and the rules the kiosk's parser adds that a schema
cannot say), its counters keep office hours, every tick changes the queue,
and the real nginx it starts serves the channel and the feeds with
conditional requests, changes ETag with every rewrite, listens on loopback
only and goes away on SIGTERM, at end of input, and when the server is
killed. Run by CTest: test_demo_feeds.py (no arguments)."""
import datetime
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

SRC = os.environ.get("HIROBA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SERVER = os.path.join(SRC, "scripts", "demo-server.py")
SCHEMAS = os.path.join(SRC, "schemas")

try:
    import jsonschema
except ImportError:
    sys.exit("test_demo_feeds: python3-jsonschema is missing (bash scripts/deps.sh test)")

# Imported to drive its model with a fixed clock; no __pycache__ in scripts/.
sys.dont_write_bytecode = True
spec = importlib.util.spec_from_file_location("demo_server", SERVER)
demo = importlib.util.module_from_spec(spec)
spec.loader.exec_module(demo)

LANGS = ("ja", "en", "zh", "ko", "ja-easy")
TOKYO = demo.TOKYO


def validator(name):
    with open(os.path.join(SCHEMAS, f"{name}.schema.json"), encoding="utf-8") as f:
        return jsonschema.Draft202012Validator(json.load(f))


QUEUE_SCHEMA = validator("queue")
VACANCY_SCHEMA = validator("vacancy")


def schema_errors(v, doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(doc)]


def once(tmp, at, seed=7):
    feeds = os.path.join(tmp, at.replace(":", ""))
    subprocess.run([sys.executable, SERVER, "--once", "--feeds", feeds, "--at", at,
                    "--seed", str(seed)], check=True, capture_output=True, timeout=30)
    docs = []
    for name in ("queue", "vacancy"):
        path = os.path.join(feeds, f"{name}.json")
        with open(path, "rb") as f:
            raw = f.read()
        docs.append((raw, json.loads(raw)))
    return docs


def hm(s):
    return int(s[:2]) * 60 + int(s[3:])


class Shape(unittest.TestCase):
    """What the kiosk's parser (app/core/feeds_json.c) checks besides the schema."""

    def check_strings(self, node, where=""):
        if isinstance(node, str):
            self.assertLessEqual(len(node.encode()), 256, where)
            self.assertFalse(re.search(r"[\x00-\x1f\x7f]", node), where)
        elif isinstance(node, dict):
            for k, v in node.items():
                self.check_strings(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                self.check_strings(v, f"{where}[{i}]")

    def check_queue(self, raw, q, at):
        self.assertEqual(schema_errors(QUEUE_SCHEMA, q), [])
        self.assertLessEqual(len(raw), 256 * 1024)
        self.check_strings(q)
        self.assertEqual(q["updated"], at.astimezone(TOKYO).isoformat(timespec="seconds"))
        self.assertTrue(q["updated"].endswith("+09:00"))
        ids = [c["id"] for c in q["counters"]]
        self.assertEqual(len(ids), len(set(ids)))
        for c in q["counters"]:
            self.assertEqual(sorted(c["name"]), sorted(LANGS), c["id"])
            if "wait_minutes" in c:
                self.assertEqual(c["wait_minutes"] % 5, 0)
                self.assertEqual(c["wait_minutes"] == 0, c["waiting"] == 0, c)
        return {c["id"]: c for c in q["counters"]}

    def check_vacancy(self, raw, v, at):
        self.assertEqual(schema_errors(VACANCY_SCHEMA, v), [])
        self.assertLessEqual(len(raw), 256 * 1024)
        self.check_strings(v)
        ids = [f["id"] for f in v["facilities"]]
        self.assertEqual(len(ids), len(set(ids)))
        today = at.astimezone(TOKYO).date()
        for f in v["facilities"]:
            self.assertEqual(sorted(f["name"]), sorted(LANGS), f["id"])
            if "reserve_url" in f:
                self.assertTrue(f["reserve_url"].startswith("https://www.city.example.jp/"))
            dates = [datetime.date.fromisoformat(d["date"]) for d in f["days"]]
            self.assertEqual(dates, [today + datetime.timedelta(days=i) for i in range(8)])
            for d in f["days"]:
                prev_end = -1
                for s in d["slots"]:
                    self.assertLess(hm(s["start"]), hm(s["end"]), (f["id"], d["date"], s))
                    self.assertLessEqual(prev_end, hm(s["start"]), (f["id"], d["date"], s))
                    prev_end = hm(s["end"])
        return {f["id"]: f for f in v["facilities"]}

    def test_examples_still_valid(self):
        # The schemas and the examples the generator copies its shape from.
        for name, v in (("queue", QUEUE_SCHEMA), ("vacancy", VACANCY_SCHEMA)):
            with open(os.path.join(SCHEMAS, "examples", f"{name}.json"), encoding="utf-8") as f:
                self.assertEqual(schema_errors(v, json.load(f)), [], name)

    def test_office_hours(self):
        # (time, counters open, counters with numbers shown)
        cases = [
            ("2026-11-24T10:00:00+09:00", {"shimin", "hoken-nenkin", "kodomo", "zeimu"},
             {"shimin", "hoken-nenkin", "kodomo", "zeimu"}),
            # Lunch: the pension desk is closed but keeps its numbers (greyed).
            ("2026-11-24T12:30:00+09:00", {"shimin", "kodomo", "zeimu"},
             {"shimin", "hoken-nenkin", "kodomo", "zeimu"}),
            ("2026-11-24T17:14:59+09:00", {"shimin", "hoken-nenkin", "kodomo", "zeimu"},
             {"shimin", "hoken-nenkin", "kodomo", "zeimu"}),
            # 17:15: it closes; the night and holiday desk opens.
            ("2026-11-24T17:15:00+09:00", {"shimin", "kodomo", "zeimu", "yakan"},
             {"shimin", "kodomo", "zeimu", "yakan"}),
            ("2026-11-24T08:29:00+09:00", {"shimin", "kodomo", "zeimu", "yakan"},
             {"shimin", "kodomo", "zeimu", "yakan"}),
            # Saturday 11:00; and 10:00 UTC, which is 19:00 in Tokyo.
            ("2026-11-28T11:00:00+09:00", {"shimin", "kodomo", "zeimu", "yakan"},
             {"shimin", "kodomo", "zeimu", "yakan"}),
            ("2026-11-24T10:00:00Z", {"shimin", "kodomo", "zeimu", "yakan"},
             {"shimin", "kodomo", "zeimu", "yakan"}),
        ]
        with tempfile.TemporaryDirectory() as tmp:
            for at, want_open, want_numbers in cases:
                with self.subTest(at=at):
                    t = datetime.datetime.fromisoformat(at.replace("Z", "+00:00"))
                    (qraw, q), (vraw, v) = once(tmp, at)
                    counters = self.check_queue(qraw, q, t)
                    self.check_vacancy(vraw, v, t)
                    self.assertEqual({i for i, c in counters.items() if c["open"]}, want_open)
                    self.assertEqual({i for i, c in counters.items() if "waiting" in c},
                                     want_numbers)
                    # The tax desk calls by name: never a ticket number.
                    self.assertNotIn("serving", counters["zeimu"])

    def test_vacancy_days(self):
        with tempfile.TemporaryDirectory() as tmp:
            # Tuesday 21:50: today's slots are over but keep their state
            # ("closed" is 休館, not "finished"); Monday 30 November is the
            # closing day, every slot closed.
            t = datetime.datetime.fromisoformat("2026-11-24T21:50:00+09:00")
            (_, _), (vraw, v) = once(tmp, t.isoformat())
            facilities = self.check_vacancy(vraw, v, t)
            gym = facilities["gym-a"]["days"]
            self.assertEqual({s["state"] for s in gym[0]["slots"]}, {"free", "booked"})
            self.assertTrue(all(s["state"] != "closed" for s in gym[1]["slots"]))
            monday = [d for d in gym if d["date"] == "2026-11-30"][0]
            self.assertEqual({s["state"] for s in monday["slots"]}, {"closed"})
            states = {s["state"] for f in facilities.values() for d in f["days"][1:]
                      for s in d["slots"]}
            self.assertEqual(states, {"free", "booked", "closed"})
            self.assertNotIn("reserve_url", facilities["kaigi-2"])
            # A week into the New Year break (from 29 December), Monday the
            # 28th closed as every Monday.
            t = datetime.datetime.fromisoformat("2026-12-24T09:00:00+09:00")
            (_, _), (vraw, v) = once(tmp, t.isoformat())
            facilities = self.check_vacancy(vraw, v, t)
            closed = [d["date"] for d in facilities["chouri"]["days"]
                      if {s["state"] for s in d["slots"]} == {"closed"}]
            self.assertEqual(closed, ["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31"])

    def test_bookings_are_stable(self):
        # The same instant gives the same bookings whatever the seed: every
        # kiosk and every restart agrees on which rooms are free.
        with tempfile.TemporaryDirectory() as tmp:
            at = "2026-11-25T09:00:00+09:00"
            a = once(os.path.join(tmp, "a"), at, seed=1)[1][1]
            b = once(os.path.join(tmp, "b"), at, seed=2)[1][1]
            self.assertEqual(a, b)


class Model(unittest.TestCase):
    """The changer's state machine, driven in process with a fixed clock."""

    def test_every_tick_changes_the_queue(self):
        for at in ("2026-11-24T10:00:00+09:00", "2026-11-24T12:10:00+09:00",
                   "2026-11-24T23:30:00+09:00", "2026-11-29T15:00:00+09:00"):
            now = datetime.datetime.fromisoformat(at)
            q = demo.Queue(demo.random.Random(3), now)
            prev = q.document(now)
            served = {c["id"]: c.get("serving") for c in prev["counters"]}
            for i in range(200):
                q.tick(now)
                doc = q.document(now)
                self.assertNotEqual(doc["counters"], prev["counters"], (at, i))
                self.assertEqual(schema_errors(QUEUE_SCHEMA, doc), [])
                for c in doc["counters"]:
                    if c.get("serving") is not None and served[c["id"]] is not None:
                        self.assertGreaterEqual(c["serving"], served[c["id"]])  # never back
                    served[c["id"]] = c.get("serving", served[c["id"]])
                prev = doc
            # Numbers moved: the open counters called people.
            moved = [c["id"] for c in prev["counters"] if c.get("serving") and c["open"]]
            self.assertTrue(moved, at)

    def test_no_new_tickets_before_closing(self):
        # From 17:00 nobody joins the pension desk's queue; it drains.
        now = datetime.datetime.fromisoformat("2026-11-24T17:01:00+09:00")
        q = demo.Queue(demo.random.Random(5), now)
        q.state["hoken-nenkin"]["waiting"] = 6
        before = 6
        for _ in range(100):
            q.tick(now)
            w = q.state["hoken-nenkin"]["waiting"]
            self.assertLessEqual(w, before)
            before = w
        self.assertEqual(before, 0)

    def test_bookings_move_forward_only(self):
        # Every minute someone may book or cancel, never a slot that is over
        # and never on a closing day.
        now = datetime.datetime.fromisoformat("2026-11-24T15:30:00+09:00")
        v = demo.Vacancy(demo.random.Random(9))
        before = v.document(now)
        for _ in range(30):
            v.tick(now)
        after = v.document(now)
        self.assertEqual(schema_errors(VACANCY_SCHEMA, after), [])
        moved = 0
        for fb, fa in zip(before["facilities"], after["facilities"]):
            for i, (db, da) in enumerate(zip(fb["days"], fa["days"])):
                for sb, sa in zip(db["slots"], da["slots"]):
                    if sb["state"] == sa["state"]:
                        continue
                    moved += 1
                    self.assertFalse(i == 0 and hm(sb["end"]) <= 15 * 60 + 30, (fb["id"], sb))
                    self.assertNotIn("closed", (sb["state"], sa["state"]))
        self.assertGreater(moved, 5)

    def test_same_size_rewrite_moves_mtime(self):
        # nginx's ETag is mtime (seconds) + size: two same-size documents
        # written within one second must still get different ETags.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "queue.json")
            mtimes = []
            for n in range(3):
                demo.write_atomic(path, {"n": n})
                mtimes.append(os.stat(path).st_mtime)
            self.assertEqual(len(set(mtimes)), 3)
            self.assertEqual([f for f in os.listdir(tmp)], ["queue.json"])  # no temp left


def get(url, etag=None):
    req = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.headers.get("ETag"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("ETag"), b""


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose (its parent may be init, reaping late).
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def wait_until(cond, seconds=6):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


class Server(unittest.TestCase):
    """The real thing: nginx on loopback, the changer writing every 1.2 s."""

    def start(self, tmp, watch_stdin=False):
        pub = os.path.join(tmp, "publish")
        os.makedirs(os.path.join(pub, "channels", "demo"), exist_ok=True)
        with open(os.path.join(pub, "channels", "demo", "manifest.json"), "w") as f:
            f.write('{"channel": "demo"}\n')
        state = os.path.join(tmp, "state")
        ready = os.path.join(tmp, "url")
        args = [sys.executable, SERVER, "--publish", pub, "--feeds", os.path.join(tmp, "feeds"),
                "--state", state, "--ready-file", ready, "--queue-every", "1.2",
                "--vacancy-every", "2.5"]
        if watch_stdin:
            args.append("--watch-stdin")
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.addCleanup(self.reap, proc)
        self.assertTrue(wait_until(lambda: os.path.exists(ready) or proc.poll() is not None, 15))
        self.assertIsNone(proc.poll(), proc.stderr.read() if proc.poll() is not None else "")
        with open(ready) as f:
            base = f.read().strip()
        m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)", base)
        self.assertTrue(m, base)
        with open(os.path.join(state, "nginx.pid")) as f:
            nginx_pid = int(f.read())
        self.addCleanup(self.stop_nginx, nginx_pid)
        with open(os.path.join(state, "demo-server.pid")) as f:
            self.assertEqual(int(f.read()), proc.pid)
        return proc, base, int(m.group(1)), state, nginx_pid, ready

    def stop_nginx(self, pid):
        # Only if a failed check left it behind: never outlive the test.
        if pid_alive(pid):
            os.kill(pid, signal.SIGQUIT)
            wait_until(lambda: not pid_alive(pid), 5)

    def reap(self, proc):
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()

    def test_serves_and_changes(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc, base, port, state, nginx_pid, ready = self.start(tmp)
            # The channel folder and the banner page.
            status, _, body = get(base + "/hiroba/channels/demo/manifest.json")
            self.assertEqual((status, body), (200, b'{"channel": "demo"}\n'))
            self.assertEqual(get(base + "/hiroba/nothing")[0], 404)
            # Loopback only.
            with open(os.path.join(state, "nginx.conf")) as f:
                listens = re.findall(r"^\s*listen\s+([^;]+);", f.read(), re.M)
            self.assertEqual(listens, [f"127.0.0.1:{port}"])

            # Queue: a conditional request for what the kiosk has is a 304
            # until the changer rewrites it; then new numbers and a new ETag.
            status, etag, body = get(base + "/feeds/queue.json")
            self.assertEqual(status, 200)
            self.assertTrue(etag)
            first = json.loads(body)
            self.assertEqual(schema_errors(QUEUE_SCHEMA, first), [])
            seen_304 = False
            changed = None
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not (seen_304 and changed):
                status, new_etag, body = get(base + "/feeds/queue.json", etag)
                if status == 304:
                    seen_304 = True
                else:
                    self.assertEqual(status, 200)
                    self.assertNotEqual(new_etag, etag)
                    changed = changed or json.loads(body)
                    etag = new_etag
                time.sleep(0.1)
            self.assertTrue(seen_304, "no 304 for an unchanged feed")
            self.assertIsNotNone(changed, "the queue feed did not change within 8 s")
            self.assertEqual(schema_errors(QUEUE_SCHEMA, changed), [])
            self.assertNotEqual(changed["counters"], first["counters"])
            self.assertGreaterEqual(changed["updated"], first["updated"])

            # The history names every queue document by its time.
            with open(os.path.join(state, "queue-history.jsonl"), encoding="utf-8") as f:
                history = {d["updated"]: d["counters"] for d in map(json.loads, f)}
            self.assertIn(changed["updated"], history)
            self.assertEqual(history[changed["updated"]],
                             [{k: v for k, v in c.items() if k != "name"}
                              for c in changed["counters"]])

            # Vacancy: served, valid, rewritten on its own interval.
            status, vetag, body = get(base + "/feeds/vacancy.json")
            self.assertEqual(status, 200)
            self.assertEqual(schema_errors(VACANCY_SCHEMA, json.loads(body)), [])
            self.assertTrue(wait_until(lambda: get(base + "/feeds/vacancy.json", vetag)[0] == 200,
                                       6))

            # SIGTERM: nginx goes (gracefully), the port closes, pid files go.
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=10), 0)
            self.assertIn("stopping (SIGTERM)", proc.stderr.read())
            self.assertFalse(port_open(port))
            self.assertTrue(wait_until(lambda: not pid_alive(nginx_pid)))
            self.assertFalse(os.path.exists(os.path.join(state, "demo-server.pid")))
            self.assertFalse(os.path.exists(ready))
            # The log saw 304s: nginx answered the conditional requests.
            with open(os.path.join(state, "access.log")) as f:
                self.assertRegex(f.read(), r"GET /feeds/queue\.json 304 ")

    def test_stops_at_end_of_input(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc, base, port, state, nginx_pid, _ = self.start(tmp, watch_stdin=True)
            self.assertEqual(get(base + "/feeds/queue.json")[0], 200)
            proc.stdin.close()  # the parent went away
            self.assertEqual(proc.wait(timeout=10), 0)
            self.assertFalse(port_open(port))
            self.assertTrue(wait_until(lambda: not pid_alive(nginx_pid)))

    def test_killed_server_takes_nginx_along(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc, base, port, state, nginx_pid, _ = self.start(tmp)
            proc.kill()  # no clean-up code runs
            proc.wait(timeout=10)
            self.assertTrue(wait_until(lambda: not pid_alive(nginx_pid)), "nginx outlived it")
            self.assertTrue(wait_until(lambda: not port_open(port)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
