#!/usr/bin/env python3
"""The host side of run/acpi_test and run/acpi_reset_test: what the acpi
report must say, derived from QEMU's own ACPI tables, independently of the
guest.

  acpi_host.py dump [--powerdown]   (a `host:` command, QEMU running)
      reads the RSDP address that ACPICA logged, then every table from
      guest memory through QMP (pmemsave) into $ARGIL_WORK/tables/, and
      QMP query-pci into $ARGIL_WORK/pci.json; with --powerdown it then
      presses the power button (system_powerdown).
  acpi_host.py check                (a `check:` command, QEMU stopped)
      compares the report lines that acpi_test printed ("report: <...>")
      with what the tables say: MADT (ioapic, override, sci with the
      FADT), MCFG (ecam), HPET, DMAR (dmar, reserved), the FADT's reset
      register, the sleep states (\\_Sx packages) and the PCI routing:
      the DSDT disassembled by iasl (acpica-tools), its _PRT (the APIC
      table PRTA where the DSDT has one), and each link device's
      interrupt: a fixed one from its _CRS, or for a link whose _CRS
      reads the chipset's route registers (pc's LNKA..LNKD), the IRQ the
      firmware programmed into the interrupt line of the devices behind
      it (query-pci). Entries of such a link with no device behind it
      must agree with the link's other entries. Prints what it compared;
      exits 1 on any difference. The disassembly is kept beside the log
      (build/log/<name>-<variant>.DSDT.dsl).
"""
import json
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("ARGIL_ROOT", "."), "tools"))

WORK = os.environ.get("ARGIL_WORK", ".")
TABLES = os.path.join(WORK, "tables")
LOG = os.environ.get("ARGIL_LOG", "")


def fail(msg):
    print("acpi_host: " + msg)
    sys.exit(1)


# ---- dump ----

