#!/usr/bin/env python3
r"""Boot an Argil scenario in QEMU and check its serial output.

    tools/run.py [options] run/<name>...      (a bare <name> means run/<name>)
      --interactive   serial console on this terminal, no checks, runs until
                      QEMU exits (Ctrl-A X quits, Ctrl-A C is the QEMU monitor)
      --bench         also collect the {"bench": ...} JSON lines: print them on
                      stdout, write them to bench/results/<name>.jsonl
      --verbose, -v   print the serial output live
      --variant NAME  run only this variant (repeatable)
      --no-build      do not call `make -s` for the kernel and modules
      --set KEY=VALUE override machine, firmware, cpus, memory, cpu or timeout
                      in every variant (repeatable), e.g. --set memory=4G
    From make: `make run/<name> VARIANT=<v>[,<v>...] V=1` (= --variant, -v).

Scenario files (run/<name>) have one `key: value` per line; blank lines and
lines starting with `#` are ignored; values are trimmed (write \s or \x20 for
a space that matters at either end). Paths are relative to the repository root.

    kernel: build/kernel.elf [args]  the multiboot2 kernel; args = its command line
    module: build/x.elf [args]       a boot module (repeatable, kept in order);
                                     args = the module's command line (words
                                     joined by single spaces; empty if none)
    machine: pc | q35                QEMU machine              (default pc)
    firmware: bios | uefi            SeaBIOS or OVMF           (default bios)
    cpus: N                          -smp N                    (default 1)
    memory: 512M                     -m                        (default 512M)
    cpu: max                         -cpu model                (default QEMU's)
    qemu: -device ...                extra QEMU options, shell-quoted (repeatable)
    timeout: 300                     seconds for one whole run (default 300)
    expect: REGEX                    serial lines that must appear, in this order
    fail: REGEX                      any matching line fails the run at once
    result: REGEX                    the line with the counts, using groups
                                     (?P<passed>..) and (?P<failed>..) or groups
                                     1 and 2; it must appear, and failed must be 0
    test: yes | no                   whether `make test` runs it (default no)
    variant: NAME key=value ...      run the scenario once per variant line, with
                                     machine/firmware/cpus/memory/cpu/timeout
                                     overridden; without variant lines it runs
                                     once
    qmp: REGEX => JSON               when a serial line first matches REGEX, send
                                     the QMP command JSON (repeatable); replies and
                                     QMP events go to build/log/<log name>.qmp.jsonl
                                     and into the serial log as `# qmp ...` lines
    setup: COMMAND                   shell command run before QEMU starts (repeatable)
    host: REGEX => COMMAND           shell command started in the background when
                                     a serial line first matches REGEX (repeatable);
                                     it has its own QMP socket in $ARGIL_QMP; a
                                     non-zero exit fails the run; still running when
                                     the run ends, it is stopped
    check: COMMAND                   shell command run after the boot passed and
                                     QEMU stopped (repeatable); non-zero fails
    end: shutdown | reset            the run passes only if, besides expect and
                                     result, QEMU then exits by itself after a QMP
                                     SHUTDOWN event of reason guest-shutdown (ACPI
                                     S5) or guest-reset (a reset: -no-reboot)

The commands run with `sh -c` in the repository root; their output goes into
the serial log as `# setup: `, `# host: `, `# check: ` lines, and they get the
environment ARGIL_WORK (a folder for this run, removed afterwards; `{work}`
in qemu lines is replaced by it), ARGIL_LOG (the serial log so far),
ARGIL_QMP_LOG, ARGIL_QMP (host only), ARGIL_MACHINE, ARGIL_FIRMWARE,
ARGIL_VARIANT and ARGIL_ROOT. tools/qmp.py is a QMP client for them.

Regexes are Python `re` patterns searched in each serial line after carriage
returns and terminal escape sequences are removed. A run passes when every
`expect` line and the `result` line (if any) were seen; QEMU is then stopped.
It fails on a `fail` line (after a 3 s grace period that still collects
output, e.g. a panic's register dump), on the timeout, or when QEMU exits
first. The full serial log is kept in build/log/<name>[-<variant>].log.

The machine always has COM1 on the serial console, no default devices
(-nodefaults), TCG only (no KVM), -no-reboot, and an isa-debug-exit device at
port 0xf4: a write of v there ends QEMU with exit status (v << 1) | 1.
"""
import argparse
import codecs
import collections
import json
import os
import re
import select
import shlex
import shutil
import socket
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no tools/__pycache__ in the tree
import mkimage
import qmp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = "build"
GRACE = 3.0       # seconds of output still collected after a fail line
TAIL = 60         # serial lines shown when a run fails
# Lines that fail every scenario: a kernel panic, a panic of core, an
# exception in the UEFI firmware (OVMF, e.g. with too little RAM).
BUILTIN_FAIL = [r"KERNEL PANIC", r"^\[core\] PANIC\b", r"^!!!! X64 Exception Type"]
# The kernel's line when the root task stops the machine with exit code 0.
HALT_OK = re.compile(r"^argil: stopped by the root task, exit code 0$")
KERNEL_BANNER = re.compile(r"^Argil kernel\b")   # the kernel's first line

