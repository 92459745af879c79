"""A real nginx on loopback for sync tests.

    from nginx_fixture import Nginx
    with Nginx(root_dir) as ng:
        ng.url          # "http://127.0.0.1:PORT", serving root_dir
        ng.stop()       # optional: stop early (an "offline" server); start() again

Listens on 127.0.0.1 only, on a free port chosen at start (kept across
stop/start so a kiosk's validators stay valid), with every path nginx writes
(pid, logs, *_temp_path) under a temporary prefix that is removed at the end.
Stopped with SIGQUIT (graceful), SIGKILL if it does not go within 5 s.
Options: rate_limit="200k" (nginx limit_rate, per connection) and
extra_conf (lines added to the server block). access_log() returns the
requests seen so far as (method, path, status, bytes_sent, range) tuples.
"""
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONF = """daemon off;
{user}master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    types {{ application/json json; application/octet-stream minisig; }}
    default_type application/octet-stream;
    log_format hiroba '$request_method $uri $status $bytes_sent "$http_range"';
    access_log {prefix}/access.log hiroba;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    sendfile on;
    keepalive_timeout 30;
    # As the city's server should be set up (README): manifests compress well.
    gzip on;
    gzip_types application/json;
    gzip_min_length 256;
    gzip_comp_level 9;
    server {{
        listen 127.0.0.1:{port}{ssl};
        server_name localhost;
        root {root};
        {limit}
        {extra}
    }}
}}
"""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    def __init__(self, root_dir, rate_limit=None, extra_conf="", tls=None):
        """tls: (certificate file, key file) to serve https instead of http."""
        self.tls = tls
        self.root = os.path.abspath(root_dir)
        self.rate_limit = rate_limit
        self.extra_conf = extra_conf
        self.prefix = None
        self.port = None
        self.proc = None

    @property
    def url(self):
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        if self.prefix:
            shutil.rmtree(self.prefix, ignore_errors=True)
            self.prefix = None
        return False

    def start(self):
        if self.proc:
            return
        if not self.prefix:
            self.prefix = tempfile.mkdtemp(prefix="hiroba-nginx-")
        if not self.port:
            self.port = free_port()
        limit = f"limit_rate {self.rate_limit};" if self.rate_limit else ""
        if self.tls:
            limit += (f"\n        ssl_certificate {self.tls[0]};"
                      f"\n        ssl_certificate_key {self.tls[1]};")
        # As root, workers would drop to "nobody" and could not read a 0700 temp dir.
        user = ""
        if os.geteuid() == 0:
            user = (f"user {pwd.getpwuid(os.geteuid()).pw_name} "
                    f"{grp.getgrgid(os.getegid()).gr_name};\n")
        conf = os.path.join(self.prefix, "nginx.conf")
        with open(conf, "w") as f:
            f.write(CONF.format(user=user, prefix=self.prefix, port=self.port, root=self.root,
                                limit=limit, extra=self.extra_conf,
                                ssl=" ssl" if self.tls else ""))
        self.proc = subprocess.Popen([NGINX, "-p", self.prefix, "-c", conf, "-e", "stderr"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace")
                self.proc.stderr.close()
                self.proc = None
                raise RuntimeError(f"nginx exited at start-up: {err}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not start listening within 10 s")

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

    def access_log(self):
        path = os.path.join(self.prefix, "access.log")
        out = []
        if not os.path.exists(path):
            return out
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split(" ", 4)
                if len(parts) == 5:
                    out.append((parts[0], parts[1], int(parts[2]), int(parts[3]),
                                parts[4].strip('"')))
        return out
