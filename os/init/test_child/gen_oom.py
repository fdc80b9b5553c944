#!/usr/bin/env python3
"""Writes run/config/init_oom.config (run/init_oom): the outer init's config
with cfgsrv, whose two steps are the configs of the nested init 'sub'.

Step 1: eight dummies h1..h8 that each ask for SESSIONS LOG sessions, and
'filler', whose <config> of FILLER_ITEMS items takes room in sub's heap
(its model) so that fewer than SESSIONS more session records fit there.
Step 2: the same plus 'big', a child whose <config> of BIG_LINES lines is
more than sub's heap can hold. If init's records change size, FILLER_ITEMS
may have to change (run/init_oom says why). sub's quota (SUB_RAM bytes)
leaves 224 bytes unlent once init's image and start cost are paid: when
init's image grows, it grows by as much (run/init_oom's line "config: 9
children, 8392704 of 8392928 bytes RAM" shows it).

Usage: os/init/test_child/gen_oom.py > run/config/init_oom.config"""
import sys

DUMMIES = 8
SESSIONS = 32
FILLER_ITEMS = 150
BIG_LINES = 2000
SUB_RAM = 9058240


def dummy(i):
    sessions = " ".join(f'<session service="LOG" label="s{k}"/>' for k in range(1, SESSIONS + 1))
    return (f'          <start name="h{i}"> <binary name="dummy"/> <config>\n'
            f'          {sessions}\n'
            f'          <log string="h{i} goes on"/> <close_sessions/> '
            f'<session service="LOG" label="again"/> <log string="h{i} done"/> '
            f'<session service="Step" label="next"/>\n'
            f'          </config> </start>\n')


def filler():
    out = '          <start name="filler" ram="4K"> <binary name="no_such_binary"/> <config>\n'
    for row in range(0, FILLER_ITEMS, 4):
        out += "            " + "".join(f'<item n="{n:03d}" text="room for init\'s model"/> '
                                         for n in range(row, row + 4)) + "\n"
    return out + "            \n          </config> </start>\n"


def big():
    out = '          <start name="big" ram="4K"> <binary name="dummy"/> <config>\n'
    for n in range(BIG_LINES):
        out += f'              <log string="padding for a config larger than the heap of sub {n:04d}"/>\n'
    return out + "          </config> </start>\n"


def step(version):
    out = ("      <step>\n"
           f'        <config version="{version}" reserve_ram="128K">\n'
           "          <parent-provides>\n"
           '          <service name="ROM"/> <service name="LOG"/> <service name="PD"/> '
           '<service name="CPU"/> <service name="Step"/>\n'
           "          </parent-provides>\n"
           '          <default caps="100" ram="1M"/>\n'
           "          <default-route> <any-service> <parent/> </any-service> </default-route>\n")
    out += "".join(dummy(i) for i in range(1, DUMMIES + 1)) + filler()
    if version == 2:
        out += big()
    return out + "        </config>\n      </step>\n"


sys.stdout.write(
    "<config>\n"
    "  <parent-provides>\n"
    '    <service name="ROM"/> <service name="LOG"/> <service name="PD"/> <service name="CPU"/>\n'
    "  </parent-provides>\n"
    '  <default caps="100" ram="1M"/>\n'
    "  <default-route>\n"
    "    <any-service> <parent/> </any-service>\n"
    "  </default-route>\n"
    '  <start name="cfgsrv" ram="24M">\n'
    '    <binary name="init_test_child"/>\n'
    '    <provides> <service name="ROM"/> <service name="Step"/> </provides>\n'
    '    <config mode="rom_server">\n'
    + step(1) + step(2) +
    "    </config>\n"
    "  </start>\n"
    f'  <start name="sub" caps="2000" ram="{SUB_RAM}">\n'
    '    <binary name="init"/>\n'
    "    <route>\n"
    '      <service name="ROM" label="config"> <child name="cfgsrv"/> </service>\n'
    '      <service name="Step"> <child name="cfgsrv"/> </service>\n'
    "      <any-service> <parent/> </any-service>\n"
    "    </route>\n"
    "  </start>\n"
    "</config>\n")