OVMF = [  # (code, vars) pairs, first found wins
    ("/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd"),
    ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"),
    ("/usr/share/edk2/ovmf/OVMF_CODE.fd", "/usr/share/edk2/ovmf/OVMF_VARS.fd"),
]

SETTINGS = {  # key: (default, check)
    "machine": ("pc", lambda v: v in ("pc", "q35")),
    "firmware": ("bios", lambda v: v in ("bios", "uefi")),
    "cpus": ("1", lambda v: v.isdigit() and 1 <= int(v) <= 255),
    "memory": ("512M", lambda v: re.match(r"^\d+[MG]?$", v) is not None),
    "cpu": ("", lambda v: re.match(r"^[\w.,+=-]*$", v) is not None),
    "timeout": ("300", lambda v: re.match(r"^\d+(\.\d+)?$", v) is not None and float(v) > 0),
}
MULTI = ("module", "qemu", "expect", "fail", "variant", "qmp", "setup", "host", "check")
SINGLE = ("kernel", "result", "test", "end") + tuple(SETTINGS)
END_REASONS = {"shutdown": "guest-shutdown", "reset": "guest-reset"}

_print_lock = threading.Lock()
_bench_mode = False  # --bench: summaries go to stderr, stdout carries only JSON


def say(*args, file=None):
    with _print_lock:
        print(*args, file=file or sys.stdout, flush=True)


class ScenarioError(Exception):
    pass


