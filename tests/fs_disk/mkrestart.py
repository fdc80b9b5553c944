#!/usr/bin/env python3
"""The config of run/block_restart_fs (written to stdout): run/config/block_restart.config's components with
ext2_fs on partition 1 ("ext2") and block_restarter in place of
block_restart_test, and an fs_tool that, for each of ROUNDS rounds,
writes FILES files of SIZE bytes to /disk/tK (a tree), checksums the
previous round's files (reads, from the disk once the cache has moved
on) and reports the listing of /disk/tK as "progress", which makes
block_restarter restart the driver. At the end it checksums every file
and syncs.

    mkrestart.py ROUNDS FILES SIZE > CONFIG
"""
import re
import sys


def main(rounds, files, size):
    src = open("run/config/block_restart.config").read()
    src = src[src.index("<config>"):src.index('  <start name="restart_test"')]
    src = src.replace('<policy label="restart_test -> p1" disk="vd0" partition="1" writable="yes"/>',
                      '<policy label="ext2_fs -> disk" disk="vd0" partition_label="ext2" writable="yes"/>')
    src = src.replace('report="restart_test -> drivers.config"/>',
                      'report="restarter -> drivers.config"/>\n'
                      '      <policy label="restarter -> progress" report="fs_tool -> progress"/>')
    src = src.replace('label="restart_test -> block_devices"', 'label="restarter -> block_devices"')
    steps = []
    for k in range(1, rounds + 1):
        steps.append(f'<tree path="/disk/t{k}" depth="1" dirs="0" files="{files}" size="{size}" seed="{k}"/>')
        if k > 1:
            steps += [f'<checksum path="/disk/t{k - 1}/file{i}"/>' for i in range(files)]
        steps.append(f'<report path="/disk/t{k}" label="progress" size="4096"/>')
    steps += [f'<checksum path="/disk/t{k}/file{i}"/>' for k in range(1, rounds + 1) for i in range(files)]
    steps.append("<sync/>")
    body = "".join("      %s\n" % s for s in steps)
    out = f"""<!-- run/block_restart_fs (made by tests/fs_disk/mkrestart.py {rounds} {files} {size}):
     fs_tool writes and reads through ext2_fs while block_restarter restarts
     virtio_blk in the nested init 'drivers' each time fs_tool reports
     progress (docs/storage.md, "Tests"). -->
{src}  <start name="restarter" ram="2M" caps="200">
    <binary name="block_restarter"/>
    <config rounds="{rounds}"/>
    <route>
      <service name="ROM" label="block_devices"> <child name="report_rom"/> </service>
      <service name="ROM" label="progress"> <child name="report_rom"/> </service>
      <service name="Report"> <child name="report_rom"/> </service>
      <any-service> <parent/> </any-service>
    </route>
  </start>
  <start name="ext2_fs" ram="8M" caps="300">
    <binary name="ext2_fs"/>
    <provides> <service name="File_system"/> </provides>
    <config block="disk" time="1796601600" verbose="yes">
      <policy label_prefix="fs_tool" root="/" writable="yes"/>
    </config>
    <route>
      <service name="Block"> <child name="block"/> </service>
      <any-service> <parent/> </any-service>
    </route>
  </start>
  <start name="fs_tool" ram="6M" caps="200">
    <binary name="fs_tool"/>
    <config>
      <vfs> <fs path="/disk" label="ext2"/> </vfs>
{body}    </config>
    <route>
      <service name="File_system"> <child name="ext2_fs"/> </service>
      <service name="Report"> <child name="report_rom"/> </service>
      <any-service> <parent/> </any-service>
    </route>
  </start>
</config>
"""
    sys.stdout.write(out)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
