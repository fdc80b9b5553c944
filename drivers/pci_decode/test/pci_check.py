#!/usr/bin/env python3
"""The `check:` of run/pci_test*: compare the devices report that
pci_decode logged (`devices: ` lines with log="yes") with QEMU's own view,
the reply to QMP `query-pci` the scenario asked for (in $ARGIL_QMP_LOG).

    pci_check.py [SERIAL_LOG QMP_LOG]     (default: $ARGIL_LOG $ARGIL_QMP_LOG)

For every function on both sides: vendor, device, subsystem IDs (QEMU
gives them for normal headers), class and subclass (and prog-if where
QEMU says it), revision, interrupt pin and its routing (every pin routed; on pc the GSI
is the interrupt line the firmware programmed with the PIIX link, on q35
one of the links' GSIs 16..23), bridge bus numbers, and each BAR
(index, io/memory, 32/64-bit, prefetchable, address, size; QEMU's
expansion ROM, region 6, is not a BAR and not in the report). A BAR that
QEMU shows unmapped (its decoding is off) is compared without its
address. Functions on one side only are failures too. Prints one line per
function and `N passed, N failed`; exits 1 on any failure or when either
side is missing."""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

UNMAPPED = (1 << 64) - 1
LINE = re.compile(r"^\[[^\]]*pci_decode\] devices: (.*)$")


