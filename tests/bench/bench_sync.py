#!/usr/bin/env python3
"""bench_sync: what a sync costs on the wire and what one nginx gives a fleet.
Not a test (figures from a loaded machine mean nothing): scripts/bench.sh runs it.

(a) Bytes on the wire for an update that changes one of N objects (N = 20,
    about 100 KB each): publish v1 and sync, change one object, publish v2
    and sync; the update's bytes (hiroba --sync-once's "bytes": headers and
    bodies of every transfer) against that object's size. Target: the object's
    size plus under 2 KB. Also the cost of an unchanged poll (one 304).
(b) Fleet: K simulated kiosks (default 300) polling the channel's manifest on
    one nginx with conditional GETs (If-None-Match, keep-alive; a 200 is
    followed by a GET of the signature, as a kiosk does) for D seconds
    (default 20), with a new version published midway: requests per second,
    304 share, p50/p99 latency, and how long the fleet took to see the new
    version. Everything on 127.0.0.1, bounded by D plus a grace period.

    bench_sync.py HIROBA HIROBA_PACK [--kiosks K] [--seconds D] [--objects N]"""
import argparse
import asyncio
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SYNC_TESTS = os.path.join(HERE, "..", "sync")
sys.path.insert(0, SYNC_TESTS)
import fault_server as fsrv  # noqa: E402

CHANNEL = "bench"


def server_for(root):
    if os.path.exists(os.path.join(SYNC_TESTS, "nginx_fixture.py")) and shutil.which("nginx"):
        import nginx_fixture
        # The fleet keeps one connection per kiosk: the test fixture's
        # worker_connections (sized for tests) would refuse a few hundred.
        conf = getattr(nginx_fixture, "CONF", "")
        nginx_fixture.CONF = re.sub(r"worker_connections \d+;", "worker_connections 4096;", conf)
        return nginx_fixture.Nginx(root), "nginx (1 worker, worker_connections 4096)"
    return fsrv.FaultServer(root), "python http.server (no nginx fixture: not nginx's figures)"


def sync(hiroba, data, url, key):
    p = subprocess.run([hiroba, "--sync-once", "--data", data, "--source", url, "--channel",
                        CHANNEL, "--trust", key + ".pub"], capture_output=True, text=True,
                       timeout=300)
    lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
    if p.returncode not in (0, 1) or len(lines) != 1:
        raise SystemExit(f"bench_sync: hiroba --sync-once exit {p.returncode}:\n"
                         f"{p.stdout}{p.stderr}")
    return json.loads(lines[0])


def wire_bytes(a, tmp):
    src, pub, data = (os.path.join(tmp, n) for n in ("src-a", "pub-a", "data-a"))
    key = fsrv.keygen(a.pack, os.path.join(tmp, "staff"))
    side = 182  # 3 * 182 * 182 = 99 372 bytes of noise per picture
    pictures = {f"p{i:02d}.png": fsrv.png(side, side, 1000 + i) for i in range(a.objects)}
    fsrv.write_source(src, pictures)
    os.makedirs(pub)
    srv, kind = server_for(pub)
    with srv:
        fsrv.publish(a.pack, src, pub, CHANNEL, key)
        r1 = sync(a.hiroba, data, srv.url, key)
        pictures["p07.png"] = fsrv.png(side, side, 5000)
        fsrv.write_source(src, pictures)
        manifest = fsrv.publish(a.pack, src, pub, CHANNEL, key)
        # nginx validators are mtime-size: the same-size v2 manifest, written in
        # the same second as v1, would be answered 304. Published a second later.
        mpath = os.path.join(pub, "channels", CHANNEL, "manifest.json")
        t = time.time() + 2
        os.utime(mpath, (t, t))
        sig = os.path.getsize(os.path.join(pub, "channels", CHANNEL, "manifest.json.minisig"))
        changed = fsrv.manifest_objects(manifest)["p07.png"][1]
        r2 = sync(a.hiroba, data, srv.url, key)
        r3 = sync(a.hiroba, data, srv.url, key)
    total = sum(s for _, s in fsrv.manifest_objects(manifest).values())
    over = r2["bytes"] - changed
    print(f"(a) server: {kind}")
    print(f"(a) first sync: {r1['result']} v{r1['version']}, {r1['objects_fetched']} objects, "
          f"{r1['bytes']} bytes for {a.objects} objects of {total} bytes")
    print(f"(a) update (1 of {a.objects} objects changed): {r2['result']} v{r2['version']}, "
          f"{r2['objects_fetched']} object(s), {r2['bytes']} bytes on the wire")
    print(f"(a)   changed object {changed} bytes; overhead {over} bytes "
          f"(manifest {len(manifest)} + signature {sig} bytes before headers); "
          f"target under 2048: {'met' if over < 2048 else 'MISSED'}")
    print(f"(a) unchanged poll: {r3['result']}, {r3['bytes']} bytes on the wire")


