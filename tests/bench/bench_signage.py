#!/usr/bin/env python3
"""bench_signage: the same signage screen (one picture, one text card, the
ticker) shown by hiroba and by Chromium in kiosk mode on an equivalent HTML
page (tests/bench/signage-page/), one after the other in one run. For each:
memory = PSS summed over every process of the program (sampled each second,
median and max) and CPU = utime + stime of all its processes over the
measured seconds, in % of one core. Target: hiroba under one fifth of
Chromium's memory. Also hiroba on a static card (no ticker, one item), to
show that it draws only when something changes.

A benchmark, not a test: run by scripts/bench.sh, never by CTest. Local
files only: the pack is published into a temporary folder, the page is
opened as file://, Chromium runs with its network features off. Every
process it starts is stopped on exit; hiroba also stops itself (--after).

  bench_signage.py [--seconds N] [--warmup N] [--build DIR] [--runs LIST]
                   [--chromium PATH] [--keep DIR]
"""
import argparse
import ctypes
import html
import json
import os
import pathlib
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PAGE_DIR = os.path.join(ROOT, "tests", "bench", "signage-page")
POSTER_SVG = os.path.join(ROOT, "assets", "demo-pack", "art", "ohanashi.svg")
WIDTH, HEIGHT = 1920, 1080
ITEM_SECONDS = 10
CLK_TCK = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024
PR_SET_PDEATHSIG = 1

# The screen's content, in hiroba's furigana markup. From the demo pack
# (assets/demo-pack/pack.json: the facility, the first card, three notices);
# index.html carries the same text as <ruby> and is checked against it.
FACILITY = "ひろば市 中央コミュニティセンター"
CARD_TITLE = "{乳幼児|にゅうようじ}{健診|けんしん}の{日程|にってい}"
CARD_BODY = (
    "4か{月児|げつじ}{健診|けんしん}\u300011月12日（木）\n"
    "1{歳|さい}6か{月児|げつじ}{健診|けんしん}\u300011月19日（木）\n"
    "3{歳児|さいじ}{健診|けんしん}\u300011月26日（木）\n"
    "受付 13:15〜14:00\u30002階 {保健|ほけん}{指導室|しどうしつ}\n"
    "持ち物：{母子|ぼし}{健康|けんこう}{手帳|てちょう}、{問診票|もんしんひょう}"
    "（{事前|じぜん}にご{記入|きにゅう}ください）、バスタオル\n"
    "{対象|たいしょう}のお子さんのご家庭には、ご案内を{郵送|ゆうそう}しています。"
)
TICKER = [
    "{授乳室|じゅにゅうしつ}とおむつ{替|が}えコーナーは1階にあります。",
    "{駐車場|ちゅうしゃじょう}が{混|こ}み合います。なるべく{公共|こうきょう}{交通|こうつう}"
    "{機関|きかん}をご利用ください。",
    "かぜやインフルエンザの{予防|よぼう}に、手洗いとせきエチケットにご{協力|きょうりょく}ください。",
]

# What a run is: label, engine, mode (as printed), and whether it needs X.
RUNS = {
    "hiroba-headless": ("hiroba", "headless", False),
    "hiroba-static": ("hiroba", "headless-static", False),
    "hiroba-x11": ("hiroba", "xvfb-window", True),
    "chromium-kiosk": ("chromium", "xvfb-kiosk", True),
    "chromium-headless": ("chromium", "headless-new", False),
}

# Chromium: kiosk, software only, a throwaway profile, nothing that phones
# home (the machine has no internet; it must not even try).
CHROMIUM_FLAGS = [
    "--no-sandbox",  # root cannot use Chromium's sandbox
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--password-store=basic",  # no keyring over D-Bus
    "--disable-features=Translate",  # no "translate this page?" bubble (and no fetch for it)
    # The flags above still leave lookups of accounts.google.com and
    # clients2.google.com: no host name resolves at all (file:// needs none).
    "--host-resolver-rules=MAP * ~NOTFOUND",
    f"--window-size={WIDTH},{HEIGHT}",
    "--window-position=0,0",
]

started = []  # every subprocess.Popen this script started, for cleanup


