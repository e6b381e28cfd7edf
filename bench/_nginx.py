"""nginx serving a pre-rendered demo board for ``bench/throughput.py``: its own config, pid,
log and temp files in the benchmark's temp dir (``daemon off``, in its own session)."""

from __future__ import annotations

import grp
import os
import pwd
import signal
import socket
import subprocess
import time
from pathlib import Path

from bench._harness import BenchError
from board_archive.demoboard.handler import LOGO_PATH


def nginx_conf(tmp: Path, site: Path, port: int) -> str:
    user = ""
    if os.geteuid() == 0:  # workers drop to nobody; they only need to read the site
        nobody = pwd.getpwnam("nobody")
        user = f"user nobody {grp.getgrgid(nobody.pw_gid).gr_name};"
    temps = "\n".join(
        f"    {k}_temp_path {tmp / ('nginx_' + k)};"
        for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""daemon off;
master_process on;
worker_processes 1;
{user}
pid {tmp / "nginx.pid"};
error_log {tmp / "nginx_error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temps}
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        location = {LOGO_PATH} {{ default_type image/png; }}
        include {site / "nginx.conf"};
    }}
}}
"""


def start_nginx(binary: str, tmp: Path, site: Path, port: int) -> subprocess.Popen[bytes]:
    conf = tmp / "nginx_bench.conf"
    conf.write_text(nginx_conf(tmp, site, port), encoding="utf-8")
    args = [binary, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx_error.log")]
    proc = subprocess.Popen(args, start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = (tmp / "nginx_error.log").read_text("utf-8", "replace")[-2000:]
            raise BenchError(f"nginx exited with {proc.returncode}:\n{log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    stop(proc)
    raise BenchError(f"nginx did not listen on 127.0.0.1:{port} within 10 s")


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
