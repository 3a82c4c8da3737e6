#!/usr/bin/env python3
"""The probes of issue 13, repeated against a running chat server: does it keep answering under abuse?

    python3 deploy/probe.py http://127.0.0.1:8080 [--only NAME ...] [--scale 1.0] [--memory-posts N]

Each probe plays one abusive client (the "attacker") while a watcher (127.0.0.1) asks GET /health every 200 ms
with a 1 s timeout, and a bystander (127.0.0.4, logged on once) calls /list every second. Attacker sockets bind
127.0.0.2 and up, because 127.0.0.1 is exempt from per-client bounds by default (Linux routes all of 127.0.0.0/8
to lo). Exit status 1 if a /health failed or took over 1 s, the bystander was not served, or a refusal came
without the envelope {"status":false,"data":...,"error":...} (a bare 400 past Undertow's 16 KiB head limit
excepted) or as a 500; 2 if the server did not serve at start or a probe itself crashed.

It only targets loopback: the URL must be in 127.0.0.0/8 and every socket binds a 127.x source address. Every
probe is bounded in count and time and closes all of its sockets before the next one starts. Standard library only.
The memory probe runs last when chosen: a full message memory would refuse the other probes' posts.
"""
import argparse, base64, collections, http.client, ipaddress, json, math, os, resource, selectors, socket
import statistics, struct, sys, threading, time, traceback, urllib.parse
from contextlib import suppress

HOST, PORT = "127.0.0.1", 8080  # set from the URL in main()
TAG = format(int(time.time()) % 10**8, "x")  # in the names of this run's users and channels
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)  # pick the source port at connect
EMOJI = "\U0001F600" * 4096

def attacker(i):
    """The i-th attacker address: 127.0.0.2, 127.0.0.3, ..."""
    return f"127.0.0.{2 + i}"

def open_socket(src, rcvbuf=None, timeout=5.0, blocking=True):
    """A TCP socket from src to the server (nonblocking: with its connect under way)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.bind((src, 0))
        s.settimeout(timeout if blocking else 0)
        (s.connect if blocking else s.connect_ex)((HOST, PORT))
    except BaseException:
        s.close()
        raise
    return s

def close_all(socks):
    for s in socks:
        with suppress(OSError):
            s.close()

def parse_json(raw):
    with suppress(ValueError, TypeError):
        return json.loads(raw)

def ok(obj):
    return isinstance(obj, dict) and obj.get("status") is True

def is_envelope(obj):
    return isinstance(obj, dict) and obj.get("status") is False and "data" in obj and isinstance(obj.get("error"), str)

def request(path, body=b"", head="", length=None):
    """A raw POST request's bytes."""
    return (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body) if length is None else length}\r\n{head}\r\n").encode() + body