class Scenario:
    """A parsed run/<name> file. variants: [(variant name or None, settings)]."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.kernel = None          # (path, [args])
        self.modules = []           # [(path, [args])]
        self.qemu = []              # extra QEMU argv
        self.expect = []            # compiled regexes, in order
        self.fail = [re.compile("^" + re.escape(mkimage.BOOT_FAILED))] + \
            [re.compile(p) for p in BUILTIN_FAIL]
        self.result = None
        self.test = False
        self.qmp = []               # [(regex, command dict)]
        self.setup = []             # [shell command]
        self.host = []              # [(regex, shell command)]
        self.check = []             # [shell command]
        self.end = None             # QMP SHUTDOWN reason the run must end with
        self.variants = []
        self.image = os.path.join(ROOT, BUILD, "image", self.name + ".iso")

    def files(self):
        return [self.kernel[0]] + [m[0] for m in self.modules]


def _abspath(p):
    return p if os.path.isabs(p) else os.path.join(ROOT, p)


def scenario_path(arg):
    if os.path.exists(arg) or os.sep in arg:
        return arg
    return os.path.join(ROOT, "run", arg)


def load_scenario(path):
    path = scenario_path(path)
    s = Scenario(path)
    base = {}
    variant_lines = []
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise ScenarioError("%s: %s" % (path, e.strerror))
    for no, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = "%s:%d" % (path, no)
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in MULTI + SINGLE:
            raise ScenarioError("%s: expected `key: value` with a known key, got %r" % (where, raw))
        if key in SINGLE and key in base:
            raise ScenarioError("%s: %s given twice" % (where, key))
        if key in SINGLE:
            base[key] = value
        try:
            if key in ("kernel", "module"):
                words = value.split()
                if not words:
                    raise ScenarioError("%s: %s needs a path" % (where, key))
                entry = (_abspath(words[0]), words[1:])
                if key == "kernel":
                    s.kernel = entry
                else:
                    s.modules.append(entry)
            elif key == "qemu":
                s.qemu += shlex.split(value)
            elif key in ("expect", "fail"):
                getattr(s, key).append(re.compile(value))
            elif key == "result":
                s.result = re.compile(value)
                if not ({"passed", "failed"} <= set(s.result.groupindex) or s.result.groups >= 2):
                    raise ScenarioError("%s: result needs groups passed and failed" % where)
            elif key == "test":
                if value not in ("yes", "no"):
                    raise ScenarioError("%s: test must be yes or no" % where)
                s.test = value == "yes"
            elif key == "variant":
                variant_lines.append((where, value))
            elif key in ("qmp", "host"):
                rx, arrow, what = value.partition(" => ")
                if not arrow or not rx.strip() or not what.strip():
                    raise ScenarioError("%s: %s needs `REGEX => %s`" % (where, key, "JSON" if key == "qmp" else "COMMAND"))
                if key == "qmp":
                    try:
                        what = json.loads(what)
                    except ValueError as e:
                        raise ScenarioError("%s: bad QMP JSON: %s" % (where, e))
                    if not isinstance(what, dict) or "execute" not in what:
                        raise ScenarioError("%s: a QMP command is an object with \"execute\"" % where)
                getattr(s, key).append((re.compile(rx.strip()), what))
            elif key in ("setup", "check"):
                getattr(s, key).append(value)
            elif key == "end":
                if value not in END_REASONS:
                    raise ScenarioError("%s: end must be shutdown or reset" % where)
                s.end = END_REASONS[value]
            elif not SETTINGS[key][1](value):
                raise ScenarioError("%s: bad %s %r" % (where, key, value))
        except re.error as e:
            raise ScenarioError("%s: bad regex: %s" % (where, e))
        except ValueError as e:
            raise ScenarioError("%s: %s" % (where, e))
    if s.kernel is None:
        raise ScenarioError("%s: no kernel line" % path)
    settings = {k: base.get(k, d) for k, (d, _) in SETTINGS.items()}
    s.memory = settings["memory"]
    for where, value in variant_lines:
        words = value.split()
        if not words or "=" in words[0]:
            raise ScenarioError("%s: variant needs a name first" % where)
        if not re.match(r"^[\w.-]+$", words[0]) or words[0] in [v[0] for v in s.variants]:
            raise ScenarioError("%s: bad or repeated variant name %r" % (where, words[0]))
        v = dict(settings)
        for w in words[1:]:
            k, eq, val = w.partition("=")
            if not eq or k not in SETTINGS or not SETTINGS[k][1](val):
                raise ScenarioError("%s: bad variant setting %r" % (where, w))
            v[k] = val
        s.variants.append((words[0], v))
    if not s.variants:
        s.variants = [(None, settings)]
    return s


def memory_bytes(v):
    """A memory setting (512M, 4G, or MiB without a suffix) in bytes."""
    n = int(v.rstrip("MG"))
    return n << (30 if v.endswith("G") else 20)


def override(s, settings):
    """Apply KEY=VALUE machine settings (--set) to every variant of s; the
    variant names (and log files) get the values appended."""
    vals = []
    for w in settings:
        k, eq, val = w.partition("=")
        if not eq or k not in SETTINGS or not SETTINGS[k][1](val):
            raise ScenarioError("bad setting %r (KEY=VALUE, KEY one of %s)" % (w, ", ".join(SETTINGS)))
        for _, cfg in s.variants:
            cfg[k] = val
        vals.append(val)
    if vals:
        s.variants = [("-".join([v] + vals) if v else "-".join(vals), cfg) for v, cfg in s.variants]


def build_files(scenarios):
    """`make -s` the kernel and module files that live under build/."""
    targets = []
    for s in scenarios:
        for f in s.files():
            rel = os.path.relpath(f, ROOT)
            if rel.startswith(BUILD + os.sep) and rel not in targets:
                targets.append(rel)
    if not targets:
        return
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    r = subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT] + targets, env=env)
    if r.returncode != 0:
        raise RuntimeError("make -s %s failed" % " ".join(targets))


def find_ovmf():
    for code, vars_ in OVMF:
        if os.path.isfile(code) and os.path.isfile(vars_):
            return code, vars_
    raise RuntimeError("OVMF firmware not found (run tools/deps)")


QEMU_UI = "/usr/lib/x86_64-linux-gnu/qemu/ui-%s.so"
VNC_FIRST = 5900


def free_vnc_display():
    """The first VNC display number N whose port 5900+N on 127.0.0.1 is free."""
    for n in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sk:
            try:
                sk.bind(("127.0.0.1", VNC_FIRST + n))
            except OSError:
                continue
            return n
    raise RuntimeError("no free VNC port on 127.0.0.1 (5900..5999)")


def interactive_display():
    """The -display arguments of `make run`: a QEMU window (GTK, else SDL)
    when $DISPLAY or $WAYLAND_DISPLAY is set and QEMU has that UI (Debian's
    qemu-system-gui), else headless with a VNC server on 127.0.0.1. Returns
    (arguments, what to tell the user)."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        for ui in ("gtk", "sdl"):
            if os.path.exists(QEMU_UI % ui):
                return ["-display", ui], "a QEMU window (%s)" % ui
    n = free_vnc_display()
    return (["-display", "none", "-vnc", "127.0.0.1:%d" % n],
            "no window: the screen is on the VNC server 127.0.0.1:%d (port %d), e.g. "
            "`vncviewer 127.0.0.1:%d`" % (n, VNC_FIRST + n, n))