# ---- (b) the fleet --------------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.lat = []
        self.codes = {}
        self.errors = 0
        self.sig_gets = 0
        self.saw_new = []  # seconds after publication when each kiosk first saw the new version


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    code = int(lines[0].split()[1])
    headers = {}
    for ln in lines[1:]:
        if ":" in ln:
            k, v = ln.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    body = await reader.readexactly(n) if n else b""
    return code, headers, body


async def kiosk(host, port, path, stats, stop_at, published, think):
    etag = None
    version_seen = None
    reader = writer = None
    while time.monotonic() < stop_at:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            req = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: hiroba-fleet\r\n"
            if etag:
                req += f"If-None-Match: {etag}\r\n"
            t0 = time.monotonic()
            writer.write((req + "\r\n").encode())
            code, headers, body = await asyncio.wait_for(read_response(reader), 10)
            stats.lat.append(time.monotonic() - t0)
            stats.codes[code] = stats.codes.get(code, 0) + 1
            if code == 200:
                etag = headers.get("etag")
                writer.write(f"GET {path}.minisig HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
                await asyncio.wait_for(read_response(reader), 10)
                stats.sig_gets += 1
                v = json.loads(body)["version"]
                if version_seen is not None and v != version_seen and published[0]:
                    stats.saw_new.append(time.monotonic() - published[0])
                version_seen = v
            if headers.get("connection", "").lower() == "close":
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
            stats.errors += 1
            if writer:
                writer.close()
            writer = None
            await asyncio.sleep(0.05)
        if think:
            await asyncio.sleep(think)
    if writer:
        writer.close()


async def fleet_run(url, a, publish):
    host, port = url.split("://", 1)[1].split(":")
    port = int(port.rstrip("/"))
    stats = Stats()
    start = time.monotonic()
    stop_at = start + a.seconds
    published = [None]

    def publisher():
        time.sleep(a.seconds / 2)
        publish()
        published[0] = time.monotonic()

    th = threading.Thread(target=publisher, daemon=True)
    th.start()
    path = f"/channels/{CHANNEL}/manifest.json"
    await asyncio.gather(*(kiosk(host, port, path, stats, stop_at, published, a.think)
                           for _ in range(a.kiosks)))
    th.join(timeout=60)
    return stats, time.monotonic() - start


def fleet(a, tmp):
    src, pub = os.path.join(tmp, "src-b"), os.path.join(tmp, "pub-b")
    key = fsrv.keygen(a.pack, os.path.join(tmp, "fleet"))
    pictures = {f"p{i}.png": fsrv.png(64, 64, i) for i in range(5)}
    fsrv.write_source(src, pictures)
    os.makedirs(pub)
    fsrv.publish(a.pack, src, pub, CHANNEL, key)

    def publish():
        pictures["p0.png"] = fsrv.png(64, 64, 99)
        fsrv.write_source(src, pictures)
        fsrv.publish(a.pack, src, pub, CHANNEL, key)

    srv, kind = server_for(pub)
    with srv:
        stats, elapsed = asyncio.run(fleet_run(srv.url, a, publish))
    n = len(stats.lat)
    lat = sorted(stats.lat)

    def pct(p):
        return lat[min(n - 1, int(p * n))] * 1000 if n else float("nan")

    share = stats.codes.get(304, 0) / n if n else 0
    print(f"(b) server: {kind}; {a.kiosks} kiosks, {a.seconds:.0f} s, think time {a.think} s")
    print(f"(b) {n} manifest polls in {elapsed:.1f} s: {n / elapsed:.0f} requests/s "
          f"(+{stats.sig_gets} signature GETs), 304 share {share * 100:.2f}%, "
          f"codes {dict(sorted(stats.codes.items()))}, errors {stats.errors}")
    print(f"(b) latency p50 {pct(0.50):.2f} ms, p99 {pct(0.99):.2f} ms, max {pct(1.0):.2f} ms")
    if stats.saw_new:
        s = sorted(stats.saw_new)
        print(f"(b) new version seen by {len(s)}/{a.kiosks} kiosks, the last "
              f"{s[-1] * 1000:.0f} ms after publication")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("hiroba")
    ap.add_argument("pack")
    ap.add_argument("--kiosks", type=int, default=300)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--objects", type=int, default=20)
    ap.add_argument("--think", type=float, default=0.0,
                    help="pause between one kiosk's polls (0: as fast as the server answers)")
    ap.add_argument("--part", choices=("all", "wire", "fleet"), default="all")
    a = ap.parse_args()
    if a.objects < 8:
        ap.error("--objects must be at least 8")
    tmp = tempfile.mkdtemp(prefix="hiroba-bench-sync-")
    try:
        if a.part in ("all", "wire"):
            wire_bytes(a, tmp)
        if a.part in ("all", "fleet"):
            fleet(a, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
