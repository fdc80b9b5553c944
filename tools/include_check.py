#!/usr/bin/env python3
"""Check the include rules of the tree (issue 9, docs/build.md):

    base/      includes abi/ and base/ only
    kernel/    (kernel/src, kernel/arch, kernel/include) abi/ and kernel/ only
    a service  (os/NAME, servers/NAME, drivers/NAME, apps/NAME) base/, abi/,
               lib/, its own folder, and other services' interface libraries
               (their session/ folder) only

    tools/include_check.py [-v]

Every #include of a .c, .h or .S file in those folders is resolved the way
the build does (the including file's folder for "x.h", then the area's
include paths), and failing that against every header in the tree; a header
found nowhere is the compiler's or the C library's and allowed. Prints one
line per violation, `file:line: includes <x.h> (path): rule`, and last
`include rules: N files checked, N violations`; exit status 1 on any.
`make host-test` runs it.
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SERVICE_ROOTS = ("os", "servers", "drivers", "apps")
SOURCE = (".c", ".h", ".S")


def rel(p):
    return os.path.relpath(p, ROOT)


def service_of(path):
    """'os/timer' for os/timer/..., else None."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[0] in SERVICE_ROOTS:
        return "/".join(parts[:2])
    return None


def area_of(path):
    if path.startswith("abi/"):
        return "abi"
    if path.startswith("base/"):
        return "base"
    if path.startswith("kernel/") and not path.startswith("kernel/test/"):
        return "kernel"
    if service_of(path):
        return "service"
    return None


def session_dirs():
    return sorted(rel(d) for root in SERVICE_ROOTS
                  for d in glob.glob(os.path.join(ROOT, root, "*", "session", "include")))


def search_path(path):
    """The include folders of the file's area, in the build's order."""
    arch = ["%s/arch/x86_64/include" % a for a in ("base",)]
    a = area_of(path)
    if a == "abi":
        return ["abi/include"]
    if a == "base":
        return ["base/include"] + arch + ["abi/include"]
    if a == "kernel":
        return ["kernel/include", "kernel/arch/x86_64/include", "kernel/src", "abi/include"]
    svc = service_of(path)
    own = []
    d = os.path.dirname(path)
    while d and d != svc:          # the component's folder (build.mk) and its include/
        if os.path.exists(os.path.join(ROOT, d, "build.mk")):
            own += [d, d + "/include"]
        d = os.path.dirname(d)
    own += [svc, svc + "/include"]
    libs = sorted(rel(d) for d in glob.glob(os.path.join(ROOT, "lib", "*", "include")))
    return own + ["abi/include", "base/include"] + arch + libs + session_dirs()


def all_headers():
    """Every header of the tree by its path below each folder that holds it."""
    index = {}
    for dirpath, dirnames, files in os.walk(ROOT):
        r = rel(dirpath)
        if r.split("/")[0] in ("build", ".git", "tools", "tests", "ports"):
            dirnames[:] = []
            continue
        for f in files:
            if f.endswith(".h"):
                full = os.path.join(r, f) if r != "." else f
                parts = full.split("/")
                for k in range(len(parts) - 1, 0, -1):
                    index.setdefault("/".join(parts[k:]), []).append(full)
    return index


def allowed(path, target):
    a = area_of(path)
    if a == "abi":
        return target.startswith("abi/"), "abi/ includes abi/ only"
    if a == "base":
        return target.startswith(("abi/", "base/")), "base/ includes abi/ and base/ only"
    if a == "kernel":
        return (target.startswith(("abi/", "kernel/")) and not target.startswith("kernel/test/"),
                "the kernel includes abi/ and kernel/ only")
    svc = service_of(path)
    ok = (target.startswith(("abi/", "base/", "lib/", svc + "/")) or
          (service_of(target) and "/session/" in target))
    return ok, "a service includes base/, lib/, its own folder and services' session/ only"


def check(verbose):
    index = all_headers()
    files = violations = 0
    for dirpath, dirnames, names in os.walk(ROOT):
        r = rel(dirpath)
        if r.split("/")[0] in ("build", ".git"):
            dirnames[:] = []
            continue
        for f in sorted(names):
            path = os.path.join(r, f)
            if not f.endswith(SOURCE) or area_of(path) is None:
                continue
            files += 1
            with open(os.path.join(ROOT, path), errors="replace") as src:
                for n, line in enumerate(src, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    quote, name = m.groups()
                    dirs = ([os.path.dirname(path)] if quote == '"' else []) + search_path(path)
                    target = next((os.path.normpath(os.path.join(d, name)) for d in dirs
                                   if os.path.isfile(os.path.join(ROOT, d, name))), None)
                    if target is None:
                        found = index.get(name)
                        if not found:
                            continue   # the compiler's or the C library's
                        target = found[0]
                    ok, rule = allowed(path, target)
                    if verbose:
                        print("%s:%d: <%s> -> %s" % (path, n, name, target))
                    if not ok:
                        violations += 1
                        print("%s:%d: includes <%s> (%s): %s" % (path, n, name, target, rule))
    print("include rules: %d files checked, %d violations" % (files, violations))
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(check("-v" in sys.argv[1:]))