def parse_response(buf, eof=False, body_max=1 << 20):
    """(status, body) once buf holds a whole answer (body None: over body_max, unread), else None. Skips 1xx."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
    words = lines[0].split()
    status = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    body = bytes(buf[end + 4:])
    if 100 <= status < 200:
        return parse_response(body, eof, body_max)
    if "content-length" not in headers:  # this server always sends it
        return (status, body) if eof else None
    length = int(headers["content-length"])
    if length > body_max:
        return status, None
    return (status, body[:length]) if len(body) >= length else None

class Responses:
    """Reads one HTTP answer from each of many sockets at once, without blocking; a body over body_max is left
    unread (head only). done: socket -> ((status, body) or None, how: answered / closed / reset, seconds)."""

    def __init__(self, socks, body_max=1 << 16, buf=b""):
        self.sel, self.bufs, self.done = selectors.DefaultSelector(), {}, {}
        self.t0, self.body_max = time.monotonic(), body_max
        for s in socks:
            s.setblocking(False)
            self.sel.register(s, selectors.EVENT_READ)
            self.bufs[s] = bytearray(buf)

    def poll(self, seconds, quiet=None):
        """Reads for up to seconds (or until nothing came for quiet seconds); returns how many reads there were."""
        end, events = time.monotonic() + seconds, 0
        while self.bufs and time.monotonic() < end:
            ready = self.sel.select(max(0.0, min(end - time.monotonic(), quiet or seconds)))
            if not ready and quiet:
                break
            for key, _ in ready:
                events += 1
                self._read(key.fileobj)
        return events

    def _read(self, s):
        buf, how = self.bufs[s], "closed"
        try:
            data = s.recv(1 << 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data, how = b"", "reset"
        buf += data
        r = parse_response(buf, not data, self.body_max)
        if r or not data:
            self.sel.unregister(s)
            del self.bufs[s]
            self.done[s] = (r, "answered" if r else how, time.monotonic() - self.t0)

    def report(self, res, where, bare_ok=False):
        for r, how, _ in self.done.values():
            if r:
                res.answer(r[0], parse_json(r[1]), where, bare_ok, head_only=r[1] is None)
            else:
                res.saw(f"{how} without an answer")
        res.saw("open, no answer", len(self.bufs))
        self.sel.close()

def one_response(s, seconds, buf=b""):
    """One answer from one socket: ((status, body) or None, how)."""
    rd = Responses([s], buf=buf)
    rd.poll(seconds)
    rd.sel.close()
    return rd.done[s][:2] if s in rd.done else (None, "timeout")

class Http:
    """One keep-alive HTTP connection from src, reopened after a failure."""

    def __init__(self, src, timeout=10.0):
        self.src, self.timeout, self.conn = src, timeout, None

    def call(self, name, body):
        """POST /name with a JSON body: (HTTP status, decoded answer or None)."""
        self.conn = self.conn or http.client.HTTPConnection(HOST, PORT, self.timeout, (self.src, 0))
        try:
            self.conn.request("POST", "/" + name, json.dumps(body, ensure_ascii=False).encode(),
                              {"Content-Type": "application/json"})
            r = self.conn.getresponse()
            raw = r.read()
            if (r.getheader("Connection") or "").lower() == "close":
                self.close()
        except BaseException:
            self.close()
            raise
        return r.status, parse_json(raw)

    def close(self):
        if self.conn:
            self.conn.close()
        self.conn = None

def logon(src, username, password):
    h = Http(src, timeout=60)
    try:
        status, obj = h.call("logon", {"username": username, "password": password})
    finally:
        h.close()
    if not ok(obj):
        raise RuntimeError(f"logon of {username} from {src} failed: HTTP {status} {obj}")
    return obj["data"]

# --- a minimal WebSocket client (RFC 6455: masked frames out, unmasked in) -------------------------------------

def take_frame(buf):
    """Removes one whole frame from buf: (fin, opcode, payload), or None while incomplete."""
    if len(buf) < 2:
        return None
    length, i = buf[1] & 0x7F, 2
    if length >= 126:
        i = 4 if length == 126 else 10
        if len(buf) < i:
            return None
        length = int.from_bytes(buf[2:i], "big")
    if len(buf) < i + length:
        return None
    frame = (buf[0] & 0x80, buf[0] & 0x0F, bytes(buf[i:i + length]))
    del buf[:i + length]
    return frame

def close_code(payload):
    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None

class WS:
    def __init__(self, sock, buf):
        self.sock, self.buf = sock, bytearray(buf)

    def send(self, payload, opcode=1):
        payload = payload.encode() if isinstance(payload, str) else payload
        size, mask = len(payload), os.urandom(4)
        head = bytes([0x80 | opcode]) + (bytes([0x80 | size]) if size < 126 else
                                         bytes([0xFE]) + struct.pack("!H", size) if size < 65536 else
                                         bytes([0xFF]) + struct.pack("!Q", size))
        m = int.from_bytes((mask * (size // 4 + 1))[:size], "little")
        self.sock.sendall(head + mask + (int.from_bytes(payload, "little") ^ m).to_bytes(size, "little"))

    def recv(self, seconds):
        """The next whole message: (opcode, payload); (None, 'closed' / 'reset' / 'timeout') without one."""
        deadline, parts, first = time.monotonic() + seconds, [], None
        while True:
            f = take_frame(self.buf)
            if f is None:
                self.sock.settimeout(max(0.001, deadline - time.monotonic()))
                try:
                    data = self.sock.recv(1 << 16)
                except socket.timeout:
                    return None, "timeout"
                except OSError:
                    return None, "reset"
                if not data:
                    return None, "closed"
                self.buf += data
            elif f[1] == 9:
                self.send(f[2], 10)
            elif f[1] == 8:
                return 8, f[2]
            elif f[1] != 10:
                first = f[1] or first
                parts.append(f[2])
                if f[0]:
                    return first, b"".join(parts)

    def close(self):
        with suppress(OSError):
            self.send(struct.pack("!H", 1000), 8)
        self.sock.close()

def ws_connect(src, key, rcvbuf=None, timeout=10.0):
    """(WS, 101, None) after the handshake (the key as query parameter sesskey), or (None, status, answer)."""
    s = open_socket(src, rcvbuf, timeout)
    try:
        k = base64.b64encode(os.urandom(16)).decode()
        s.sendall(f"GET /ws?sesskey={key} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {k}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        buf = bytearray()
        while b"\r\n\r\n" not in buf:
            data = s.recv(4096)
            if not data:
                raise ConnectionError("closed during the handshake")
            buf += data
        if buf.startswith(b"HTTP/1.1 101"):
            return WS(s, buf[buf.index(b"\r\n\r\n") + 4:]), 101, None
        r = one_response(s, timeout, buf)[0] or (int(buf.split()[1]), b"")
        s.close()
        return None, r[0], parse_json(r[1])
    except BaseException:
        s.close()
        raise

# --- results, the watcher and the bystander ----------------------------------------------------------------

class Result:
    """What one probe's attacker saw, the server problems found, and whether it went as expected."""

    def __init__(self, name):
        self.name, self.seen, self.problems, self.notes = name, collections.Counter(), [], []
        self.expected, self.lock = True, threading.Lock()

    def saw(self, label, count=1):
        if count:
            with self.lock:
                self.seen[label] += count

    def note(self, text, expected=True):
        self.notes.append(text + ("" if expected else "  [NOT AS EXPECTED]"))
        self.expected = self.expected and expected

    def problem(self, text):
        with self.lock:
            self.problems += [text][:20 - len(self.problems)]

    def answer(self, status, obj, where, bare_ok=False, head_only=False):
        """Counts one HTTP answer: a refusal must be the envelope, and nothing may be a 500."""
        if head_only:
            label = f"{status} (big body, head read)"
        elif status == 200 and ok(obj):
            label = "200 ok"
        elif obj is None:
            label = f"{status} bare"
            if not (bare_ok and status == 400):
                self.problem(f"{where}: HTTP {status} without the JSON envelope")
        else:
            label = f"{status} {obj.get('error') if isinstance(obj, dict) else '?'}"
            if not is_envelope(obj):
                self.problem(f"{where}: HTTP {status} refusal is not the envelope: {str(obj)[:200]}")
        if status == 500 or (isinstance(obj, dict) and obj.get("error") == "INTERNAL_ERROR"):
            self.problem(f"{where}: HTTP {status} {str(obj)[:200]}")
        self.saw(label)
        return label

    def ws_answer(self, obj, where):
        """Counts one answer over a WebSocket, checked likewise."""
        if not isinstance(obj, dict) or "status" not in obj:
            self.problem(f"{where}: a frame that is no answer: {str(obj)[:200]}")
            return self.saw("frame: not an answer")
        if obj["status"] is True:
            return self.saw("answer ok")
        if not (is_envelope(obj) and "id" in obj) or obj.get("error") == "INTERNAL_ERROR":
            self.problem(f"{where}: failure answer: {str(obj)[:200]}")
        self.saw(f"answer {obj.get('error')} (id {json.dumps(obj.get('id'))})")

