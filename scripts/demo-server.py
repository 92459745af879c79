#!/usr/bin/env python3
"""demo-server.py: the city's side of the demo, on this machine. Starts nginx
on a free loopback port serving the published demo channel and a feeds
folder, and plays the city's queue and booking systems: every few seconds it
rewrites feeds/queue.json (tickets called, people arriving), once a minute
feeds/vacancy.json (today and the next 7 days, in Asia/Tokyo). The output
has the shape of schemas/examples/{queue,vacancy}.json, so this file is also
a template for the small adapter a city puts in front of its own systems.

    python3 scripts/demo-server.py --publish DIR --feeds DIR --state DIR
        [--ready-file FILE] [--watch-stdin] [--queue-every 4] [--vacancy-every 60]
    python3 scripts/demo-server.py --once --feeds DIR [--at 2026-11-24T12:30:00+09:00]

  --publish DIR      served at /hiroba/ (what hiroba-pack build/sign wrote)
  --feeds DIR        served at /feeds/; queue.json and vacancy.json are written here
  --state DIR        nginx's prefix: nginx.conf, nginx.pid, demo-server.pid, logs,
                     queue-history.jsonl (every queue document written, by time)
  --ready-file FILE  written with the base URL (http://127.0.0.1:PORT) once
                     nginx listens and both feeds exist
  --watch-stdin      stop when standard input reaches end of file (the parent
                     holds the other end, so the server dies with it)
  --once             write both feeds once and exit (no nginx); with --at
                     for a fixed time and --seed for fixed numbers

Stops cleanly on SIGTERM, SIGINT or (with --watch-stdin) end of input:
nginx gets SIGQUIT (graceful), SIGKILL if it has not gone within 5 s, and
the pid files are removed. Python 3 standard library only.
"""
import argparse
import ctypes
import datetime
import errno
import fcntl
import grp
import hashlib
import json
import math
import os
import pwd
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# The office day of the counters that keep office hours (weekdays). Tickets
# stop being issued a quarter of an hour before closing; the queue drains.
OPEN_AT = (8, 30)
CLOSE_AT = (17, 15)
LAST_TICKET = (17, 0)
LUNCH = ((12, 0), (13, 0))

# Counters, in the order the board shows them. "hours" says when a counter
# takes people: "demo" counters always do (so the demo is live at any hour),
# "office" keeps the office day and closes for lunch, "after" is the night
# and holiday desk, open exactly when the office is closed. So at any hour the
# board shows numbers moving and at least one counter closed (受付終了).
# serving None: the counter calls people by name, not by number (the board
# shows "—"); minutes None: no wait estimate is published.
COUNTERS = [
    {"id": "shimin", "hours": "demo", "serving": 123, "waiting": 8, "minutes": 3.0,
     "max_waiting": 30, "arrive": 0.45, "serve": 0.45,
     "name": {"ja": "市民課（住民票・戸籍）",
              "en": "Citizens Division (residence, family register)",
              "zh": "市民课（住民票・户籍）",
              "ko": "시민과 (주민표・호적)",
              "ja-easy": "しみんか（じゅうみんひょう・こせき）"}},
    {"id": "hoken-nenkin", "hours": "office", "serving": 2041, "waiting": 3, "minutes": 3.5,
     "max_waiting": 20, "arrive": 0.35, "serve": 0.4,
     "name": {"ja": "保険年金課",
              "en": "Health Insurance and Pension Division",
              "zh": "保险年金课",
              "ko": "보험연금과",
              "ja-easy": "けんこうほけん・ねんきんの まどぐち"}},
    {"id": "kodomo", "hours": "demo", "serving": 57, "waiting": 1, "minutes": 5.0,
     "max_waiting": 12, "arrive": 0.25, "serve": 0.3,
     "name": {"ja": "こども家庭課",
              "en": "Children and Families Division",
              "zh": "儿童家庭课",
              "ko": "어린이가정과",
              "ja-easy": "こどもと かぞくの まどぐち"}},
    {"id": "zeimu", "hours": "demo", "serving": None, "waiting": 12, "minutes": None,
     "max_waiting": 25, "arrive": 0.35, "serve": 0.35,
     "name": {"ja": "税務課",
              "en": "Tax Division",
              "zh": "税务课",
              "ko": "세무과",
              "ja-easy": "ぜいきんの まどぐち"}},
    {"id": "yakan", "hours": "after", "serving": 901, "waiting": 1, "minutes": 4.0,
     "max_waiting": 5, "arrive": 0.2, "serve": 0.35,
     "name": {"ja": "夜間・休日窓口",
              "en": "Night and Holiday Desk",
              "zh": "夜间・节假日窗口",
              "ko": "야간・휴일 창구",
              "ja-easy": "よると やすみの 日の まどぐち"}},
]