def qemu_command(cfg, iso, tmp, interactive, display=None):
    cmd = ["qemu-system-x86_64", "-nodefaults", "-machine", cfg["machine"],
           "-accel", "tcg", "-smp", cfg["cpus"], "-m", cfg["memory"],
           *(display or ["-display", "none"]), "-no-reboot",
           "-serial", "mon:stdio" if interactive else "stdio",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-cdrom", iso, "-boot", "d"]
    if not interactive:
        cmd += ["-monitor", "none"]
    if cfg["cpu"]:
        cmd += ["-cpu", cfg["cpu"]]
    if cfg["firmware"] == "uefi":
        code, vars_ = find_ovmf()
        myvars = os.path.join(tmp, "OVMF_VARS.fd")
        shutil.copyfile(vars_, myvars)
        cmd += ["-drive", "if=pflash,format=raw,readonly=on,file=" + code,
                "-drive", "if=pflash,format=raw,file=" + myvars]
    return cmd


_EOL = re.compile(r"\r\n|\n|\r")
_ESC = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])|[\x00-\x08\x0b-\x1f\x7f]")


class Lines:
    """Turns serial bytes into clean text lines (\\r\\n, \\n or \\r end a line)."""

    def __init__(self):
        self.dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.buf = ""

    def feed(self, data, eof=False):
        buf = self.buf + self.dec.decode(data, final=eof)
        out, pos = [], 0
        for m in _EOL.finditer(buf):
            if m.group() == "\r" and m.end() == len(buf) and not eof:
                break  # a \n may follow in the next chunk
            out.append(_ESC.sub("", buf[pos:m.start()]))
            pos = m.end()
        self.buf = buf[pos:]
        if eof and self.buf:
            out.append(_ESC.sub("", self.buf))
            self.buf = ""
        return out


class Outcome:
    def __init__(self, label, log):
        self.label, self.log = label, log
        self.ok, self.reason = False, ""
        self.passed = self.failed = None
        self.seconds = 0.0
        self.bench = []
        self.tail = collections.deque(maxlen=TAIL)


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def exit_text(status):
    if status < 0:
        return "QEMU killed by signal %d" % -status
    if status & 1 and status > 1:
        return "QEMU exited with status %d (debug-exit value %d)" % (status, status >> 1)
    if status == 0:
        return "QEMU exited with status 0 (guest reset with -no-reboot, e.g. a triple fault, or power-off)"
    if status == 1:
        return "QEMU exited with status 1 (debug-exit value 0, or a QEMU error)"
    return "QEMU exited with status %d" % status


