#!/usr/bin/env python3
"""fault_server: a small HTTP/1.1 server on 127.0.0.1 that serves a folder
published by hiroba-pack and misbehaves on request, for what nginx will not do
(500s, truncated or endless bodies, one byte per second, flipped or replaced
bytes, delays). Without a fault it is a plain static server with content-hash
ETags (If-None-Match -> 304), Last-Modified, and single Range requests (206).

    with FaultServer(root) as fs:
        fs.rule("/channels/*/manifest.json", status(500))
        url = fs.url

It never binds anything but 127.0.0.1, every loop is bounded (a byte cap, a
time cap, the client going away, or the server stopping), and it stops when
the context exits. Also holds the few publishing helpers that the sync fault
test, the kill -9 loop and the sync benchmark share (PNGs made with zlib,
hiroba-pack build and sign)."""
import email.utils
import fnmatch
import hashlib
import http.server
import json
import os
import random
import re
import socket
import struct
import subprocess
import threading
import time
import urllib.parse
import zlib

ENDLESS_CAP = 64 << 20  # bytes an endless body sends at most
SLOW_CAP_SEC = 180      # a slow body gives up after this long
CHUNK = 64 << 10


class Fault:
    """What to do to a response. Body transforms (replace, flip) apply first,
    then delivery (delay, status, truncate, endless, slow). times: apply to
    the first N matching requests only (None: all)."""

    def __init__(self, *, status=None, truncate=None, endless=False, slow=None, flip=None,
                 replace=None, delay=None, times=None):
        self.status = status        # int: answer with this status and a short body
        self.truncate = truncate    # int: declare the full length, send this many bytes, close
        self.endless = endless      # bool: the body, then filler, chunked, up to ENDLESS_CAP
        self.slow = slow            # float: bytes per second
        self.flip = flip            # int: XOR 0xFF into the byte at this offset (<0: from end)
        self.replace = replace      # bytes, or a path to a file whose bytes are served instead
        self.delay = delay          # float: seconds before answering
        self.times = times


def status(code, **kw):
    return Fault(status=code, **kw)


def truncate(keep, **kw):
    return Fault(truncate=keep, **kw)


def endless(**kw):
    return Fault(endless=True, **kw)


def slow(bytes_per_second=1.0, **kw):
    return Fault(slow=bytes_per_second, **kw)


def flip(offset, **kw):
    return Fault(flip=offset, **kw)


def replace(data_or_path, **kw):
    return Fault(replace=data_or_path, **kw)


def delay(seconds, **kw):
    return Fault(delay=seconds, **kw)