GYM = [("09:00", "11:00"), ("11:00", "13:00"), ("13:00", "15:00"),
       ("15:00", "17:00"), ("17:00", "19:00"), ("19:00", "21:00")]
ROOM = [("09:00", "12:00"), ("13:00", "17:00"), ("18:00", "21:30")]
KITCHEN = [("10:00", "13:00"), ("14:00", "17:00")]
YOYAKU = "https://www.city.example.jp/yoyaku/shisetsu/"

# Rooms and courts (from schemas/examples/vacancy.json). "busy" is how
# sought after a facility is; kaigi-2 is booked at the desk only (no URL).
FACILITIES = [
    {"id": "gym-a", "slots": GYM, "busy": 0.15, "url": YOYAKU + "gym-a",
     "name": {"ja": "体育館 Aコート", "en": "Gymnasium, Court A", "zh": "体育馆 A场地",
              "ko": "체육관 A코트", "ja-easy": "たいいくかん Aコート"}},
    {"id": "gym-b", "slots": GYM, "busy": 0.1, "url": YOYAKU + "gym-b",
     "name": {"ja": "体育館 Bコート", "en": "Gymnasium, Court B", "zh": "体育馆 B场地",
              "ko": "체육관 B코트", "ja-easy": "たいいくかん Bコート"}},
    {"id": "washitsu-1", "slots": ROOM, "busy": 0.0, "url": YOYAKU + "washitsu-1",
     "name": {"ja": "和室1", "en": "Japanese-style Room 1", "zh": "和室1",
              "ko": "다다미방 1", "ja-easy": "わしつ 1"}},
    {"id": "kaigi-2", "slots": ROOM, "busy": 0.05, "url": None,
     "name": {"ja": "第2会議室", "en": "Meeting Room 2", "zh": "第2会议室",
              "ko": "제2회의실", "ja-easy": "かいぎしつ 2"}},
    {"id": "chouri", "slots": KITCHEN, "busy": 0.0, "url": YOYAKU + "chouri?lang=ja",
     "name": {"ja": "調理実習室", "en": "Cooking Room", "zh": "烹饪教室",
              "ko": "조리실습실", "ja-easy": "りょうりを する へや"}},
]


def log(msg):
    print(f"demo-server: {msg}", file=sys.stderr, flush=True)


def minutes(hm):
    return hm[0] * 60 + hm[1]


def hhmm_minutes(s):
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def office_open(now):
    """The office day: weekdays 8:30 to 17:15 (public holidays are not modelled)."""
    m = now.hour * 60 + now.minute
    return now.weekday() < 5 and minutes(OPEN_AT) <= m < minutes(CLOSE_AT)


def counter_open(c, now):
    m = now.hour * 60 + now.minute
    if c["hours"] == "office":
        return office_open(now) and not minutes(LUNCH[0]) <= m < minutes(LUNCH[1])
    if c["hours"] == "after":
        return not office_open(now)
    return True


def takes_tickets(c, now):
    """Whether people can still join the queue (not after 17:00 at office counters)."""
    m = now.hour * 60 + now.minute
    return c["hours"] != "office" or m < minutes(LAST_TICKET)


def rfc3339(now):
    return now.isoformat(timespec="seconds")