class QmpPump(threading.Thread):
    """run.py's QMP connection: sends the scenario's commands, reads replies
    and events into the QMP log and a queue the serial loop drains into the
    serial log, and remembers the SHUTDOWN reasons."""

    def __init__(self, path, logpath):
        super().__init__(daemon=True)
        self.path, self.logpath = path, logpath
        self.lines = collections.deque()
        self.shutdowns = []
        self.conn = None
        self.ready = threading.Event()
        self.error = None
        self.pending = 0            # commands sent and not yet answered
        self.answered = threading.Condition()

    def run(self):
        with open(self.logpath, "w") as log:
            def note(direction, obj):
                text = json.dumps(obj)
                log.write(text + "\n")
                log.flush()
                self.lines.append("# qmp %s %s" % (direction, text))
                if direction == "<" and ("return" in obj or "error" in obj):
                    with self.answered:
                        self.pending -= 1
                        self.answered.notify_all()
                if obj.get("event") == "SHUTDOWN":
                    self.shutdowns.append(obj.get("data", {}).get("reason"))
            try:
                self.conn = qmp.QMP(self.path, timeout=30.0)
            except (qmp.QMPError, OSError) as e:
                self.error = str(e)
                self.ready.set()
                return
            self.conn.sock.settimeout(None)
            self.note = note
            self.ready.set()
            try:
                while True:
                    obj = self.conn.read()
                    note("<", obj)
            except (qmp.QMPError, OSError, ValueError):
                pass

    def wait_replies(self, timeout):
        """Wait until every command sent has its reply (a check: reads them)."""
        with self.answered:
            self.answered.wait_for(lambda: self.pending <= 0, timeout)

    def send(self, msg):
        self.ready.wait(30.0)
        if self.conn is None:
            return self.error or "no QMP connection"
        with self.answered:
            self.pending += 1
        self.note(">", msg)
        try:
            self.conn.send_raw(msg)
        except OSError as e:
            return "QMP send failed: %s" % e
        return None


def command_env(s, cfg, vname, tmp, logpath):
    env = dict(os.environ)
    env.update(ARGIL_WORK=tmp, ARGIL_LOG=logpath, ARGIL_QMP_LOG=logpath[:-4] + ".qmp.jsonl",
               ARGIL_QMP=os.path.join(tmp, "qmp-host.sock"), ARGIL_MACHINE=cfg["machine"],
               ARGIL_FIRMWARE=cfg["firmware"], ARGIL_VARIANT=vname or "", ARGIL_ROOT=ROOT)
    return env