def die(msg):
    print(f"bench_signage: error: {msg}", file=sys.stderr)
    sys.exit(1)


def note(msg):
    print(f"bench_signage: {msg}", file=sys.stderr, flush=True)


def run_tool(args, **kw):
    p = subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)
    if p.returncode != 0:
        die(f"{' '.join(args[:2])} failed (exit {p.returncode}):\n{p.stdout}{p.stderr}")
    return p


def ruby_html(markup):
    """{漢字|かんじ} -> <ruby>漢字<rt>かんじ</rt></ruby>, as index.html writes it."""
    text = html.escape(markup, quote=False)
    return re.sub(r"\{([^|{}]+)\|([^{}]+)\}", r"<ruby>\1<rt>\2</rt></ruby>", text)


def check_page():
    """The page must show what the pack shows, or the figures compare two
    different screens."""
    with open(os.path.join(PAGE_DIR, "index.html"), encoding="utf-8") as f:
        page = f.read()
    wanted = [FACILITY, CARD_TITLE, *CARD_BODY.split("\n"), *TICKER]
    missing = [w for w in wanted if ruby_html(w) not in page]
    if missing:
        die(f"{PAGE_DIR}/index.html does not carry the bench pack's text; differs at: "
            + "; ".join(missing))
    for name in os.listdir(PAGE_DIR):
        with open(os.path.join(PAGE_DIR, name), encoding="utf-8") as f:
            if re.search(r"(https?|wss?|ftp)://", f.read()):
                die(f"{PAGE_DIR}/{name} names a remote URL; the page must stay offline")


# ---- the pack ---------------------------------------------------------------


def write_pack(src, items, playlist, ticker):
    os.makedirs(src, exist_ok=True)
    pack = {
        "format": 1,
        "facility": {"name": {"ja": FACILITY}},
        "timezone": "Asia/Tokyo",
        "items": items,
        "playlists": [{"id": "bench", "items": playlist}],
        "schedule": [{"playlist": "bench"}],
    }
    if ticker:
        pack["ticker"] = [{"text": {"ja": t}} for t in TICKER]
    with open(os.path.join(src, "pack.json"), "w", encoding="utf-8") as f:
        json.dump(pack, f, ensure_ascii=False, indent=2)


def publish(tmp, pack_tool, poster_png):
    """Builds, signs and verifies the two channels with hiroba-pack, like
    staff would: bench (picture + card + ticker) and bench-static (the card
    alone, no ticker)."""
    card = {"id": "kenshin", "type": "card", "title": {"ja": CARD_TITLE},
            "body": {"ja": CARD_BODY}, "duration": ITEM_SECONDS}
    poster = {"id": "ohanashi", "type": "image", "file": "ohanashi.png",
              "duration": ITEM_SECONDS}
    src = os.path.join(tmp, "src")
    write_pack(src, [poster, card], ["ohanashi", "kenshin"], ticker=True)
    shutil.copy(poster_png, os.path.join(src, "ohanashi.png"))
    write_pack(os.path.join(tmp, "src-static"), [card], ["kenshin"], ticker=False)

    key, pub_dir = os.path.join(tmp, "key"), os.path.join(tmp, "publish")
    run_tool([pack_tool, "keygen", "--out", key])
    for channel, folder in (("bench", "src"), ("bench-static", "src-static")):
        run_tool([pack_tool, "build", os.path.join(tmp, folder), "--channel", channel,
                  "--out", pub_dir])
        run_tool([pack_tool, "sign", pub_dir, "--channel", channel, "--key", key + ".key"])
        run_tool([pack_tool, "verify", pub_dir, "--channel", channel, "--pub", key + ".pub"])
    return pub_dir, key + ".pub"


# ---- /proc ------------------------------------------------------------------