class Queue:
    """The counters' state and one step of their day per tick."""

    def __init__(self, rng, now):
        self.rng = rng
        self.state = {}
        self.was_open = {}
        for c in COUNTERS:
            serving = c["serving"]
            if serving is not None:
                serving += rng.randrange(0, 10)
            self.state[c["id"]] = {"serving": serving, "waiting": c["waiting"]}
            self.was_open[c["id"]] = counter_open(c, now)

    def tick(self, now):
        """Moves the day on by one tick. At least one number changes in every
        tick while any counter is open, so a kiosk polling every few seconds
        always has something new to show."""
        # Compared as published: a change only in state the document does
        # not show (a closed desk's queue emptied) must not count as one.
        before = self.document(now)["counters"]
        live = []
        for c in COUNTERS:
            s = self.state[c["id"]]
            is_open = counter_open(c, now)
            if is_open and not self.was_open[c["id"]] and s["waiting"] == 0:
                # Opening in the morning (or at 17:15 for the night desk):
                # people were already at the door.
                s["waiting"] = self.rng.randrange(1, 4)
            self.was_open[c["id"]] = is_open
            if not is_open:
                if not office_open(now) and c["hours"] == "office":
                    s["waiting"] = 0
                continue
            live.append(c)
            if s["waiting"] > 0 and self.rng.random() < c["serve"]:
                self.serve(c)
            if (takes_tickets(c, now) and s["waiting"] < c["max_waiting"]
                    and self.rng.random() < c["arrive"]):
                s["waiting"] += 1
        # (One called and one arrived at a desk that calls no numbers also
        # leaves the document as it was.)
        if self.document(now)["counters"] == before and live:
            waiting = [c for c in live if self.state[c["id"]]["waiting"] > 0]
            if waiting:
                self.serve(self.rng.choice(waiting))
            else:
                self.state[self.rng.choice(live)["id"]]["waiting"] += 1

    def serve(self, c):
        s = self.state[c["id"]]
        s["waiting"] -= 1
        if s["serving"] is not None:
            s["serving"] += 1

    def document(self, now):
        counters = []
        for c in COUNTERS:
            s = self.state[c["id"]]
            is_open = counter_open(c, now)
            entry = {"id": c["id"], "name": c["name"]}
            # A counter closed for lunch keeps its numbers (shown greyed); one
            # closed for the night or not yet open publishes none.
            if is_open or (c["hours"] == "office" and office_open(now)):
                if s["serving"] is not None:
                    entry["serving"] = s["serving"]
                entry["waiting"] = s["waiting"]
                if c["minutes"] is not None:
                    # Rounded up to 5 minutes, as queue systems announce it.
                    entry["wait_minutes"] = 5 * math.ceil(s["waiting"] * c["minutes"] / 5)
            entry["open"] = is_open
            counters.append(entry)
        return {"format": 1, "updated": rfc3339(now), "counters": counters}


def share(*parts):
    """A stable number in [0, 1) for a slot, so bookings stay put across
    restarts and every kiosk agrees."""
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0 ** 64


def holiday(day):
    """休館日: Mondays, and the New Year break (29 December to 3 January)."""
    return (day.weekday() == 0 or (day.month == 12 and day.day >= 29)
            or (day.month == 1 and day.day <= 3))


def booked_share(f, day, start):
    """How likely a slot is booked: weekends and evenings fill up first, the
    nearer days more than the later ones."""
    p = 0.3 + f["busy"]
    if day.weekday() >= 5:
        p += 0.3
    elif hhmm_minutes(start) >= 17 * 60:
        p += 0.2
    return min(p, 0.9)