def run_command(kind, cmd, env, log):
    """Run a setup or check command to its end; None or the reason it failed."""
    log.flush()
    r = subprocess.run(["sh", "-c", cmd], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    text = r.stdout.decode(errors="replace").splitlines()
    for l in text:
        log.write("# %s: %s\n" % (kind, l))
    if r.returncode != 0:
        return "%s command failed (exit %d): %s%s" % (kind, r.returncode, cmd,
                                                     "".join("\n  " + l for l in text[-15:]))
    return None


def run_variant(s, vname, cfg, verbose=False, bench=False, prefix=""):
    """Boot one variant, check its output, return an Outcome."""
    label = s.name + ("[%s]" % vname if vname else "")
    logname = s.name + ("-" + vname if vname else "") + ".log"
    logpath = os.path.join(ROOT, BUILD, "log", logname)
    os.makedirs(os.path.dirname(logpath), exist_ok=True)
    out = Outcome(label, logpath)
    timeout = float(cfg["timeout"])
    start = time.monotonic()
    use_qmp = bool(s.qmp or s.host or s.end)
    with tempfile.TemporaryDirectory(prefix="argil-run-") as tmp, open(logpath, "w") as log:
        env = command_env(s, cfg, vname, tmp, logpath)
        try:
            cmd = qemu_command(cfg, s.image, tmp, False)
        except RuntimeError as e:
            out.reason = str(e)
            return out
        cmd += [a.replace("{work}", tmp) for a in s.qemu]
        if use_qmp:
            cmd += ["-qmp", "unix:%s,server=on,wait=off" % os.path.join(tmp, "qmp.sock"),
                    "-qmp", "unix:%s,server=on,wait=off" % os.path.join(tmp, "qmp-host.sock")]
        errpath = os.path.join(tmp, "qemu.stderr")
        log.write("# %s\n" % " ".join(shlex.quote(c) for c in cmd))
        for c in s.setup:
            out.reason = run_command("setup", c, env, log)
            if out.reason:
                return out
        try:
            with open(errpath, "w") as err:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=err)
        except OSError as e:
            out.reason = "cannot start QEMU: %s" % e
            return out
        pump = None
        if use_qmp:
            pump = QmpPump(os.path.join(tmp, "qmp.sock"), env["ARGIL_QMP_LOG"])
            pump.start()
        qmp_todo = list(s.qmp)
        host_todo = list(s.host)
        hosts = []                  # [(command, Popen, output path)]
        splitter = Lines()
        n_expect = 0
        fail_line = None
        fail_until = None
        eof = False
        passed = False              # expect and result seen (end: still waits for QEMU)

        def drain_qmp():
            while pump and pump.lines:
                line = pump.lines.popleft()
                log.write(line + "\n")
                if verbose:
                    say(prefix + line)

        def host_failed():
            for c, p, path in hosts:
                if p.poll() not in (None, 0):
                    with open(path, errors="replace") as f:
                        text = f.read().splitlines()
                    return "host command failed (exit %d): %s%s" % (
                        p.returncode, c, "".join("\n  " + l for l in text[-15:]))
            return None
        try:
            while not eof:
                now = time.monotonic()
                drain_qmp()
                if fail_until is not None and now >= fail_until:
                    break
                if fail_line is None and not out.reason:
                    out.reason = host_failed() or ""
                    if out.reason:
                        break
                if now - start >= timeout:
                    waiting = ("expect /%s/" % s.expect[n_expect].pattern if n_expect < len(s.expect)
                               else "result /%s/" % s.result.pattern if not passed
                               else "QEMU to exit after a SHUTDOWN (%s)" % s.end)
                    out.reason = "timeout after %g s waiting for %s" % (timeout, waiting)
                    break
                limit = min(start + timeout, fail_until or float("inf")) - now
                ready, _, _ = select.select([proc.stdout], [], [], max(0.0, min(limit, 0.2 if use_qmp else 1.0)))
                if not ready:
                    continue
                data = os.read(proc.stdout.fileno(), 65536)
                eof = not data
                for line in splitter.feed(data, eof):
                    drain_qmp()
                    log.write(line + "\n")
                    if hosts:
                        log.flush()     # host commands follow $ARGIL_LOG as it grows
                    out.tail.append(line)
                    if verbose:
                        say(prefix + line)
                    for item in [q for q in qmp_todo if q[0].search(line)]:
                        qmp_todo.remove(item)
                        why = pump.send(item[1])
                        if why and fail_line is None:
                            fail_line, out.reason = line, why
                            fail_until = time.monotonic()
                    for item in [h for h in host_todo if h[0].search(line)]:
                        host_todo.remove(item)
                        log.flush()
                        path = os.path.join(tmp, "host%d.out" % len(hosts))
                        with open(path, "w") as hout:
                            hosts.append((item[1], subprocess.Popen(
                                ["sh", "-c", item[1]], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=hout, stderr=subprocess.STDOUT, start_new_session=True), path))
                    if s.result and out.passed is None:
                        m = s.result.search(line)
                        if m:
                            g = m.groupdict()
                            p, f = (g["passed"], g["failed"]) if "passed" in g else m.group(1, 2)
                            out.passed, out.failed = int(p), int(f)
                            if out.failed and fail_line is None:
                                out.reason = "%d test(s) failed: %s" % (out.failed, line)
                                eof = True
                                break
                    if fail_line is not None:
                        continue
                    if any(p.search(line) for p in s.fail):
                        fail_line = line
                        fail_until = time.monotonic() + GRACE
                        continue
                    if bench and re.match(r'^\s*\{"bench"', line):
                        try:
                            if not isinstance(json.loads(line), dict):
                                raise ValueError("not an object")
                        except ValueError as e:
                            fail_line = line
                            out.reason = "bad bench JSON line (%s): %s" % (e, line)
                            fail_until = time.monotonic()
                            continue
                        out.bench.append(line.strip())
                        if not verbose:
                            say(line.strip())
                    if n_expect < len(s.expect) and s.expect[n_expect].search(line):
                        n_expect += 1
                    if n_expect == len(s.expect) and (s.result is None or out.passed is not None):
                        passed = True
                        if not s.end:
                            if pump:
                                pump.wait_replies(10.0)
                            out.ok = True
                            eof = True
                            break
            if s.end and eof and passed and fail_line is None and not out.reason:
                proc.wait(10)
                if pump:
                    pump.join(5.0)
                reasons = pump.shutdowns if pump else []
                if s.end in reasons:
                    out.ok = True
                else:
                    out.reason = "QEMU exited (%s) without a SHUTDOWN event of reason %s (saw: %s)" % (
                        exit_text(proc.returncode), s.end, ", ".join(map(str, reasons)) or "none")
            elif s.end and out.ok is False and passed and not out.reason and fail_line is None:
                out.reason = "QEMU did not exit with a SHUTDOWN (%s)" % s.end
        finally:
            stop(proc)
            proc.stdout.close()
            for c, p, path in hosts:
                if p.poll() is None:
                    try:
                        os.killpg(p.pid, signal.SIGTERM)
                    except OSError:
                        pass
                    try:
                        p.wait(5)
                    except subprocess.TimeoutExpired:
                        os.killpg(p.pid, signal.SIGKILL)
                        p.wait()
            if pump:
                pump.join(2.0)
                drain_qmp()
            for i, (c, p, path) in enumerate(hosts):
                with open(path, errors="replace") as f:
                    for l in f.read().splitlines():
                        log.write("# host: %s\n" % l)
            out.seconds = time.monotonic() - start
            with open(errpath) as err:
                stderr = err.read().strip()
            if stderr:
                log.write("# qemu stderr:\n" + stderr + "\n")
        if out.ok and not out.reason:
            late = host_failed()
            if late and not late.startswith("host command failed (exit -"):
                out.ok, out.reason = False, late
        if out.ok:
            for c in s.check:
                why = run_command("check", c, env, log)
                if why:
                    out.ok, out.reason = False, why
                    break
        if fail_line is not None and not out.reason:
            out.reason = "fail line: %s" % fail_line
        elif not out.ok and not out.reason:
            missing = ("expect /%s/" % s.expect[n_expect].pattern if n_expect < len(s.expect)
                       else "result /%s/" % s.result.pattern)
            out.reason = "%s before %s was seen" % (exit_text(proc.returncode), missing)
            if stderr:
                out.reason += "\n" + stderr
    return out