def report_from_log(path):
    """The last complete <devices> report in the serial log."""
    lines, inside, last = [], False, None
    with open(path, errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            text = m.group(1)
            if text.startswith("<devices"):
                lines, inside = [], True
            if inside:
                lines.append(text)
            if inside and text.strip() == "</devices>":
                last, inside = ET.fromstring("\n".join(lines)), False
    return last


def pci_from_qmp(path):
    """The first query-pci reply: a list of {bus, devices} with bridges."""
    with open(path) as f:
        for line in f:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            ret = obj.get("return")
            if isinstance(ret, list) and ret and isinstance(ret[0], dict) and "devices" in ret[0]:
                return ret
    return None


def flatten(devices, out):
    for d in devices:
        out[(d["bus"], d["slot"], d["function"])] = d
        br = d.get("pci_bridge")
        if br:
            flatten(br.get("devices", []), out)


def expect_bars(q):
    bars = {}
    for r in q.get("regions", []):
        if r["bar"] > 5:
            continue
        if r["type"] == "io":
            kind, pref = "io", None
        else:
            kind = "mem64" if r.get("mem_type_64") else "mem32"
            pref = "yes" if r.get("prefetch") else "no"
        bars[r["bar"]] = (kind, pref, r["address"], r["size"])
    return bars


def num(node, name):
    v = node.get(name)
    if v is None:
        raise ValueError("<%s %s> lacks %s" % (node.tag, node.get("name"), name))
    return int(v, 0)


def compare(key, q, d):
    """A list of differences between QEMU's function q and report node d."""
    bad = []

    def same(what, want, got):
        if want != got:
            bad.append("%s: QEMU %s, report %s" % (what, want, got))

    same("vendor", hex(q["id"]["vendor"]), hex(num(d, "vendor")))
    same("device", hex(q["id"]["device"]), hex(num(d, "product")))
    if "subsystem-vendor" in q["id"] and "subsystem" in q["id"]:
        same("subsystem vendor", hex(q["id"]["subsystem-vendor"]), hex(num(d, "subsystem_vendor")))
        same("subsystem", hex(q["id"]["subsystem"]), hex(num(d, "subsystem")))
    cls = num(d, "class")
    same("class", hex(q["class_info"]["class"]), hex(cls >> 8))
    if "prog_if" in q:
        same("prog-if", hex(q["prog_if"]), hex(cls & 0xff))
    if "revision" in q:
        same("revision", hex(q["revision"]), hex(num(d, "revision")))
    irq = d.find("irq")
    pin = " ABCD".index(irq.get("pin")) if irq is not None else 0
    if "irq_pin" in q:
        same("interrupt pin", q["irq_pin"], pin)
    if pin:
        gsi = int(irq.get("gsi")) if irq.get("gsi") is not None else None
        machine = os.environ.get("ARGIL_MACHINE")
        if gsi is None:
            bad.append("interrupt pin %s not routed" % "ABCD"[pin - 1])
        elif machine == "pc" and key[0] == 0 and key[1] == 1:
            # QEMU's pc DSDT routes slot 1 (the PIIX's own functions) to
            # LNKS, the SCI's GSI 9, whatever line the firmware wrote
            same("GSI (pc slot 1: LNKS, the SCI)", 9, gsi)
        elif machine == "pc" and "irq" in q:
            # the PIIX links: the firmware programs a link and the lines
            # of the functions behind it alike
            same("GSI (pc: the programmed interrupt line)", q["irq"], gsi)
        elif machine == "q35" and not 16 <= gsi <= 23:
            bad.append("GSI %d: q35's PCI links route to GSI 16..23" % gsi)
    br = q.get("pci_bridge")
    same("bridge", "yes" if br else "no", d.get("bridge"))
    if br:
        same("secondary bus", br["bus"]["secondary"], num(d, "secondary"))
        same("subordinate bus", br["bus"]["subordinate"], num(d, "subordinate"))
    want = expect_bars(q)
    got = {}
    for b in d.findall("bar"):
        got[num(b, "index")] = (b.get("type"), b.get("prefetchable"), num(b, "address"), num(b, "size"))
    for i in sorted(set(want) | set(got)):
        if i not in got:
            bad.append("BAR %d missing in the report (QEMU: %s)" % (i, want[i]))
        elif i not in want:
            bad.append("BAR %d not in QEMU (report: %s)" % (i, got[i]))
        else:
            w, g = want[i], got[i]
            if w[2] in (UNMAPPED, -1):   # decoding off in QEMU: no address to compare
                w, g = w[:2] + (None,) + w[3:], g[:2] + (None,) + g[3:]
            if w != g:
                bad.append("BAR %d: QEMU %s, report %s" % (i, fmt(w), fmt(g)))
    return bad


def fmt(b):
    kind, pref, addr, size = b
    return "%s%s at %s size %#x" % (kind, " prefetchable" if pref == "yes" else "",
                                    "?" if addr is None else "%#x" % addr, size)


def main(argv):
    log = argv[1] if len(argv) > 2 else os.environ.get("ARGIL_LOG")
    qlog = argv[2] if len(argv) > 2 else os.environ.get("ARGIL_QMP_LOG")
    if not log or not qlog:
        print("usage: pci_check.py SERIAL_LOG QMP_LOG (or $ARGIL_LOG, $ARGIL_QMP_LOG)")
        return 2
    report = report_from_log(log)
    pci = pci_from_qmp(qlog)
    if report is None:
        print("FAIL no complete devices report (devices: lines) in %s" % log)
        return 1
    if pci is None:
        print("FAIL no query-pci reply in %s" % qlog)
        return 1
    qemu = {}
    for bus in pci:
        flatten(bus["devices"], qemu)
    ours = {}
    for d in report.findall("device"):
        if d.get("type") == "pci":
            ours[(num(d, "bus"), num(d, "device"), num(d, "function"))] = d
    passed = failed = 0
    for key in sorted(set(qemu) | set(ours)):
        name = "%02x:%02x.%x" % key
        if key not in ours:
            print("FAIL %s %s: not in the devices report" % (name, qemu[key]["class_info"].get("desc", "")))
            failed += 1
            continue
        if key not in qemu:
            print("FAIL %s: in the report, not in QEMU" % name)
            failed += 1
            continue
        try:
            bad = compare(key, qemu[key], ours[key])
        except (ValueError, KeyError) as e:
            bad = ["malformed: %s" % e]
        q = qemu[key]
        what = "%04x:%04x %s, %d BARs" % (q["id"]["vendor"], q["id"]["device"],
                                          q["class_info"].get("desc", "class %#x" % q["class_info"]["class"]),
                                          len(expect_bars(q)))
        if bad:
            print("FAIL %s %s: %s" % (name, what, "; ".join(bad)))
            failed += 1
        else:
            print("ok %s %s" % (name, what))
            passed += 1
    print("pci_check: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