class Monitor:
    """The watcher (GET /health from 127.0.0.1, a fresh connection every 200 ms, 1 s timeout) and the
    bystander (POST /list from 127.0.0.4, a fresh connection every second, 2 s timeout), each a thread."""

    def __init__(self, bystander_key):
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.begin()
        body = json.dumps({"sesskey": bystander_key}).encode()
        for args in (("health", "127.0.0.1", 1.0, "GET", "/health", None, 0.2),
                     ("bystander", "127.0.0.4", 2.0, "POST", "/list", body, 1.0)):
            threading.Thread(target=self._loop, args=args, daemon=True).start()

    def begin(self):
        with self.lock:
            self.stats = {who: dict(n=0, worst=0.0, fail=[]) for who in ("health", "bystander")}

    def snapshot(self):
        with self.lock:
            return {who: dict(s, fail=list(s["fail"])) for who, s in self.stats.items()}

    def _loop(self, who, src, timeout, method, path, body, every):
        while not self.stop.is_set():
            t0 = time.monotonic()
            c = http.client.HTTPConnection(HOST, PORT, timeout, (src, 0))
            try:
                c.request(method, path, body, {"Content-Type": "application/json"} if body else {})
                r = c.getresponse()
                raw = r.read()
                err = None if r.status == 200 and ok(parse_json(raw)) else f"HTTP {r.status} {raw[:120]!r}"
            except Exception as e:
                err = f"{type(e).__name__}: {e}"
            finally:
                c.close()
            dt = time.monotonic() - t0
            with self.lock:
                s = self.stats[who]
                s["n"], s["worst"] = s["n"] + 1, max(s["worst"], dt)
                if err or dt > timeout:
                    s["fail"].append(f"{time.strftime('%H:%M:%S')} {err or 'slow'} after {dt:.2f}s")
            self.stop.wait(max(0.0, every - (time.monotonic() - t0)))