def dump(powerdown):
    import qmp
    rsdp = None
    with open(LOG, errors="replace") as f:
        for line in f:
            m = re.search(r"\] ACPI: RSDP 0x([0-9A-Fa-f]+) ", line)
            if m:
                rsdp = int(m.group(1), 16)
    if rsdp is None:
        fail("no 'ACPI: RSDP' line in the log")
    q = qmp.QMP(os.environ["ARGIL_QMP"])
    os.makedirs(TABLES, exist_ok=True)
    tmp = os.path.join(TABLES, "mem.tmp")

    def mem(addr, size):
        q.cmd("pmemsave", val=addr, size=size, filename=tmp)
        with open(tmp, "rb") as f:
            data = f.read()
        if len(data) != size:
            fail("pmemsave 0x%x: %d of %d bytes" % (addr, len(data), size))
        return data

    def table(addr):
        length = struct.unpack_from("<I", mem(addr, 36), 4)[0]
        if length < 36 or length > (1 << 20):
            fail("table at 0x%x: length %d" % (addr, length))
        return mem(addr, length)

    r = mem(rsdp, 36)
    if r[:8] != b"RSD PTR ":
        fail("no RSDP at 0x%x" % rsdp)
    rev = r[15]
    xsdt = struct.unpack_from("<Q", r, 24)[0] if rev >= 2 else 0
    root = table(xsdt) if xsdt else table(struct.unpack_from("<I", r, 16)[0])
    size = 8 if xsdt else 4
    addrs = [struct.unpack_from("<Q" if xsdt else "<I", root, 36 + i * size)[0]
             for i in range((len(root) - 36) // size)]
    names = {}

    def save(data):
        sig = data[:4].decode("ascii", "replace")
        n = names.get(sig, 0)
        names[sig] = n + 1
        with open(os.path.join(TABLES, "%s%s.dat" % (sig, n if n else "")), "wb") as f:
            f.write(data)
        return sig

    for a in addrs:
        t = table(a)
        if save(t) == "FACP":
            dsdt = struct.unpack_from("<I", t, 40)[0]
            if len(t) >= 148 and struct.unpack_from("<Q", t, 140)[0]:
                dsdt = struct.unpack_from("<Q", t, 140)[0]
            save(table(dsdt))
    os.remove(tmp)
    with open(os.path.join(WORK, "pci.json"), "w") as f:
        json.dump(q.cmd("query-pci"), f)
    print("acpi_host: tables %s from RSDP 0x%x" % (" ".join(sorted(names)), rsdp))
    if powerdown:
        q.cmd("system_powerdown")
        print("acpi_host: system_powerdown sent")
    q.close()


# ---- check ----

def read_table(sig):
    path = os.path.join(TABLES, sig + ".dat")
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return f.read()


def flags_of(flags, conf_trigger, conf_polarity):
    pol = {1: "high", 3: "low"}.get(flags & 3, conf_polarity)
    trig = {1: "edge", 3: "level"}.get((flags >> 2) & 3, conf_trigger)
    return trig, pol


def subtables(t, first, wide):
    off = first
    while off + (4 if wide else 2) <= len(t):
        if wide:
            typ, ln = struct.unpack_from("<HH", t, off)
        else:
            typ, ln = t[off], t[off + 1]
        if ln < (4 if wide else 2) or off + ln > len(t):
            break
        yield typ, t[off:off + ln]
        off += ln


def line(typ, **attrs):
    return "<%s %s/>" % (typ, " ".join('%s="%s"' % kv for kv in attrs.items()))


def expected_static():
    """The report lines the static tables give, and the sleep states."""
    want = []
    mcfg = read_table("MCFG")
    if mcfg:
        for off in range(44, len(mcfg) - 15, 16):
            addr, seg, first, last = struct.unpack_from("<QHBB", mcfg, off)
            want.append(line("ecam", base="0x%x" % (addr + (first << 20)),
                             size="0x%x" % ((last - first + 1) << 20), segment=seg,
                             bus_first=first, bus_last=last))
    madt = read_table("APIC")
    overrides = {}
    for typ, s in subtables(madt, 44, False):
        if typ == 1:
            ioid, addr, base = struct.unpack_from("<BxII", s, 2)
            want.append(line("ioapic", id=ioid, base="0x%x" % addr, gsi_base=base))
        elif typ == 2:
            irq, gsi, flags = struct.unpack_from("<BIH", s, 3)
            overrides[irq] = (gsi, flags)
            trig, pol = flags_of(flags, "edge", "high")
            want.append(line("override", irq=irq, gsi=gsi, trigger=trig, polarity=pol))
    fadt = read_table("FACP")
    sci = struct.unpack_from("<H", fadt, 46)[0]
    gsi, trig, pol = sci, "level", "low"
    if sci in overrides:
        gsi = overrides[sci][0]
        trig, pol = flags_of(overrides[sci][1], "level", "low")
    want.append(line("sci", gsi=gsi, trigger=trig, polarity=pol))
    tail = []
    dmar = read_table("DMAR")
    if dmar:
        for typ, s in subtables(dmar, 48, True):
            if typ == 0:
                flags, seg, addr = struct.unpack_from("<BxHQ", s, 4)
                tail.append(line("dmar", base="0x%x" % addr, segment=seg,
                                 include_all="yes" if flags & 1 else "no"))
            elif typ == 1:
                seg, base, end = struct.unpack_from("<xxHQQ", s, 4)
                off = 24
                while off + 6 <= len(s):
                    ln, bus = s[off + 1], s[off + 5]
                    if ln < 8:
                        break
                    dev, fn = s[off + 6], s[off + 7]   # one-level paths (QEMU's)
                    tail.append(line("reserved", base="0x%x" % base, size="0x%x" % (end - base + 1),
                                     device="%02x:%02x.%x" % (bus, dev, fn)))
                    off += ln
    hpet = read_table("HPET")
    if hpet:
        tail.append(line("hpet", base="0x%x" % struct.unpack_from("<Q", hpet, 44)[0]))
    flags = struct.unpack_from("<I", fadt, 112)[0] if len(fadt) >= 116 else 0
    if len(fadt) >= 129 and flags & (1 << 10):
        space, addr, value = fadt[116], struct.unpack_from("<Q", fadt, 120)[0], fadt[128]
        tail.append(line("reset", space={0: "memory", 1: "io", 2: "pci"}.get(space, "other"),
                         address="0x%x" % addr, value="0x%02x" % value))
    return want, tail


def aml_int(tok):
    tok = tok.strip()
    return {"Zero": 0, "One": 1, "Ones": 0xffffffffffffffff}.get(tok, None) if not tok.startswith("0x") \
        else int(tok, 16)


def disassemble():
    dsl = {}
    for name in sorted(os.listdir(TABLES)):
        if name.startswith(("DSDT", "SSDT")) and name.endswith(".dat"):
            path = os.path.join(TABLES, name)
            try:
                r = subprocess.run(["iasl", "-d", path], cwd=TABLES, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.STDOUT)
            except FileNotFoundError:
                fail("no iasl: install acpica-tools (tools/deps does as root)")
            if r.returncode:
                fail("iasl -d %s failed" % name)
            with open(path[:-4] + ".dsl", errors="replace") as f:
                dsl[name[:-4]] = f.read()
            # kept beside the serial log for whoever reads a failure
            if LOG.endswith(".log"):
                with open("%s.%s.dsl" % (LOG[:-4], name[:-4]), "w") as f:
                    f.write(dsl[name[:-4]])
    return dsl


def block_after(text, start):
    """The text of the {...} block that starts at the first '{' after start."""
    i = text.index("{", start)
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j]
    fail("unbalanced braces")


def sleep_states(dsl):
    out = []
    for n in range(6):
        m = re.search(r"Name \(_S%d_?, Package \([^)]*\)" % n, dsl)
        if not m:
            continue
        vals = [aml_int(v) for v in block_after(dsl, m.end()).split(",") if v.strip()]
        out.append(line("sleep", state=n, typ_a="0x%x" % vals[0], typ_b="0x%x" % vals[1]))
    return out


def routing(dsl):
    """[(slot, pin, link or None, index)] of the host bridge's _PRT (APIC)."""
    m = re.search(r"Name \(PRTA, Package", dsl) or re.search(r"Name \(_PRT, Package", dsl)
    if m:
        entries = []
        for e in re.finditer(r"Package \(0x04\)\s*\{([^}]*)\}", block_after(dsl, m.end())):
            parts = [p.strip() for p in e.group(1).split(",")]
            addr, pin, src, idx = aml_int(parts[0]), aml_int(parts[1]), parts[2], aml_int(parts[3])
            link = None if aml_int(src) == 0 else src
            entries.append((addr >> 16, pin, link, idx))
        return entries
    # QEMU's pc: a method that builds the 128 entries in a loop over
    # Local1 = slot * 4 + pin, choosing the link by (Local1 + slot) & 3,
    # with one exception for one Local1 (the PIIX4 PM function's LNKS)
    m = re.search(r"Method \(_PRT, 0", dsl)
    if not m:
        fail("no _PRT in the DSDT")
    body = block_after(dsl, m.end())
    if not re.search(r"Local3 = \(\(Local1 \+ Local2\) & 0x03\)", body) or \
            not re.search(r"Local2 = \(Local1 >> 0x02\)", body):
        fail("the DSDT's _PRT method is not QEMU's pc loop")
    by_sum, special = {}, {}
    for c in re.finditer(r"If \(\(Local3 == (Zero|One|0x02|0x03)\)\)", body):
        block = block_after(body, c.end())
        exc = re.search(r"If \(\(Local1 == (0x[0-9A-F]+|Zero|One)\)\)", block)
        names = re.findall(r"Zero,\s*Zero,\s*(\w+),\s*Zero", block)
        if exc:
            special[aml_int(exc.group(1))] = names[0]
            names = names[1:]
        by_sum[aml_int(c.group(1))] = names[0]
    if sorted(by_sum) != [0, 1, 2, 3]:
        fail("the DSDT's _PRT method names links for %s" % sorted(by_sum))
    return [(i >> 2, i & 3, special.get(i, by_sum[(i + (i >> 2)) & 3]), 0) for i in range(128)]


def link_interrupt(dsl, name):
    """(gsi or None, trigger, polarity) of link device name: a fixed
    interrupt of its _CRS, else None with the trigger and polarity of the
    interrupts it may take (_PRS)."""
    m = re.search(r"Device \(%s\)" % re.escape(name), dsl)
    if not m:
        fail("no link device %s" % name)
    body = block_after(dsl, m.end())
    irq = re.search(r"Interrupt \(ResourceConsumer, (Level|Edge), (ActiveHigh|ActiveLow)[^)]*\)\s*\{([^}]*)\}",
                    body)
    if not irq:
        fail("link device %s has no Interrupt descriptor" % name)
    trig = irq.group(1).lower()
    pol = "high" if irq.group(2) == "ActiveHigh" else "low"
    vals = [aml_int(v) for v in irq.group(3).split(",") if v.strip()]
    fixed = re.search(r"Name \(_CRS, ResourceTemplate", body) or \
        (re.search(r"Method \(_CRS, 0[^)]*\)\s*[^{]*\{\s*Return \(_PRS\)", body) and len(vals) == 1)
    return (vals[0] if fixed else None), trig, pol


def check():
    report = []
    with open(LOG, errors="replace") as f:
        for l in f:
            m = re.match(r"^\[init -> acpi_test\] report: (<.*/>)$", l.rstrip("\n"))
            if m:
                report.append(m.group(1))
    if not report:
        fail("no report lines in the log")
    head, tail = expected_static()
    dsl = disassemble()
    tail += sleep_states(dsl["DSDT"])
    got_routes = {}
    for r in report:
        if r.startswith("<routing "):
            a = dict(re.findall(r'(\w+)="([^"]*)"', r))
            got_routes[(int(a["bus"]), int(a["device"]), a["pin"])] = \
                (int(a["gsi"]), a["trigger"], a["polarity"])
    errors = 0
    others = [r for r in report if not r.startswith("<routing ")]
    want = head + tail
    for w in want:
        if w not in others:
            print("acpi_host: missing: %s" % w)
            errors += 1
    for g in others:
        if g not in want:
            print("acpi_host: not in the tables: %s" % g)
            errors += 1
    # the routing
    with open(os.path.join(WORK, "pci.json")) as f:
        pci = json.load(f)
    programmed = {}
    for busobj in pci:
        for d in busobj["devices"]:
            irq = d.get("irq")
            pin = d.get("irq_pin", 0)
            if pin and irq is not None:
                programmed[(d["bus"], d["slot"], "ABCD"[pin - 1])] = irq
    entries = routing(dsl["DSDT"])
    # what each link device gives: fixed in its _CRS, or what the firmware
    # programmed for a device behind it
    links = {}
    for slot, pin, link, idx in entries:
        if link is None:
            continue
        if link not in links:
            links[link] = list(link_interrupt(dsl["DSDT"], link))
        p = programmed.get((0, slot, "ABCD"[pin]))
        if links[link][0] is None and p is not None:
            links[link][0] = p
    verified = consistent = 0
    unverified = {}
    for slot, pin, link, idx in entries:
        key = (0, slot, "ABCD"[pin])
        if key not in got_routes:
            print("acpi_host: _PRT routes %02x pin %s, the report does not" % (slot, key[2]))
            errors += 1
            continue
        got = got_routes.pop(key)
        want_r = (idx, "level", "low") if link is None else tuple(links[link])
        if want_r[0] is None:
            # no device behind the link: its entries must agree
            first = unverified.setdefault(link, got)
            if got[1:] != want_r[1:] or got != first:
                print("acpi_host: %02x pin %s: report %s, link %s gives %s elsewhere" %
                      (slot, key[2], got, link, first))
                errors += 1
            consistent += 1
            continue
        if got != want_r:
            print("acpi_host: %02x pin %s: report %s, tables %s" % (slot, key[2], got, want_r))
            errors += 1
        verified += 1
    for key in got_routes:
        print("acpi_host: the report routes %s, the _PRT does not" % (key,))
        errors += 1
    print("acpi_host: %d report lines, %d of the tables' lines compared, %d routing entries "
          "verified, %d consistent with their link, %d differences" %
          (len(report), len(want), verified, consistent, errors))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "dump":
        dump("--powerdown" in sys.argv[2:])
    elif len(sys.argv) == 2 and sys.argv[1] == "check":
        check()
    else:
        fail("usage: acpi_host.py dump [--powerdown] | check")