def etag_of(body):
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class _Rule:
    def __init__(self, glob, fault):
        self.glob = glob
        self.fault = fault
        self.hits = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hiroba-fault/1"

    def log_message(self, fmt, *args):  # quiet: the test prints what matters
        pass

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    # ---- helpers -------------------------------------------------------------------------

    def _owner(self):
        return self.server.owner

    def _send_simple(self, code, text, extra=()):
        body = (text + "\n").encode()
        self.send_response(code)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self._write(body)
        return len(body)

    def _write(self, data):
        """Writes data; False when the client has gone."""
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
            self.close_connection = True
            return False

    def _file_for(self, path):
        owner = self._owner()
        rel = urllib.parse.unquote(path).lstrip("/")
        if "\0" in rel or any(part in ("..", "") for part in rel.split("/")):
            return None
        full = os.path.realpath(os.path.join(owner.root, rel))
        if not full.startswith(owner.root + os.sep) or not os.path.isfile(full):
            return None
        return full

    def _serve(self, head):
        owner = self._owner()
        path = urllib.parse.urlsplit(self.path).path
        fault = owner._match(path)
        record = {"path": path, "headers": dict(self.headers.items()), "status": 0, "sent": 0,
                  "fault": fault is not None}
        owner._record(record)
        stop = owner._stop
        if fault and fault.delay:
            if stop.wait(fault.delay):
                self.close_connection = True
                return
        if fault and fault.status:
            record["status"] = fault.status
            record["sent"] = self._send_simple(fault.status, f"fault: status {fault.status}")
            return
        full = self._file_for(path)
        body = None
        mtime = time.time()
        if fault and fault.replace is not None:
            if isinstance(fault.replace, (bytes, bytearray)):
                body = bytes(fault.replace)
            else:
                with open(fault.replace, "rb") as f:
                    body = f.read()
        elif full:
            with open(full, "rb") as f:
                body = f.read()
            mtime = os.stat(full).st_mtime
        if body is None:
            record["status"] = 404
            record["sent"] = self._send_simple(404, "not found")
            return
        if fault and fault.flip is not None and body:
            b = bytearray(body)
            b[fault.flip % len(b)] ^= 0xFF
            body = bytes(b)
        etag = etag_of(body)
        last_mod = email.utils.formatdate(mtime, usegmt=True)
        common = [("ETag", etag), ("Last-Modified", last_mod), ("Accept-Ranges", "bytes"),
                  ("Cache-Control", "no-cache")]

        if fault and fault.endless:
            record["status"] = 200
            record["sent"] = self._send_endless(body, common, head)
            return
        if fault and fault.truncate is not None:
            record["status"] = 200
            record["sent"] = self._send_truncated(body, fault.truncate, common, head)
            return

        # Conditional and range requests (only when the body is not being mangled in flight).
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            not_modified = "*" in tags or etag in tags or ("W/" + etag) in tags
        elif ims is not None:
            try:
                not_modified = int(mtime) <= email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                not_modified = False
        if not_modified:
            record["status"] = 304
            self.send_response(304)
            for k, v in common:
                self.send_header(k, v)
            self.end_headers()
            return
        start, end, code = 0, len(body), 200
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and (if_range is None or if_range == etag or if_range == last_mod):
            m = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip())
            if m and (m.group(1) or m.group(2)):
                if m.group(1):
                    start = int(m.group(1))
                    end = min(len(body), int(m.group(2)) + 1) if m.group(2) else len(body)
                else:
                    start = max(0, len(body) - int(m.group(2)))
                if start >= len(body) or start >= end:
                    record["status"] = 416
                    record["sent"] = self._send_simple(
                        416, "range not satisfiable", [("Content-Range", f"bytes */{len(body)}")])
                    return
                code = 206
                common.append(("Content-Range", f"bytes {start}-{end - 1}/{len(body)}"))
        record["status"] = code
        self.send_response(code)
        for k, v in common:
            self.send_header(k, v)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start))
        self.end_headers()
        if head:
            return
        part = body[start:end]
        if fault and fault.slow:
            record["sent"] = self._send_slow(part, fault.slow)
            return
        if self._write(part):
            record["sent"] = len(part)

    def _send_truncated(self, body, keep, common, head):
        self.send_response(200)
        for k, v in common:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if head:
            return 0
        keep = max(0, min(keep, len(body) - 1))
        self._write(body[:keep])
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return keep

    def _send_endless(self, body, common, head):
        self.send_response(200)
        for k, v in common:
            self.send_header(k, v)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if head:
            return 0
        sent = 0
        filler = bytes(range(256)) * (CHUNK // 256)
        data = body
        stop = self._owner()._stop
        while sent < ENDLESS_CAP and not stop.is_set():
            piece = data[:CHUNK] if data else filler
            data = data[len(piece):] if data else b""
            if not self._write(b"%x\r\n" % len(piece) + piece + b"\r\n"):
                return sent
            sent += len(piece)
        self._write(b"0\r\n\r\n")
        self.close_connection = True
        return sent

    def _send_slow(self, part, rate):
        sent = 0
        stop = self._owner()._stop
        t0 = time.monotonic()
        step = max(1, int(rate)) if rate >= 1 else 1
        interval = step / rate
        while sent < len(part) and time.monotonic() - t0 < SLOW_CAP_SEC:
            if not self._write(part[sent:sent + step]):
                return sent
            sent += min(step, len(part) - sent)
            if stop.wait(interval):
                break
        if sent < len(part):
            self.close_connection = True
        return sent


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # A client killed mid-transfer (the kill -9 loop) is expected, not news.
        import sys
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class FaultServer:
    """Serves root (a folder published by hiroba-pack) on 127.0.0.1:<free port>."""

    def __init__(self, root):
        self.root = os.path.realpath(root)
        self._rules = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.requests = []  # dicts: path, headers, status, sent, fault
        self._httpd = None
        self._thread = None

    def __enter__(self):
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        host, port = self._httpd.server_address[:2]
        assert host == "127.0.0.1", host
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)
        return False

    def rule(self, path_glob, fault):
        """Applies fault to requests whose path matches path_glob (fnmatch; the
        newest matching rule wins). Returns the rule (rule.hits counts uses)."""
        r = _Rule(path_glob, fault)
        with self._lock:
            self._rules.insert(0, r)
        return r

    def clear(self):
        with self._lock:
            self._rules.clear()

    def _match(self, path):
        with self._lock:
            for r in self._rules:
                if fnmatch.fnmatchcase(path, r.glob):
                    if r.fault.times is not None and r.hits >= r.fault.times:
                        continue
                    r.hits += 1
                    return r.fault
        return None

    def _record(self, rec):
        with self._lock:
            self.requests.append(rec)
            del self.requests[:-10000]

    def reset_log(self):
        with self._lock:
            self.requests = []


