"""Real workloads of Debian programs, run natively (the soundness test runs
them under strace -f; the compatibility report runs them natively and under
sole). Each workload starts the program, drives it like a user would, and
stops it. Shared by soundness.py and ../gen_compatibility.py."""
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

# dash alone (builtins, subshells and pipelines of them), so that a run
# needs no other program: processes through fork, pipes and wait.
SHELL_SCRIPT = r"""
f() { echo "f $1"; }
for i in 1 2 3; do f $i; done | while read a b; do echo "$b-$a"; done
x=$( (echo sub; exit 3) ); echo "x=$x"
( exit 4 ); echo "subshell status $?"
echo piped | { read v; echo "got $v"; }
trap 'echo bye' EXIT
"""

PYTHON_SCRIPT = r"""
import hashlib, json, os, re, tempfile, threading
data = {"numbers": list(range(20)), "text": "sole"}
text = json.dumps(data, sort_keys=True)
assert json.loads(text) == data
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "f.txt")
    with open(path, "w") as f:
        f.write(text * 10)
    with open(path) as f:
        body = f.read()
    os.listdir(folder)
    os.stat(path)
worker = threading.Thread(target=lambda: hashlib.sha256(body.encode()).hexdigest())
worker.start(); worker.join()
print(re.sub(r"[0-9]+", "#", text)[:40], hashlib.md5(body.encode()).hexdigest())
"""

LUA_SCRIPT = r"""
local t = {}
for i = 1, 100 do t[#t + 1] = string.format("%d:%s", i, string.rep("x", i % 7)) end
local name = os.tmpname()
local f = assert(io.open(name, "w")); f:write(table.concat(t, "\n")); f:close()
local n = 0
for line in io.lines(name) do n = n + #line end
os.remove(name)
print(n, os.time() > 0, string.upper("sole"), math.floor(math.pi * 1000))
"""

SQL_SCRIPT = """
create table t(id integer primary key, name text, score real);
insert into t(name, score) values ('a', 1.5), ('b', 2.5), ('c', 3.5);
create index t_score on t(score);
select count(*), sum(score) from t;
select name from t where score > 2 order by name;
update t set score = score * 2 where name = 'a';
delete from t where name = 'b';
select group_concat(name || '=' || score, ',') from t;
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {seconds} s")


def run_simple(prefix, argv, stdin_text=None):
    """Runs argv (after prefix, e.g. strace) to the end; returns its stdout."""
    done = subprocess.run(prefix + argv, input=stdin_text, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({done.returncode}): {done.stderr.strip()[:300]}")
    return done.stdout


def stop_nginx(folder, server):
    """SIGQUIT (a graceful stop) to nginx itself, not to a tracer around it."""
    try:
        with open(os.path.join(folder, "nginx.pid")) as f:
            os.kill(int(f.read()), 3)
    except (OSError, ValueError):
        server.send_signal(3)
    server.wait(timeout=30)


def nginx(prefix, folder):
    port = free_port()
    root = os.path.join(folder, "www")
    os.makedirs(root, exist_ok=True)
    os.makedirs(os.path.join(folder, "logs"), exist_ok=True)
    with open(os.path.join(root, "index.html"), "w") as f:
        f.write("hello from nginx\n")
    conf = os.path.join(folder, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off; master_process off; worker_processes 1;
error_log {folder}/logs/error.log; pid {folder}/nginx.pid;
events {{ worker_connections 64; }}
http {{ access_log {folder}/logs/access.log;
  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; location / {{ }} }} }}
""")
    server = subprocess.Popen(prefix + ["/usr/sbin/nginx", "-p", folder, "-c", conf],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, server)
        for _ in range(3):
            body = urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10).read()
        urllib.request.urlopen(f"http://127.0.0.1:{port}/missing", timeout=10).read()
    except urllib.error.HTTPError:
        pass
    finally:
        stop_nginx(folder, server)
    return body.decode()


def redis_command(conn, *words):
    conn.sendall(("*%d\r\n" % len(words) + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)).encode())
    return conn.recv(4096).decode()


def redis(prefix, folder):
    port = free_port()
    server = subprocess.Popen(prefix + ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                        "--save", "", "--appendonly", "no", "--dir", folder],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    replies = []
    try:
        wait_for_port(port, server)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            replies.append(redis_command(conn, "PING"))
            replies.append(redis_command(conn, "SET", "key", "value"))
            replies.append(redis_command(conn, "GET", "key"))
            replies.append(redis_command(conn, "INCR", "n"))
            conn.sendall(b"*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n")
            conn.recv(100)
    finally:
        server.wait(timeout=30)
    return "".join(replies)


WORKLOADS = {
    "nginx": ("/usr/sbin/nginx", nginx),
    "redis-server": ("/usr/bin/redis-server", redis),
    "sqlite3": ("/usr/bin/sqlite3",
                lambda prefix, folder: run_simple(prefix, ["/usr/bin/sqlite3", os.path.join(folder, "t.db")],
                                                  SQL_SCRIPT)),
    "python3": ("/usr/bin/python3.11",
                lambda prefix, folder: run_simple(prefix, ["/usr/bin/python3.11", "-c", PYTHON_SCRIPT])),
    "lua5.4": ("/usr/bin/lua5.4",
               lambda prefix, folder: run_simple(prefix, ["/usr/bin/lua5.4", "-e", LUA_SCRIPT])),
}


def run(name, prefix=()):
    """Runs workload name with prefix before its argv; returns its output."""
    binary, workload = WORKLOADS[name]
    with tempfile.TemporaryDirectory() as folder:
        return workload(list(prefix), folder)