class Vacancy:
    """Bookings: a stable pattern per slot plus what changed while running."""

    def __init__(self, rng):
        self.rng = rng
        self.changes = {}  # (facility, date, start) -> "free" | "booked"

    def base_state(self, f, day, start, end, now):
        # A slot that is over keeps its state: "closed" means 休館 (the
        # facility is shut), which an evening's finished slots are not.
        if holiday(day):
            return "closed"
        key = (f["id"], day.isoformat(), start)
        if key in self.changes:
            return self.changes[key]
        return "booked" if share(*key) < booked_share(f, day, start) else "free"

    def tick(self, now):
        """A minute of the booking system: someone books a free slot online
        now and then, and once in a while a booking is cancelled."""
        slots = [(f, now.date() + datetime.timedelta(days=d), s, e)
                 for f in FACILITIES for d in range(8) for s, e in f["slots"]
                 if d > 0 or hhmm_minutes(e) > now.hour * 60 + now.minute]
        free = [x for x in slots if self.base_state(*x, now) == "free"]
        booked = [x for x in slots if self.base_state(*x, now) == "booked"]
        if free and self.rng.random() < 0.6:
            f, day, s, _ = self.rng.choice(free)
            self.changes[(f["id"], day.isoformat(), s)] = "booked"
        if booked and self.rng.random() < 0.2:
            f, day, s, _ = self.rng.choice(booked)
            self.changes[(f["id"], day.isoformat(), s)] = "free"

    def document(self, now):
        facilities = []
        for f in FACILITIES:
            days = []
            for d in range(8):
                day = now.date() + datetime.timedelta(days=d)
                slots = [{"start": s, "end": e, "state": self.base_state(f, day, s, e, now)}
                         for s, e in f["slots"]]
                days.append({"date": day.isoformat(), "slots": slots})
            entry = {"id": f["id"], "name": f["name"]}
            if f["url"]:
                entry["reserve_url"] = f["url"]
            entry["days"] = days
            facilities.append(entry)
        return {"format": 1, "updated": rfc3339(now), "facilities": facilities}


def write_atomic(path, doc):
    """Writes doc next to path and renames it over path, so nginx never sends
    half a file. The new file's mtime is always later than the old one's:
    nginx derives ETag and Last-Modified from mtime (whole seconds) and size,
    and a same-size document written within the second would otherwise look
    unchanged to a kiosk's conditional request."""
    data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    mtime = int(time.time())
    try:
        mtime = max(mtime, int(os.stat(path).st_mtime) + 1)
    except FileNotFoundError:
        pass
    os.utime(tmp, (mtime, mtime))
    os.replace(tmp, path)