# ---- publishing helpers shared by the sync tests and benchmarks ---------------------------

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, seed):
    """A valid 8-bit RGB PNG of noise (incompressible: its size is about 3*w*h)."""
    r = random.Random(seed)
    rows = b"".join(b"\0" + r.randbytes(3 * width) for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(rows, 1)) + png_chunk(b"IEND", b""))


def write_source(src, pictures):
    """Writes a pack source: pictures maps file names to PNG bytes, one image item each."""
    os.makedirs(src, exist_ok=True)
    names = sorted(pictures)
    doc = {
        "format": 1,
        "facility": {"name": {"ja": "ひろば館", "en": "Hiroba Hall"}},
        "items": [{"id": f"i{n}", "type": "image", "file": name, "duration": 5}
                  for n, name in enumerate(names)],
        "playlists": [{"id": "main", "items": [f"i{n}" for n in range(len(names))]}],
        "schedule": [{"playlist": "main"}],
    }
    for name in os.listdir(src):
        if name.endswith(".png") and name not in pictures:
            os.remove(os.path.join(src, name))
    for name, data in pictures.items():
        with open(os.path.join(src, name), "wb") as f:
            f.write(data)
    with open(os.path.join(src, "pack.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)


def run(*args, timeout=120):
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))}: exit {p.returncode}\n"
                             f"{p.stdout}{p.stderr}")
    return p


def publish(pack_bin, src, pub, channel, key, *build_args):
    """hiroba-pack build + sign. Returns the manifest's bytes."""
    run(pack_bin, "build", src, "--channel", channel, "--out", pub, *build_args)
    run(pack_bin, "sign", pub, "--channel", channel, "--key", key + ".key")
    with open(os.path.join(pub, "channels", channel, "manifest.json"), "rb") as f:
        return f.read()


def keygen(pack_bin, out):
    run(pack_bin, "keygen", "--out", out, "--force")
    return out


def manifest_objects(manifest_bytes):
    """name -> (sha256, size) of a manifest."""
    doc = json.loads(manifest_bytes)
    return {name: (o["sha256"], o["size"]) for name, o in doc["objects"].items()}


def check_data(data_dir, channel):
    """Checks a kiosk data folder the way a power cut would be judged: every
    stored object hashes to its name, the active (and previous) manifest of
    channel lists only objects present with the right size, and SQLite's
    integrity check passes. Returns (active version or None, [problems])."""
    import sqlite3
    problems = []
    objdir = os.path.join(data_dir, "objects")
    if os.path.isdir(objdir):
        for ab in sorted(os.listdir(objdir)):
            sub = os.path.join(objdir, ab)
            if not os.path.isdir(sub):
                problems.append(f"stray file objects/{ab}")
                continue
            for name in os.listdir(sub):
                h = hashlib.sha256()
                with open(os.path.join(sub, name), "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
                if not name.startswith(ab) or h.hexdigest() != name:
                    problems.append(f"objects/{ab}/{name} hashes to {h.hexdigest()}")
    db_path = os.path.join(data_dir, "hiroba.db")
    if not os.path.exists(db_path):
        return None, problems
    db = sqlite3.connect(db_path, timeout=10)
    try:
        ok = db.execute("PRAGMA integrity_check").fetchall()
        if ok != [("ok",)]:
            problems.append(f"integrity_check: {ok}")
        row = db.execute("SELECT version, previous_version FROM active WHERE channel = ?",
                         (channel,)).fetchone()
        if row is None:
            return None, problems
        for v in row:
            if v is None:
                continue
            m = db.execute("SELECT manifest_json FROM manifests WHERE channel = ? AND version = ?",
                           (channel, v)).fetchone()
            if m is None:
                problems.append(f"version {v} is in use but its manifest is missing")
                continue
            # The previous version is kept complete for instant fallback.
            body = m[0].encode() if isinstance(m[0], str) else m[0]
            for name, (sha, size) in manifest_objects(body).items():
                p = os.path.join(objdir, sha[:2], sha)
                if not os.path.isfile(p):
                    problems.append(f"active v{v}: {name} ({sha}) missing")
                elif os.path.getsize(p) != size:
                    problems.append(f"v{v}: {name} is {os.path.getsize(p)} bytes, not {size}")
        return row[0], problems
    finally:
        db.close()