def read_stat(pid):
    """(ppid, state, utime+stime ticks, starttime) or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode("ascii", "replace")
    except OSError:
        return None
    rest = data[data.rfind(")") + 2:].split()  # comm may hold spaces and ')'
    # rest[0] is field 3 (state): utime/stime are fields 14/15, starttime 22.
    return int(rest[1]), rest[0], int(rest[11]) + int(rest[12]), int(rest[19])


def read_pss_rss(pid):
    """(PSS, RSS) in bytes, or None (gone, or a zombie with no memory)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            text = f.read()
    except OSError:
        return None
    pss = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    rss = re.search(r"^Rss:\s+(\d+) kB", text, re.M)
    if not pss or not rss:
        return None
    return int(pss.group(1)) * 1024, int(rss.group(1)) * 1024


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def process_tree(root, marker=None):
    """{pid: stat} of root and every descendant (found by walking ppid over
    /proc), plus any process whose command line holds marker (Chromium's
    crash handler leaves the tree but keeps the profile path)."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = read_stat(int(name))
            if st:
                stats[int(name)] = st
    children = {}
    for pid, st in stats.items():
        children.setdefault(st[0], []).append(pid)
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats and pid not in tree:
            tree[pid] = stats[pid]
            todo.extend(children.get(pid, []))
    if marker:
        for pid in stats:
            if pid not in tree and marker in cmdline(pid):
                tree[pid] = stats[pid]
                for child in children.get(pid, []):
                    tree.setdefault(child, stats[child])
    return tree


class Meter:
    """Samples one program's process tree: PSS sums, and CPU ticks per
    process (keyed by pid and start time, so a reused pid is a new process).
    A process that exits between samples loses at most one second of CPU."""

    def __init__(self, root, marker=None):
        self.root, self.marker = root, marker
        self.base, self.last = {}, {}
        self.pss, self.rss, self.counts = [], [], []
        self.kinds = {}
        self.t0 = self.t1 = None
        self.boot_t0 = None

    def _sample(self, baseline):
        tree = process_tree(self.root, self.marker)
        pss = rss = live = 0
        for pid, (_, state, ticks, start) in tree.items():
            key = (pid, start)
            if baseline:
                self.base[key] = ticks
            elif key not in self.base:
                self.base[key] = 0 if start >= self.boot_t0 else ticks
            self.last[key] = ticks
            mem = read_pss_rss(pid) if state != "Z" else None
            if mem:
                pss += mem[0]
                rss += mem[1]
                live += 1
                self.kinds.setdefault(key, kind_of(cmdline(pid)))
        self.pss.append(pss)
        self.rss.append(rss)
        self.counts.append(live)

    def start(self):
        self.t0 = time.monotonic()
        self.boot_t0 = int(uptime() * CLK_TCK)
        self._sample(baseline=True)

    def sample(self):
        self._sample(baseline=False)
        self.t1 = time.monotonic()

    def result(self):
        ticks = sum(self.last[k] - self.base.get(k, 0) for k in self.last)
        elapsed = self.t1 - self.t0
        kinds = {}
        for kind in self.kinds.values():
            kinds[kind] = kinds.get(kind, 0) + 1
        return {
            "processes": max(self.counts),
            "processes_seen": len(self.last),
            "pss_median": statistics.median(self.pss) / MIB,
            "pss_max": max(self.pss) / MIB,
            "rss_median": statistics.median(self.rss) / MIB,
            "cpu_pct": 100.0 * ticks / CLK_TCK / elapsed,
            "seconds": elapsed,
            "samples": len(self.pss),
            "kinds": kinds,
        }


def uptime():
    with open("/proc/uptime", encoding="ascii") as f:
        return float(f.read().split()[0])


def kind_of(cmd):
    """Chromium's process role from its --type=, for the breakdown."""
    m = re.search(r"--type=(\S+)", cmd)
    if not m:
        return "crashpad" if "crashpad" in cmd else "main"
    kind = m.group(1)
    if kind == "utility":
        sub = re.search(r"--utility-sub-type=(\S+)", cmd)
        if sub:
            return "utility:" + sub.group(1).rsplit(".", 1)[-1]
    return kind


# ---- processes ----------------------------------------------------------------


