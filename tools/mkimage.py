#!/usr/bin/env python3
"""Build a bootable ISO (BIOS and UEFI) for an Argil boot scenario.

    tools/mkimage.py [-o OUT.iso] run/<name>

The image holds GRUB, /boot/grub/grub.cfg, the kernel and the boot modules.
GRUB loads the kernel with `multiboot2` and each module with
`module2 --nounzip` (byte for byte: GRUB would otherwise inflate a gzip
file itself), in the order the scenario lists them, and talks over the serial port (COM1,
115200 baud) so that nothing depends on a display. With a display (QEMU
`-vga std`), GRUB's video driver (vbe, efi_gop) sets the linear framebuffer the kernel's
multiboot2 header asks for (optionally); without one it boots in text
mode. grub-mkrescue puts both
the BIOS (grub-pc-bin) and the UEFI (grub-efi-amd64-bin) loaders on it.
Default output: build/image/<name>.iso.

When the first module (the root task) is core, every module after it goes
into one boot archive (`module2 ... boot_archive`, format in core/rom.c and
docs/framework.md, "Boot modules"): each file on pages of its own, named by
the first word of its command line. The kernel takes BOOTINFO_MAX_MODULES
modules; through the archive core serves up to 511 ROMs.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Printed by grub.cfg when `boot` returns, i.e. GRUB could not start the
# kernel. tools/run.py fails a run as soon as it sees this line.
BOOT_FAILED = "ARGIL-BOOT-FAILED: GRUB could not boot the kernel"

_SAFE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


def grub_quote(word):
    """Quote one word for grub.cfg (GRUB script uses shell-like quoting)."""
    if _SAFE.match(word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def boot_names(kernel, modules):
    """File names under /boot for the kernel and each module (unique)."""
    names, used = [], {"grub"}
    for path in [kernel] + list(modules):
        base = os.path.basename(path) or "file"
        name, n = base, 2
        while name in used:
            name, n = "%s-%d" % (base, n), n + 1
        used.add(name)
        names.append(name)
    return names


def grub_cfg(kernel, modules):
    """kernel: (path, [args]); modules: [(path, [args])] -> grub.cfg text."""
    names = boot_names(kernel[0], [m[0] for m in modules])

    def line(cmd, name, args, opts=()):
        return " ".join(["  " + cmd] + list(opts) + ["/boot/" + name] + [grub_quote(a) for a in args])

    out = [
        "set timeout=0",
        "set default=0",
        "serial --unit=0 --speed=115200",
        "terminal_input serial console",
        "terminal_output serial console",
        # UEFI's video driver (on BIOS, vbe is built in): with a display, the
        # kernel's optional framebuffer request gets a linear framebuffer
        'if [ "$grub_platform" = efi ]; then insmod efi_gop; fi',
        'menuentry "Argil" {',
        line("multiboot2", names[0], kernel[1]),
    ]
    for (path, args), name in zip(modules, names[1:]):
        out.append(line("module2", name, args, ["--nounzip"]))
    out += ["  boot", "  echo " + grub_quote(BOOT_FAILED), "}", ""]
    return "\n".join(out)


MAX_MODULES = 16  # BOOTINFO_MAX_MODULES in abi/include/argil/abi.h
ARCHIVE_MAX = 510  # core/rom.c: ROMS_MAX, less platform_info and a spare
PAGE = 4096


def packs_archive(modules):
    """Whether the modules after the first go into a boot archive: when the
    first is core (the only root task that reads archives)."""
    return len(modules) > 1 and os.path.basename(modules[0][0]) == "core.elf"


def write_archive(modules, out):
    """The boot archive of `modules` ([(path, [args])]; the name of each is
    its first argument, else its file name) written to `out`."""
    import struct
    names = []
    for path, args in modules:
        name = args[0] if args else os.path.basename(path)
        if not name or len(name.encode()) > 63:
            raise RuntimeError("boot archive: module name %r is empty or longer than 63 bytes" % name)
        if name in names:
            raise RuntimeError("boot archive: two modules named %r" % name)
        if len(args) > 1:
            raise RuntimeError("boot archive: module %s has arguments beyond its name (%s): "
                               "core's ROMs have none" % (path, " ".join(args[1:])))
        names.append(name)
    if len(names) > ARCHIVE_MAX:
        raise RuntimeError("boot archive: %d modules, core serves at most %d" % (len(names), ARCHIVE_MAX))
    head = 16 + 80 * len(names)
    offset = (head + PAGE - 1) // PAGE * PAGE
    entries, datas = [], []
    for (path, _), name in zip(modules, names):
        with open(path, "rb") as f:
            data = f.read()
        entries.append(struct.pack("<64sQQ", name.encode(), offset, len(data)))
        padded = max(1, (len(data) + PAGE - 1) // PAGE) * PAGE
        datas.append(data + bytes(padded - len(data)))
        offset += padded
    with open(out, "wb") as f:
        f.write(b"ARGILROM" + struct.pack("<II", 1, len(names)) + b"".join(entries))
        f.write(bytes((head + PAGE - 1) // PAGE * PAGE - head))
        for d in datas:
            f.write(d)


def build_iso(kernel, modules, out):
    """Write the ISO to `out`. Raises RuntimeError with GRUB's output on failure."""
    for path, _ in [kernel] + list(modules):
        if not os.path.isfile(path):
            raise RuntimeError("boot file not found: %s" % path)
    with tempfile.TemporaryDirectory(prefix="argil-iso-") as tmp:
        if packs_archive(modules):
            archive = os.path.join(tmp, "boot_archive")
            write_archive(modules[1:], archive)
            modules = [modules[0], (archive, ["boot_archive"])]
        return _build_iso(kernel, modules, out, tmp)