def report(out):
    """One summary line; on failure also the reason and the end of the log."""
    counts = "" if out.passed is None else " %d passed, %d failed," % (out.passed, out.failed)
    rel = os.path.relpath(out.log, os.getcwd())
    if out.ok:
        say("PASS %s:%s %.1f s" % (out.label, counts, out.seconds), file=sys.stderr if _bench_mode else None)
        return
    lines = ["FAIL %s:%s %.1f s, %s" % (out.label, counts, out.seconds, out.reason)]
    if out.tail:
        lines.append("---- last %d serial lines (full log: %s) ----" % (len(out.tail), rel))
        lines += ["| " + l for l in out.tail]
        lines.append("----")
    say("\n".join(lines), file=sys.stderr if _bench_mode else None)



def write_bench(s, vname, out):
    path = os.path.join(ROOT, "bench", "results", s.name + ("-" + vname if vname else "") + ".jsonl")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("".join(l + "\n" for l in out.bench))
    say("bench results: %s" % os.path.relpath(path, os.getcwd()), file=sys.stderr)


def interactive(s, vname, cfg):
    """Serial console on the terminal until QEMU exits; the log is kept too.
    Returns 1 (and says why in one line) if the boot failed: a `fail` line
    of the scenario (a panic, a fault in core or init; QEMU is then
    stopped GRACE seconds later) or an exit status of QEMU that is an
    error; 0 if the user quit or the system stopped with exit code 0."""
    logpath = os.path.join(ROOT, BUILD, "log", s.name + ("-" + vname if vname else "") + ".log")
    os.makedirs(os.path.dirname(logpath), exist_ok=True)
    fail_line = None
    halted_ok = False
    with tempfile.TemporaryDirectory(prefix="argil-run-") as tmp, open(logpath, "w") as log:
        display, where = interactive_display()
        cmd = qemu_command(cfg, s.image, tmp, True, display) + [a.replace("{work}", tmp) for a in s.qemu]
        env = command_env(s, cfg, vname, tmp, logpath)
        for c in s.setup:
            why = run_command("setup", c, env, log)
            if why:
                print("argil: %s" % why, file=sys.stderr)
                return 1
        print("argil: booting %s (%s, %s, %s cpu, %s RAM) -- Ctrl-A X quits, Ctrl-A C is the monitor"
              % (s.name, cfg["machine"], cfg["firmware"], cfg["cpus"], cfg["memory"]),
              file=sys.stderr, flush=True)
        print("argil: screen: %s" % where, file=sys.stderr, flush=True)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        splitter = Lines()
        fail_until = None
        hinted = False
        try:
            while True:
                if fail_until is not None and time.monotonic() >= fail_until:
                    break  # the boot failed: QEMU is stopped after the grace period
                ready, _, _ = select.select([proc.stdout], [], [], 1.0)
                if not ready:
                    continue
                data = os.read(proc.stdout.fileno(), 65536)
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
                for line in splitter.feed(data, not data):
                    log.write(line + "\n")
                    if fail_line is None and any(p.search(line) for p in s.fail):
                        fail_line = line
                        fail_until = time.monotonic() + GRACE
                    if HALT_OK.search(line):
                        halted_ok = True
                    # GRUB clears the screen after the hint above: say it again
                    # once the kernel speaks
                    if not hinted and KERNEL_BANNER.search(line):
                        hinted = True
                        print("argil: Ctrl-A X quits QEMU; screen: %s" % where, file=sys.stderr, flush=True)
                if not data:
                    break
        except KeyboardInterrupt:
            pass
        finally:
            stop(proc)
    status = proc.returncode
    rel = os.path.relpath(logpath)
    if fail_line is not None:
        why = "fail line: %s" % fail_line.strip()
    elif status < 0 or status == 0 or (status == 1 and halted_ok):
        why = None  # quit by the user (or a signal), or stopped with exit code 0
    else:
        why = exit_text(status)
    if why:
        print("\nargil: boot of %s FAILED: %s (serial log in %s)" % (s.name, why, rel),
              file=sys.stderr)
        return 1
    print("\nargil: QEMU exited with status %d; serial log in %s" % (status, rel), file=sys.stderr)
    return 0


