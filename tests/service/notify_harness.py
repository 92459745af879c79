"""What systemd does for a Type=notify service with a watchdog, for tests and
benchmarks that cannot run systemd itself: a notify socket, the kiosk
started with $NOTIFY_SOCKET and $WATCHDOG_USEC, its messages read back, and
the kill systemd makes when the pings stop (SIGABRT, then SIGKILL).

    from notify_harness import NotifySocket, start
    with NotifySocket(path) as ns:
        proc = start([HIROBA, ...], ns, watchdog_usec=2_000_000, log=f)
        msg = ns.wait_for("READY", 30)       # a Message, or None on time-out
        msg.fields["STATUS"], msg.at, msg.pid

Messages are checked the way NotifyAccess=main checks them: the sender's pid
comes from the kernel (SO_PASSCRED), and only the kiosk's own counts.
"""
import os
import signal
import socket
import struct
import subprocess
import time


class Message:
    def __init__(self, at, pid, text):
        self.at = at  # time.monotonic() when it arrived
        self.pid = pid
        self.fields = {}
        for line in text.split("\n"):
            if "=" in line:
                k, v = line.split("=", 1)
                self.fields[k] = v

    def __repr__(self):
        return f"Message(pid={self.pid}, {self.fields})"


class NotifySocket:
    def __init__(self, path):
        self.path = path
        self.sock = None
        self.pid = None  # only this sender's messages count (NotifyAccess=main)
        self.seen = []

    def __enter__(self):
        if os.path.exists(self.path):
            os.unlink(self.path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.sock.bind(self.path)
        return self

    def __exit__(self, *exc):
        self.sock.close()
        if os.path.exists(self.path):
            os.unlink(self.path)

    def receive(self, timeout):
        """The next message from the watched pid, or None after timeout s."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data, anc, _, _ = self.sock.recvmsg(4096, socket.CMSG_SPACE(12))
            except socket.timeout:
                return None
            pid = None
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid, _, _ = struct.unpack("iII", payload[:12])
            if self.pid is not None and pid != self.pid:
                continue  # another process: systemd would ignore it too
            m = Message(time.monotonic(), pid, data.decode("utf-8", "replace"))
            self.seen.append(m)
            return m

    def wait_for(self, field, timeout):
        """The first message carrying FIELD=1 (or any value) within timeout."""
        deadline = time.monotonic() + timeout
        while True:
            m = self.receive(deadline - time.monotonic())
            if m is None or field in m.fields:
                return m


def start(argv, ns, watchdog_usec=None, log=None, env=None):
    """Starts argv as systemd would start the unit's ExecStart."""
    e = dict(os.environ if env is None else env)
    e["NOTIFY_SOCKET"] = ns.path
    e.pop("WATCHDOG_PID", None)  # unset: the watchdog is for whoever reads it
    if watchdog_usec:
        e["WATCHDOG_USEC"] = str(watchdog_usec)
    else:
        e.pop("WATCHDOG_USEC", None)
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log or subprocess.DEVNULL,
                            env=e)
    ns.pid = proc.pid
    return proc


def kill_as_systemd(proc, abort_wait=1.0):
    """WatchdogSec= ran out: SIGABRT (a core dump shows where it hung), then
    SIGKILL once TimeoutAbortSec passes. A stopped process cannot act on
    SIGABRT, so it takes the SIGKILL. Returns the exit status (negative:
    the signal)."""
    proc.send_signal(signal.SIGABRT)
    try:
        return proc.wait(abort_wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(10)