def die_with_parent():
    """In the child: SIGKILL when this script dies, even by SIGKILL, so that
    no browser outlives the benchmark (hiroba stops itself anyway)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def spawn(args, log, env=None, pass_fds=()):
    """Starts a process in its own session (its own process group, so the
    cleanup can stop it and what it forked), output to log."""
    out = open(log, "ab")
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                         env=env, start_new_session=True, pass_fds=pass_fds,
                         preexec_fn=die_with_parent)
    out.close()
    started.append(p)
    return p


def stop(p, also=None):
    """SIGTERM to p's group, then SIGKILL to whatever of it is left after a
    few seconds, and to the processes of also ({pid: stat} of its tree, some
    of which may have left the group) that still run with the same start
    time."""
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=8)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for pid, st in (also or {}).items():
        now = read_stat(pid)
        if pid != p.pid and now and now[3] == st[3]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    try:
        p.wait(timeout=5)
        if p in started:
            started.remove(p)
    except subprocess.TimeoutExpired:
        note(f"process {p.pid} did not stop")


def cleanup():
    for p in list(reversed(started)):
        stop(p)
    started.clear()


def start_xvfb(tmp, name):
    """A fresh Xvfb for one run (so its own figures belong to that run):
    1920x1080x24, no TCP, the display number chosen by the server."""
    xvfb = shutil.which("Xvfb")
    r, w = os.pipe()
    p = spawn([xvfb, "-displayfd", str(w), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
               "-nolisten", "tcp", "-noreset"], os.path.join(tmp, f"{name}.xvfb.log"),
              pass_fds=(w,))
    os.close(w)
    deadline = time.monotonic() + 15
    buf = b""
    while time.monotonic() < deadline and not buf.endswith(b"\n"):
        chunk = os.read(r, 16)
        if not chunk:
            break
        buf += chunk
    os.close(r)
    if not buf.strip().isdigit():
        stop(p)
        die("Xvfb did not start (see " + os.path.join(tmp, f"{name}.xvfb.log") + ")")
    return p, ":" + buf.strip().decode()


def measure(p, args, marker=None, beside=None):
    """Waits out the warm-up, then samples p's tree every second (and the
    tree of beside, a Meter for the X server, over the same seconds)."""
    deadline = time.monotonic() + args.warmup
    while time.monotonic() < deadline:
        if p.poll() is not None:
            return None
        time.sleep(0.2)
    meter = Meter(p.pid, marker)
    meter.start()
    if beside:
        beside.start()
    end = meter.t0 + args.seconds
    nxt = meter.t0
    while True:
        nxt += 1.0
        time.sleep(max(0.0, min(nxt, end) - time.monotonic()))
        if p.poll() is not None:
            return None
        meter.sample()
        if beside:
            beside.sample()
        if time.monotonic() >= end - 0.001:
            break
    return meter


def run_one(name, args, ctx):
    engine, mode, needs_x = RUNS[name]
    tmp = ctx["tmp"]
    log = os.path.join(tmp, f"{name}.log")
    env = dict(os.environ)
    xvfb = display = xvfb_meter = None
    if needs_x:
        xvfb, display = start_xvfb(tmp, name)
        env["DISPLAY"] = display
        xvfb_meter = Meter(xvfb.pid)
    marker = None
    if engine == "hiroba":
        channel = "bench-static" if mode == "headless-static" else "bench"
        data = os.path.join(tmp, f"data-{name}")
        cmd = [ctx["hiroba"], "--size", f"{WIDTH}x{HEIGHT}", "--data", data,
               "--channel", channel, "--source", ctx["publish"], "--trust", ctx["pub"],
               "--after", str(args.warmup + args.seconds + 15)]
        env["HIROBA_FONTS"] = os.environ.get("HIROBA_FONTS",
                                             os.path.join(ROOT, "fonts", "fonts.ini"))
        if needs_x:
            # Chromium gets no GPU either: software rendering on both sides.
            cmd += ["--video-driver", "x11"]
            env.update(SDL_VIDEODRIVER="x11", SDL_RENDER_DRIVER="software",
                       SDL_FRAMEBUFFER_ACCELERATION="0")
        else:
            cmd.insert(1, "--headless")
            env.update(SDL_VIDEODRIVER="offscreen", SDL_FRAMEBUFFER_ACCELERATION="0")
    else:
        profile = os.path.join(tmp, f"chrome-{name}")
        marker = profile
        env.update(XDG_CONFIG_HOME=os.path.join(profile, "config"),
                   XDG_CACHE_HOME=os.path.join(profile, "cache"))
        cmd = [ctx["chromium"], *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        cmd += ["--kiosk"] if needs_x else ["--headless=new", "--hide-scrollbars"]
        cmd.append(pathlib.Path(ctx["page"], "index.html").as_uri())
    ctx["commands"].append((name, cmd, display))
    note(f"{name}: {args.warmup:g} s warm-up, then {args.seconds:g} s of samples")
    p = spawn(cmd, log, env=env)
    meter = measure(p, args, marker, xvfb_meter)
    if needs_x:
        if args.keep and shutil.which("import"):
            subprocess.run(["import", "-display", display, "-window", "root",
                            os.path.join(tmp, f"{name}.png")], capture_output=True, timeout=30)
    tree = process_tree(p.pid, marker) if p.poll() is None else {}
    stop(p, tree)
    if xvfb:
        stop(xvfb)
    if meter is None:
        with open(log, encoding="utf-8", errors="replace") as f:
            tail = "".join(f.readlines()[-15:])
        die(f"{name} exited early (status {p.returncode}); last lines of {log}:\n{tail}")
    res = meter.result()
    res.update(name=name, engine=engine, mode=mode)
    if needs_x:
        # The X server is the display, not the program: shown, not counted.
        x = xvfb_meter.result()
        res.update(xvfb_pss=x["pss_median"], xvfb_cpu=x["cpu_pct"])
    return res


# ---- report -------------------------------------------------------------------


def report(results, args):
    print(f"\nsignage screen {WIDTH}x{HEIGHT}: {args.seconds:g} s of samples (every 1 s) after a "
          f"{args.warmup:g} s warm-up; PSS summed over every process of the program")
    head = f"{'engine':9} {'mode':16} {'procs':>5} {'PSS median':>11} {'PSS max':>9} " \
           f"{'RSS median':>11} {'CPU':>7}   display server (not counted)"
    print(head)
    print("-" * len(head))
    for r in results:
        x = f"Xvfb {r['xvfb_pss']:.1f} MiB, {r['xvfb_cpu']:.1f} %" if "xvfb_pss" in r else "-"
        print(f"{r['engine']:9} {r['mode']:16} {r['processes']:5d} "
              f"{r['pss_median']:7.1f} MiB {r['pss_max']:5.1f} MiB {r['rss_median']:7.1f} MiB "
              f"{r['cpu_pct']:5.1f} %   {x}")
    print("(CPU: % of one core; RSS counts shared pages once per process, PSS splits them)")
    for r in results:
        if r["engine"] == "chromium":
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(r["kinds"].items()))
            print(f"chromium {r['mode']} processes seen: {r['processes_seen']} ({kinds})")
    print()
    for r in results:
        extra = ""
        if "xvfb_pss" in r:
            extra = f" xvfb_pss_mib={r['xvfb_pss']:.1f} xvfb_cpu_pct={r['xvfb_cpu']:.1f}"
        print(f"engine={r['engine']} mode={r['mode']} processes={r['processes']} "
              f"pss_median_mib={r['pss_median']:.1f} pss_max_mib={r['pss_max']:.1f} "
              f"rss_median_mib={r['rss_median']:.1f} cpu_pct={r['cpu_pct']:.1f} "
              f"seconds={r['seconds']:.1f} samples={r['samples']}{extra}")
    hiroba = [r for r in results if r["engine"] == "hiroba" and r["mode"] != "headless-static"]
    chrome = [r for r in results if r["engine"] == "chromium"]
    if not hiroba or not chrome:
        return
    for c in chrome:
        for h in hiroba:
            pct = 100.0 * h["pss_median"] / c["pss_median"]
            ok = pct < 20.0
            print(f"ratio hiroba_mode={h['mode']} chromium_mode={c['mode']} "
                  f"pss_pct={pct:.1f} target_pct=20 ok={'yes' if ok else 'no'}")
    # The headline: like for like (both in a window on the same kind of X
    # server) when both ran, else the first of each.
    pair = [(h, c) for h in hiroba for c in chrome
            if h["mode"] == "xvfb-window" and c["mode"] == "xvfb-kiosk"]
    h, c = pair[0] if pair else (hiroba[0], chrome[0])
    pct = 100.0 * h["pss_median"] / c["pss_median"]
    print(f"\nhiroba uses {pct:.1f}% of Chromium's memory (target < 20%): "
          f"{h['pss_median']:.1f} MiB ({h['mode']}) vs {c['pss_median']:.1f} MiB "
          f"({c['mode']}, {c['processes']} processes); "
          f"CPU {h['cpu_pct']:.1f} % vs {c['cpu_pct']:.1f} % of one core"
          f" -> {'target met' if pct < 20.0 else 'TARGET MISSED'}")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60, help="measured seconds per run (60)")
    ap.add_argument("--warmup", type=float, default=5, help="seconds before measuring (5)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"),
                    help="build tree with app/hiroba and app/hiroba-pack (build-bench)")
    ap.add_argument("--runs", help="comma-separated, from: " + ", ".join(RUNS) +
                    " (default: all but chromium-headless with Xvfb; without Xvfb the "
                    "headless ones)")
    ap.add_argument("--chromium", default=None, help="the browser (default: chromium on PATH)")
    ap.add_argument("--keep", metavar="DIR",
                    help="work in DIR and keep it: pack, page, logs, a screenshot per X run")
    a = ap.parse_args()
    if not 1 <= a.seconds <= 3600 or not 0 <= a.warmup <= 600:
        ap.error("--seconds must be 1..3600 and --warmup 0..600")
    return a


def main():
    args = parse_args()
    have_x = bool(shutil.which("Xvfb"))
    if args.runs:
        runs = [r.strip() for r in args.runs.split(",") if r.strip()]
        bad = [r for r in runs if r not in RUNS]
        if bad:
            die(f"unknown run(s) {', '.join(bad)}; known: {', '.join(RUNS)}")
    elif have_x:
        runs = ["hiroba-headless", "hiroba-static", "hiroba-x11", "chromium-kiosk"]
    else:
        note("no Xvfb: measuring headless only (install it: bash scripts/deps.sh test)")
        runs = ["hiroba-headless", "hiroba-static", "chromium-headless"]
    if not have_x and any(RUNS[r][2] for r in runs):
        die("the runs in a window need Xvfb (bash scripts/deps.sh test)")

    hiroba = os.path.join(args.build, "app", "hiroba")
    pack_tool = os.path.join(args.build, "app", "hiroba-pack")
    for exe in (hiroba, pack_tool):
        if not os.access(exe, os.X_OK):
            die(f"{exe} not built (build the tree first, or pass --build DIR)")
    chromium = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if any(RUNS[r][0] == "chromium" for r in runs) and not chromium:
        die("chromium is not installed: bash scripts/deps.sh bench")
    if not shutil.which("rsvg-convert"):
        die("rsvg-convert is missing: bash scripts/deps.sh build")
    check_page()

    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        tmp = os.path.abspath(args.keep)
    else:
        tmp = tempfile.mkdtemp(prefix="hiroba-bench-signage-")
    try:
        poster = os.path.join(tmp, "ohanashi.png")
        run_tool(["rsvg-convert", "-w", str(WIDTH), "-h", str(HEIGHT), POSTER_SVG, "-o", poster])
        pub_dir, pub_key = publish(tmp, pack_tool, poster)
        page = os.path.join(tmp, "page")
        shutil.rmtree(page, ignore_errors=True)
        shutil.copytree(PAGE_DIR, page)
        shutil.copy(poster, os.path.join(page, "ohanashi.png"))
        ctx = {"tmp": tmp, "hiroba": hiroba, "chromium": chromium, "publish": pub_dir,
               "pub": pub_key, "page": page, "commands": []}
        if chromium:
            v = subprocess.run([chromium, "--version"], capture_output=True, text=True,
                               timeout=30)
            note(f"browser: {v.stdout.strip()}")
        results = [run_one(name, args, ctx) for name in runs]
        print("commands:")
        for name, cmd, display in ctx["commands"]:
            on = f"DISPLAY={display} " if display else ""
            print(f"  {name}: {on}{shlex.join(cmd)}")
        report(results, args)
    finally:
        cleanup()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.exit(main())