def prepare(s):
    mkimage.build_iso(s.kernel, s.modules, s.image)


def main(argv):
    global _bench_mode
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--interactive", action="store_true", help="serial console on this terminal")
    mode.add_argument("--bench", action="store_true", help="collect {\"bench\": ...} JSON lines")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the serial output live")
    ap.add_argument("--variant", action="append", help="run only this variant (repeatable)")
    ap.add_argument("--no-build", action="store_true", help="do not call make")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override machine, firmware, cpus, memory, cpu or timeout in every variant")
    a = ap.parse_args(argv)
    # `make run/<name> VARIANT=<v> V=1`: make exports command-line variables
    if not a.variant and os.environ.get("VARIANT"):
        a.variant = os.environ["VARIANT"].split(",")
    a.verbose = a.verbose or os.environ.get("V") == "1"
    _bench_mode = a.bench
    try:
        scns = [load_scenario(p) for p in a.scenarios]
        if not a.no_build:
            build_files(scns)
        failed = 0
        for s in scns:
            variants = [v for v in s.variants if not a.variant or v[0] in a.variant]
            if not variants:
                raise ScenarioError("%s: no variant named %s" % (s.path, ", ".join(a.variant)))
            s.variants = variants
            override(s, a.set)
            variants = s.variants
            prepare(s)
            if a.interactive:
                return interactive(s, *variants[0])
            for vname, cfg in variants:
                out = run_variant(s, vname, cfg, verbose=a.verbose, bench=a.bench)
                report(out)
                if out.ok and a.bench:
                    write_bench(s, vname, out)
                failed += not out.ok
        return 1 if failed else 0
    except (ScenarioError, RuntimeError) as e:
        print("run: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main(sys.argv[1:]))