NGINX_CONF = """daemon off;
{user}master_process on;
worker_processes 1;
pid {state}/nginx.pid;
error_log {state}/error.log warn;
events {{ worker_connections 256; }}
http {{
    types {{
        application/json json;
        application/xml xml;
        application/octet-stream minisig;
        image/png png;
        image/jpeg jpg jpeg;
        video/mp4 mp4;
    }}
    default_type application/octet-stream;
    log_format hiroba '$request_method $uri $status $bytes_sent "$http_if_none_match"';
    access_log {state}/access.log hiroba;
    client_body_temp_path {state}/client_body;
    proxy_temp_path {state}/proxy;
    fastcgi_temp_path {state}/fastcgi;
    uwsgi_temp_path {state}/uwsgi;
    scgi_temp_path {state}/scgi;
    sendfile on;
    keepalive_timeout 30;
    gzip on;
    gzip_types application/json application/xml;
    gzip_min_length 256;
    gzip_comp_level 9;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        # The published channel, as on the city's web server.
        location /hiroba/ {{ alias {publish}/; }}
        # The live feeds: nginx answers If-None-Match / If-Modified-Since
        # with 304 from the file's mtime and size.
        location /feeds/ {{
            alias {feeds}/;
            add_header Cache-Control "no-cache";
        }}
        location = / {{
            default_type text/plain;
            return 200 "hiroba demo server: /hiroba/ (channel), /feeds/ (queue.json, vacancy.json)\\n";
        }}
    }}
}}
"""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent():
    """In the child before exec: nginx gets SIGQUIT if this server dies
    without cleaning up (even kill -9), so no nginx outlives the demo."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGQUIT)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Nginx:
    def __init__(self, state, publish, feeds):
        self.state, self.publish, self.feeds = state, publish, feeds
        self.proc = None
        self.port = None

    def start(self):
        # As root, workers would drop to "nobody" and might not read the tree.
        user = ""
        if os.geteuid() == 0:
            user = (f"user {pwd.getpwuid(os.geteuid()).pw_name} "
                    f"{grp.getgrgid(os.getegid()).gr_name};\n")
        conf = os.path.join(self.state, "nginx.conf")
        # The port is free when chosen but may be taken before nginx binds it.
        for _ in range(5):
            self.port = free_port()
            with open(conf, "w") as f:
                f.write(NGINX_CONF.format(user=user, state=self.state, port=self.port,
                                          publish=self.publish, feeds=self.feeds))
            # Own process group: a Ctrl-C in the terminal reaches us, and we
            # stop nginx gracefully, rather than both racing to exit.
            self.proc = subprocess.Popen(
                [NGINX, "-p", self.state, "-c", conf, "-e", "stderr"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True, preexec_fn=die_with_parent)
            err = self.wait_listening()
            if err is None:
                return
            if "Address already in use" not in err:
                raise RuntimeError(f"nginx did not start: {err.strip()}")
        raise RuntimeError("nginx did not start: no free port after 5 tries")

    def wait_listening(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace")
                self.proc.stderr.close()
                self.proc = None
                return err
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    # From now on nginx's errors go to its error.log only.
                    return None
            except OSError:
                time.sleep(0.05)
        self.stop()
        return "nginx did not listen within 10 s"

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if not self.proc:
            return
        try:
            self.proc.send_signal(signal.SIGQUIT)
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="The demo's local web server and feed changer (see the file's header).")
    p.add_argument("--publish", help="the published channel folder, served at /hiroba/")
    p.add_argument("--feeds", required=True, help="the feeds folder, served at /feeds/")
    p.add_argument("--state", help="nginx's prefix: conf, pid files, logs")
    p.add_argument("--ready-file", help="write the base URL here once serving")
    p.add_argument("--watch-stdin", action="store_true",
                   help="stop at end of file on standard input")
    p.add_argument("--queue-every", type=float, default=4.0, metavar="SECONDS")
    p.add_argument("--vacancy-every", type=float, default=60.0, metavar="SECONDS")
    p.add_argument("--once", action="store_true", help="write both feeds once and exit")
    p.add_argument("--at", help="with --once: the time to write the feeds for (RFC 3339)")
    p.add_argument("--seed", type=int, help="random seed (default: from the clock)")
    a = p.parse_args(argv)
    if not a.once and not (a.publish and a.state):
        p.error("--publish and --state are needed unless --once")
    if a.at and not a.once:
        p.error("--at only goes with --once")
    if a.queue_every <= 0 or a.vacancy_every <= 0:
        p.error("--queue-every and --vacancy-every must be positive")
    return a


def tokyo_now(at=None):
    if at:
        t = datetime.datetime.fromisoformat(at)
        if t.tzinfo is None:
            raise SystemExit("demo-server: --at needs an offset (+09:00)")
        return t.astimezone(TOKYO)
    return datetime.datetime.now(TOKYO).replace(microsecond=0)


def run_once(a):
    os.makedirs(a.feeds, exist_ok=True)
    now = tokyo_now(a.at)
    rng = random.Random(a.seed)
    queue = Queue(rng, now)
    queue.tick(now)
    write_atomic(os.path.join(a.feeds, "queue.json"), queue.document(now))
    write_atomic(os.path.join(a.feeds, "vacancy.json"), Vacancy(rng).document(now))
    return 0


def remember(path, doc):
    """One line per queue document written ({"updated", "counters"} without
    the names), so scripts/demo.sh can tell which numbers a kiosk had on
    screen from the "updated" time in its log. Restarted past 1 MB."""
    line = json.dumps({"updated": doc["updated"],
                       "counters": [{k: v for k, v in c.items() if k != "name"}
                                    for c in doc["counters"]]}, separators=(",", ":"))
    try:
        big = os.path.getsize(path) > (1 << 20)
    except FileNotFoundError:
        big = False
    with open(path, "w" if big else "a", encoding="utf-8") as f:
        f.write(line + "\n")


def write_pid(path):
    with open(path, "w") as f:
        f.write(f"{os.getpid()}\n")


def serve(a):
    publish = os.path.abspath(a.publish)
    feeds = os.path.abspath(a.feeds)
    state = os.path.abspath(a.state)
    for d in (publish, feeds, state):
        os.makedirs(d, exist_ok=True)
    pid_file = os.path.join(state, "demo-server.pid")

    # Signals only set a flag; the wake-up pipe ends the wait at once.
    stop = []
    wake_r, wake_w = os.pipe()
    for fd in (wake_r, wake_w):
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)
    signal.set_wakeup_fd(wake_w)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: stop.append(signal.Signals(signum).name))

    # Each run's logs start empty: the demo counts this run's requests.
    history = os.path.join(state, "queue-history.jsonl")
    for name in ("access.log", "error.log", "queue-history.jsonl"):
        try:
            os.unlink(os.path.join(state, name))
        except FileNotFoundError:
            pass

    rng = random.Random(a.seed)
    now = tokyo_now()
    queue, vacancy = Queue(rng, now), Vacancy(rng)
    queue_path = os.path.join(feeds, "queue.json")
    vacancy_path = os.path.join(feeds, "vacancy.json")
    write_atomic(queue_path, queue.document(now))
    write_atomic(vacancy_path, vacancy.document(now))
    remember(history, queue.document(now))

    nginx = Nginx(state, publish, feeds)
    code = 0
    try:
        nginx.start()
        write_pid(pid_file)
        base = f"http://127.0.0.1:{nginx.port}"
        print(f"demo-server: serving {base}/hiroba/  (the channel: {publish})\n"
              f"demo-server:         {base}/feeds/queue.json  (changes every "
              f"{a.queue_every:g} s)\n"
              f"demo-server:         {base}/feeds/vacancy.json  (every {a.vacancy_every:g} s)\n"
              f"demo-server: nginx pid {nginx.proc.pid}, logs in {state}; stop me with "
              f"kill {os.getpid()}", flush=True)
        if a.ready_file:
            tmp = a.ready_file + ".tmp"
            with open(tmp, "w") as f:
                f.write(base + "\n")
            os.replace(tmp, a.ready_file)

        watch = [wake_r] + ([sys.stdin.fileno()] if a.watch_stdin else [])
        next_queue = time.monotonic() + a.queue_every
        next_vacancy = time.monotonic() + a.vacancy_every
        while not stop:
            timeout = max(0.0, min(next_queue, next_vacancy) - time.monotonic())
            ready, _, _ = select.select(watch, [], [], timeout)
            if wake_r in ready:
                try:
                    os.read(wake_r, 512)
                except BlockingIOError:
                    pass
            if a.watch_stdin and sys.stdin.fileno() in ready:
                try:
                    if not os.read(sys.stdin.fileno(), 4096):
                        stop.append("end of input")
                except OSError as e:
                    if e.errno != errno.EAGAIN:
                        stop.append("end of input")
            if not nginx.alive():
                log(f"nginx stopped by itself (see {state}/error.log)")
                code = 1
                break
            t = time.monotonic()
            if t >= next_queue:
                now = tokyo_now()
                queue.tick(now)
                doc = queue.document(now)
                write_atomic(queue_path, doc)
                remember(history, doc)
                next_queue = t + a.queue_every
            if t >= next_vacancy:
                now = tokyo_now()
                vacancy.tick(now)
                write_atomic(vacancy_path, vacancy.document(now))
                next_vacancy = t + a.vacancy_every
        if stop:
            log(f"stopping ({stop[0]}): feeds no longer change, nginx gets SIGQUIT")
    except RuntimeError as e:
        log(str(e))
        code = 1
    finally:
        nginx.stop()
        for path in (pid_file, a.ready_file):
            if path:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
    return code


def main(argv):
    a = parse_args(argv)
    if a.once:
        return run_once(a)
    if not os.path.exists(NGINX):
        log("nginx is not installed (Debian: nginx-light; bash scripts/deps.sh run build)")
        return 1
    return serve(a)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