# --- the probes --------------------------------------------------------------------------------------------

def post_many(res, ctx, channel, count, message, threads, stop_on_limit=False, seconds=60.0):
    """count posts over keep-alive connections from 127.0.0.2: (accepted, last refusal, slowest). channel may be
    a function of (thread, post number): then each thread creates the channels it names."""
    lock, state, stop = threading.Lock(), dict(left=count, accepted=0, refusal=None, slowest=0.0), threading.Event()
    deadline = time.monotonic() + seconds

    def worker(w):
        h, made = Http(attacker(0)), set()
        try:
            for i in range(count):
                with lock:
                    if stop.is_set() or time.monotonic() > deadline or state["left"] <= 0:
                        break
                    state["left"] -= 1
                ch = channel(w, i) if callable(channel) else channel
                if callable(channel) and ch not in made:
                    made.add(ch)
                    status, obj = h.call("create", {"sesskey": ctx.key, "channel": ch})
                    res.answer(status, obj, "create")
                    if not ok(obj):
                        state["refusal"] = obj
                        return stop.set()
                t0 = time.monotonic()
                status, obj = h.call("post", {"sesskey": ctx.key, "channel": ch, "message": message})
                res.answer(status, obj, "post")
                with lock:
                    state["slowest"] = max(state["slowest"], time.monotonic() - t0)
                    state["accepted"] += ok(obj)
                    if not ok(obj):
                        state["refusal"] = obj
                        if stop_on_limit and isinstance(obj, dict) and obj.get("error") == "LIMIT_REACHED":
                            stop.set()
        except OSError as e:
            res.saw(f"post connection {type(e).__name__}")
        finally:
            h.close()

    ts = [threading.Thread(target=worker, args=(w,)) for w in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return state["accepted"], state["refusal"], state["slowest"]

def emoji_channel(res, ctx):
    """A channel holding a full window of 100 messages of 4,096 emoji (a retrieve answer of about 1.64 MB);
    its setup traffic is kept apart from what the attacker saw, but its problems count."""
    if not ctx.emoji:
        ch, setup, h = f"emoji-{TAG}", Result("setup"), Http(attacker(0))
        setup.answer(*h.call("create", {"sesskey": ctx.key, "channel": ch}), "create")
        h.close()
        accepted, refusal, _ = post_many(setup, ctx, ch, 100, EMOJI, threads=2)
        res.problems += setup.problems
        if accepted < 100:
            raise RuntimeError(f"could fill the emoji channel with only {accepted} messages: {refusal}")
        ctx.emoji = ch
    return ctx.emoji

def probe_memory(res, ctx):
    t0 = time.monotonic()
    accepted, refusal, slowest = post_many(res, ctx, lambda w, i: f"mem-{TAG}-{w}-{i // 100}", ctx.memory_posts,
                                           "\u0001" * 4096, threads=4, stop_on_limit=True, seconds=ctx.memory_seconds)
    dt = time.monotonic() - t0
    res.note(f"{accepted} posts of 4,096 U+0001 (JSON escapes) in {dt:.1f}s ({accepted / dt:.0f}/s), "
             f"slowest {slowest:.2f}s")
    if refusal is None:
        return res.note(f"no refusal within the bound ({ctx.memory_posts} posts, {ctx.memory_seconds:.0f}s): the "
                        "memory budget was not reached; raise --memory-posts and --memory-seconds to reach it")
    memory = is_envelope(refusal) and refusal["error"] == "LIMIT_REACHED" and "memory" in str(refusal["data"])
    res.note(f"refused: {json.dumps(refusal)[:200]}", expected=memory)

def probe_slow_readers(res, ctx):
    ch = emoji_channel(res, ctx)
    req = request("/retrieve", json.dumps({"sesskey": ctx.key, "channel": ch, "first": 0, "last": 10**9}).encode())
    socks = []
    for i in range(ctx.n(400)):
        try:
            socks.append(open_socket(attacker(i % 4), rcvbuf=4096))
            socks[-1].sendall(req)
        except OSError as e:
            res.saw(f"connect/send {type(e).__name__}")
    res.note(f"{len(socks)} connections from 127.0.0.2-.5 sent a /retrieve of {ch} (1.64 MB) and do not read; "
             "held 10 s, then the first bytes of each answer read")
    time.sleep(10)
    rd = Responses(socks)
    rd.poll(5.0, quiet=1.0)
    rd.report(res, "slow reader")
    close_all(socks)

def probe_idle_connections(res, ctx):
    count = min(ctx.n(10050), resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 300)
    sel, pending, connected, t0 = selectors.DefaultSelector(), set(), [], time.monotonic()
    for _ in range(count):
        try:
            s = open_socket(attacker(0), blocking=False)
        except OSError as e:
            res.saw(f"socket {e.strerror}")
            continue
        sel.register(s, selectors.EVENT_WRITE)
        pending.add(s)
    while pending and time.monotonic() < t0 + 20:
        for key, _ in sel.select(0.5):
            s = key.fileobj
            sel.unregister(s)
            pending.discard(s)
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                res.saw(f"connect failed: {os.strerror(err)}")
                s.close()
            else:
                connected.append(s)
    res.note(f"{count} connects from 127.0.0.2 in a burst; {len(connected)} connected in {time.monotonic() - t0:.1f}s")
    res.saw("connect timed out", len(pending))
    sel.close()
    close_all(pending)
    rd = Responses(connected)
    rd.poll(15.0, quiet=2.0)
    held, t1, h = len(rd.bufs), time.monotonic(), Http(attacker(1))
    try:
        status, obj = h.call("list", {"sesskey": ctx.bkey})
        res.answer(status, obj, "fresh client from 127.0.0.3")
        res.note(f"fresh client from 127.0.0.3 while {held} are held: HTTP {status} in {time.monotonic() - t1:.2f}s",
                 expected=ok(obj))
    except OSError as e:
        res.note(f"fresh client from 127.0.0.3 failed: {e!r}", expected=False)
    finally:
        h.close()
    rd.report(res, "idle connection")
    res.note(f"{held} held open silently (the per-client bound is 128)", expected=held <= 128)
    close_all(connected)

def probe_slow_bodies(res, ctx):
    first = request("/post", b'{"sesskey": 1, "channel": "x", "message": "' + b"a" * 59957, length=65000)
    socks = []
    for i in range(ctx.n(200)):
        try:
            socks.append(open_socket(attacker(i % 2)))
            socks[-1].sendall(first)
        except OSError as e:
            res.saw(f"connect/send {type(e).__name__}")
    rd = Responses(socks)
    while rd.bufs and time.monotonic() < rd.t0 + 45:
        rd.poll(3.0)
        for s in list(rd.bufs):
            with suppress(OSError):  # full, or gone: the reader sees which
                s.send(b"a")
    times = sorted(t for _, _, t in rd.done.values())
    if times:
        res.note(f"{len(times)} of {len(socks)} ended {times[0]:.1f}s to {times[-1]:.1f}s after their first 60 KB "
                 "(then 1 byte every 3 s)")
    timeouts = sum(1 for r, _, _ in rd.done.values() if r and r[0] == 408)
    rd.report(res, "slow body")
    res.note(f"{timeouts} of {len(socks)} answered 408 BODY_TIMEOUT", expected=timeouts == len(socks))
    close_all(socks)

def probe_abandoned_logons(res, ctx):
    for i in range(ctx.n(300)):
        body = json.dumps({"username": f"ab-{TAG}-{i}", "password": "pw-abandoned"}).encode()
        try:
            s = open_socket(attacker(i % 2))
            with s:
                s.sendall(request("/logon", body))
            res.saw("logon sent, closed at once")
        except OSError as e:
            res.saw(f"connect/send {type(e).__name__}")
    t0, h = time.monotonic(), Http("127.0.0.4", timeout=60)
    try:
        status, obj = h.call("logon", {"username": f"real-{TAG}", "password": "pw-real-1"})
        dt = time.monotonic() - t0
        res.answer(status, obj, "real logon")
        res.note(f"real logon from 127.0.0.4 right after: HTTP {status} {'ok' if ok(obj) else obj} in {dt:.2f}s "
                 "(target under 3 s)", expected=ok(obj) and dt < 3)
    except OSError as e:
        res.note(f"real logon from 127.0.0.4 failed after {time.monotonic() - t0:.1f}s: {e!r}", expected=False)
    finally:
        h.close()

def ws_or_note(res, ctx):
    ws, status, obj = ws_connect(attacker(0), ctx.key)
    if ws is None:
        res.answer(status, obj, "handshake")
        res.note(f"handshake refused: HTTP {status}", expected=False)
    return ws

def probe_deep_ws_id(res, ctx):
    frame = '{"id":' + "[" * 30000 + "]" * 30000 + ',"call":"list","body":{}}'  # 60,031 bytes: under 64 KiB
    ws, count, answers, t0 = ws_or_note(res, ctx), ctx.n(500), 0, time.monotonic()
    if not ws:
        return
    try:
        for i in range(count):
            ws.send(frame)
            opcode, payload = ws.recv(10)
            if opcode is None or opcode == 8:
                res.saw(f"close {close_code(payload)}" if opcode == 8 else payload)
                break
            answers += 1
            res.ws_answer(parse_json(payload), f"frame {i}")
    except OSError as e:
        res.saw(f"socket {type(e).__name__}")
    finally:
        ws.close()
    res.note(f"{answers} answers to {count} frames of {len(frame)} bytes in {time.monotonic() - t0:.1f}s",
             expected=answers == count)

def probe_big_ws_answer(res, ctx):
    ch, ws = emoji_channel(res, ctx), ws_or_note(res, ctx)
    if not ws:
        return
    t0, obj = time.monotonic(), None
    try:
        ws.send(json.dumps({"id": 1, "call": "retrieve", "body": {"channel": ch, "first": 0, "last": 10**9}}))
        while not (isinstance(obj, dict) and obj.get("id") == 1):
            opcode, payload = ws.recv(30)
            if opcode is None or opcode == 8:
                res.saw(f"close {close_code(payload)} {payload[2:]!r}" if opcode == 8 else payload)
                return res.note("no answer to the retrieve", expected=False)
            obj = parse_json(payload)
        res.ws_answer(obj, "retrieve")
        got = len(obj["data"]) if ok(obj) else 0
        res.note(f"answer of {len(payload):,} bytes with {got} messages in {time.monotonic() - t0:.2f}s",
                 expected=got == 100)
    finally:
        ws.close()

def probe_ws_never_read(res, ctx):
    count = ctx.n(300)
    addresses = max(5, math.ceil(count / 60))  # under 64 sockets an address, 16 a session
    keys = [logon(attacker(0), f"wsr-{TAG}-{i}", "pw-wsr") for i in range(math.ceil(count / 15))]
    ch, h, socks, posts = f"wsr-{TAG}", Http(attacker(0)), [], Result("posts")
    res.answer(*h.call("create", {"sesskey": ctx.key, "channel": ch}), "create")
    h.close()
    for i in range(count):
        try:
            ws, status, obj = ws_connect(attacker(i % addresses), keys[i // 15], rcvbuf=4096)
        except OSError as e:
            res.saw(f"handshake {type(e).__name__}")
            continue
        if ws is None:
            res.answer(status, obj, "handshake")
            continue
        ws.send(json.dumps({"id": 1, "call": "subscribe", "body": {"channel": ch}}))
        socks.append(ws)
        res.saw("101, subscribed")
    t0 = time.monotonic()
    accepted, _, slowest = post_many(posts, ctx, ch, ctx.n(2000), "x" * 4096, threads=2)
    t1 = time.monotonic()
    res.problems += posts.problems  # the poster is no attacker: its counts stay apart, its problems count
    res.note(f"{len(socks)} sockets on {len(keys)} sessions from 127.0.0.2-.{1 + addresses} never read; "
             f"{accepted} posts of 4 KB in {t1 - t0:.1f}s (slowest {slowest:.2f}s)")
    sel, left, dropped, codes = selectors.DefaultSelector(), set(socks), {}, collections.Counter()
    for ws in socks:  # now drain each until the server's EOF or reset
        ws.sock.setblocking(False)
        sel.register(ws.sock, selectors.EVENT_READ, ws)
    while left and time.monotonic() < t1 + 15:
        for key, _ in sel.select(0.5):
            ws = key.data
            try:
                data = ws.sock.recv(1 << 16)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = None  # reset
            if data:
                ws.buf += data
                while (f := take_frame(ws.buf)) is not None:
                    if f[1] == 8:
                        codes[close_code(f[2])] += 1
                continue
            dropped[ws] = (time.monotonic() - t0, "EOF" if data == b"" else "reset")
            sel.unregister(ws.sock)
            left.discard(ws)
    sel.close()
    for how, k in collections.Counter(how for _, how in dropped.values()).items():
        res.saw(f"dropped by the server ({how})", k)
    res.saw("still open 15 s after the posts", len(left))
    res.note(f"close frames found while draining: {dict(codes) or 'none'}")
    if dropped:
        t = sorted(s for s, _ in dropped.values())
        res.note(f"dropped {len(dropped)}/{len(socks)}: first {t[0]:.1f}s, median {statistics.median(t):.1f}s, "
                 f"last {t[-1]:.1f}s after the posts began ({t[-1] - (t1 - t0):+.1f}s after they ended)")
    if accepted * 4200 > 1 << 20:  # more than one socket's queue (1 MiB) of pushes
        res.note("every never-reading socket dropped within 15 s of the posts ending", expected=not left)
    else:
        res.note("the posts fit in a socket's 1 MiB queue (small --scale): no drop was due")
    close_all(ws.sock for ws in socks)

def probe_head_limits(res, ctx):
    body = json.dumps({"sesskey": ctx.key}).encode()
    cases = [("1 MB header", request("/list", body, f"X-Big: {'a' * (1 << 20)}\r\n"), None),
             ("10,000 headers", request("/list", body, "".join(f"X-H{i}: v\r\n" for i in range(10000))), None),
             ("1 MB URL", request("/list?q=" + "a" * (1 << 20), body), None),
             ("12 KiB URL", request("/list?q=" + "a" * 12288, body), 414),
             ("13 KiB header", request("/list", body, f"X-Big: {'a' * 13312}\r\n"), 431)]
    for label, req, want in cases:  # want None: past the 16 KiB head, a bare 400 (or a close) is allowed
        s = open_socket(attacker(0))
        rd, unsent, deadline = Responses([s]), memoryview(req), time.monotonic() + 10
        while s in rd.bufs and time.monotonic() < deadline:  # send while reading: the server may answer early
            try:
                unsent = unsent[s.send(unsent):] if unsent else unsent
            except BlockingIOError:
                pass
            except OSError:
                unsent = b""  # the server closed before reading it all
            rd.poll(0.02)
        r, how = rd.done[s][:2] if s in rd.done else (None, "timeout")
        rd.report(res, label, bare_ok=not want)  # counts the answer, or how it ended without one
        s.close()
        if r is None:
            if want:
                res.problem(f"{label}: {how} without an answer (the envelope was due)")
            res.note(f"{label}: {how} without an answer", expected=not want)
        else:
            obj = parse_json(r[1])
            res.note(f"{label}: HTTP {r[0]} {obj.get('error') if is_envelope(obj) else 'bare'}"
                     f"{', envelope' if is_envelope(obj) else ', no envelope'}", expected=r[0] == (want or 400))

def probe_expect_continue(res, ctx):
    body = json.dumps({"sesskey": ctx.key}).encode()
    s = open_socket(attacker(0), timeout=1.0)
    with s:
        s.sendall(request("/list", body, "Expect: 100-continue\r\n")[:-len(body)])  # the head alone
        buf, deadline = bytearray(), time.monotonic() + 3
        while b"\r\n\r\n" not in buf and time.monotonic() < deadline:
            with suppress(socket.timeout):
                data = s.recv(4096)
                buf += data
                if not data:
                    break
        interim = buf.startswith(b"HTTP/1.1 100")
        first_line = bytes(buf.split(b"\r\n")[0]).decode("latin-1") if buf else "nothing in 3 s"
        res.saw("HTTP/1.1 100 before the body" if interim else f"before the body: {first_line[:40]}")
        res.note(f"before the body: {first_line}", expected=interim)
        if interim:
            buf = buf[buf.index(b"\r\n\r\n") + 4:]
            s.sendall(body)
        r, how = one_response(s, 5.0, buf)
        if r is None:
            res.saw(f"{how} without a final answer")
            return res.note(f"no final answer: {how}", expected=False)
        res.note(f"final answer: {res.answer(r[0], parse_json(r[1]), 'expect-continue')}", expected=r[0] == 200)

PROBES = [("memory", probe_memory), ("slow-readers", probe_slow_readers),
          ("idle-connections", probe_idle_connections), ("slow-bodies", probe_slow_bodies),
          ("abandoned-logons", probe_abandoned_logons), ("deep-ws-id", probe_deep_ws_id),
          ("big-ws-answer", probe_big_ws_answer), ("ws-never-read", probe_ws_never_read),
          ("head-limits", probe_head_limits), ("expect-continue", probe_expect_continue)]

def summarize(counter, width=10**6):
    text = ", ".join(f"{k} x{v}" for k, v in counter.most_common())
    return text if len(text) <= width else text[:width - 3] + "..."

def run(name, probe, ctx, monitor):
    """Runs one probe under the monitor, prints what it found; returns its row of the summary table."""
    print(f"\n== {name}", flush=True)
    res, t0 = Result(name), time.monotonic()
    monitor.begin()
    try:
        probe(res, ctx)
    except Exception as e:
        ctx.crashed = True
        traceback.print_exc()
        res.note(f"the probe itself failed: {e!r}", expected=False)
    time.sleep(2)  # after-effects count too
    h, b = monitor.snapshot().values()
    health_ok, by_ok = not h["fail"] and h["n"] > 0, not b["fail"] and b["n"] > 0
    print(f"  took {time.monotonic() - t0:.1f}s; attacker saw: {summarize(res.seen) or 'nothing'}")
    for line in res.notes:
        print(f"  - {line}")
    print(f"  /health: {h['n']} checks, worst {h['worst']:.3f}s, "
          f"{'all within 1 s' if health_ok else 'FAILED: ' + '; '.join(h['fail'][:5])}")
    print(f"  bystander: {b['n']} /list, worst {b['worst']:.3f}s, "
          f"{'served' if by_ok else 'NOT SERVED: ' + '; '.join(b['fail'][:5])}")
    for problem in res.problems:
        print(f"  SERVER PROBLEM: {problem}")
    sys.stdout.flush()
    yes = lambda flag: "yes" if flag else "NO"
    return (name, summarize(res.seen, 72), f"{h['worst']:.3f}s", yes(health_ok), yes(by_ok), yes(not res.problems),
            yes(res.expected).lower(), "PASS" if health_ok and by_ok and not res.problems else "FAIL")

def main():
    global HOST, PORT
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("url")
    p.add_argument("--only", nargs="+", choices=[name for name, _ in PROBES], metavar="NAME")
    p.add_argument("--scale", type=float, default=1.0, help="multiplies every probe's counts")
    p.add_argument("--memory-posts", type=int, default=20000)
    p.add_argument("--memory-seconds", type=float, default=30.0)
    ctx = p.parse_args()
    ctx.n, ctx.emoji, ctx.crashed = (lambda count: max(1, round(count * ctx.scale))), None, False
    u = urllib.parse.urlsplit(ctx.url)
    HOST, PORT = socket.gethostbyname(u.hostname or ""), u.port or 80
    if ipaddress.ip_address(HOST) not in ipaddress.ip_network("127.0.0.0/8"):
        sys.exit(f"probe.py: only loopback is probed, and {u.hostname} is not in 127.0.0.0/8")
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 1 << 20, hard))
    try:
        ctx.bkey = logon("127.0.0.4", "bystander", "pw-bystander-1")
        ctx.key = logon(attacker(0), f"prober-{TAG}", "pw-prober-1")
    except (OSError, RuntimeError) as e:
        print(f"probe.py: the server at {ctx.url} does not serve logons: {e}", file=sys.stderr)
        sys.exit(2)
    chosen = [(name, f) for name, f in PROBES if not ctx.only or name in ctx.only]
    chosen.sort(key=lambda pair: pair[0] == "memory")
    monitor = Monitor(ctx.bkey)
    print(f"probing {HOST}:{PORT} (run tag {TAG}, scale {ctx.scale}, "
          f"file limit {resource.getrlimit(resource.RLIMIT_NOFILE)[0]})", flush=True)
    rows = [run(name, probe, ctx, monitor) for name, probe in chosen]
    monitor.stop.set()
    head = ("probe", "attacker saw", "worst /health", "health<=1s", "bystander", "envelopes", "expected", "verdict")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    print()
    for r in [head, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    failed = [r[0] for r in rows if r[-1] == "FAIL"]
    print(f"\n{'FAILED: ' + ', '.join(failed) if failed else 'all probes: health held, bystander served'}"
          f"{'; a probe itself crashed (see above)' if ctx.crashed else ''}")
    sys.exit(1 if failed else 2 if ctx.crashed else 0)

if __name__ == "__main__":
    main()