def _build_iso(kernel, modules, out, tmp):
    # the kernel takes BOOTINFO_MAX_MODULES (abi.h) modules, the root task
    # included; more would be left out at boot
    if len(modules) > MAX_MODULES:
        raise RuntimeError("%d boot modules: the kernel takes at most %d, core included "
                           "(BOOTINFO_MAX_MODULES); bundle ROMs (e.g. manifests) into one"
                           % (len(modules), MAX_MODULES))
    if not shutil.which("grub-mkrescue"):
        raise RuntimeError("grub-mkrescue not found (run tools/deps)")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    root = os.path.join(tmp, "root")
    os.makedirs(os.path.join(root, "boot", "grub"))
    names = boot_names(kernel[0], [m[0] for m in modules])
    for (path, _), name in zip([kernel] + list(modules), names):
        shutil.copyfile(path, os.path.join(root, "boot", name))
    with open(os.path.join(root, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(grub_cfg(kernel, modules))
    iso = "%s.tmp%d" % (out, os.getpid())  # then renamed: readers never see half an image
    r = subprocess.run(["grub-mkrescue", "--fonts=", "--locales=", "--themes=",
                        "-o", iso, root],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    if r.returncode != 0 or not os.path.isfile(iso):
        if os.path.exists(iso):
            os.unlink(iso)
        raise RuntimeError("grub-mkrescue failed:\n" + r.stdout)
    os.replace(iso, out)
    return out


def main(argv):
    import argparse
    sys.dont_write_bytecode = True
    import run  # the scenario parser lives in tools/run.py
    ap = argparse.ArgumentParser(description="Build the boot ISO of a scenario.")
    ap.add_argument("scenario")
    ap.add_argument("-o", "--output", help="ISO path (default build/image/<name>.iso)")
    ap.add_argument("--no-build", action="store_true", help="do not call make first")
    a = ap.parse_args(argv)
    try:
        scn = run.load_scenario(a.scenario)
        if not a.no_build:
            run.build_files([scn])
        print(build_iso(scn.kernel, scn.modules, a.output or scn.image))
    except (run.ScenarioError, RuntimeError) as e:
        print("mkimage: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
