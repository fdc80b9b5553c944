#!/usr/bin/env python3
"""Generate run/config/init_test.steps, the steps of run/init_test.

    os/init/test_driver/steps.py > run/config/init_test.steps

Each scenario is a config for the nested init and the expectations on its
state report (os/init/test_driver/main.c, match.h). The line of a config
error is computed here the way init counts it: the config arrives printed
canonically (one node per line, an end tag on a line of its own), so a
node's line follows from the document order, <config> being line 1, and
its column is 2 * depth + 1.
"""
import sys
import xml.etree.ElementTree as ET

HEAD = """<parent-provides> <service name="ROM"/> <service name="LOG"/> <service name="PD"/> <service name="CPU"/> </parent-provides>
<default caps="100" ram="1M"/>
<default-route> <any-service> <parent/> </any-service> </default-route>
"""
REPORT = '<report requested="yes" provided="yes" child_ram="yes" child_caps="yes" init_ram="yes" init_caps="yes"/>\n'

out = []
versions = 0


def srv(name="srv", extra="", attrs=""):
    return f"""<start name="{name}"{attrs}> <binary name="init_test_child"/> <config mode="server"/>
  <provides> <service name="Hello"/> </provides> {extra} </start>\n"""


def dummy(name, actions, route="", attrs=""):
    r = f"<route> {route} <any-service> <parent/> </any-service> </route>" if route else ""
    return f"""<start name="{name}"{attrs}> <binary name="dummy"/> <config> {actions} </config> {r} </start>\n"""


def hello(*labels):
    return " ".join(f'<session service="Hello" label="{l}"/>' for l in labels)


def config(body, head=HEAD, report=REPORT, top=""):
    """Emit a config; returns its text (for line look-ups)."""
    global versions
    versions += 1
    text = f'<config version="{versions}"{top}>\n{head}{report}{body}</config>\n'
    ET.fromstring(text)   # well-formed
    out.append(text)
    return text


def line_of(text, pred):
    """(line, col) of the first node in document order with pred(elem):
    printed canonically, a node with sub-nodes takes a line for its end
    tag too."""
    lines = []

    def walk(e, depth):
        lines.append((e, depth))
        for c in e:
            walk(c, depth + 1)
        if len(e):
            lines.append((None, depth))
    root = ET.fromstring(text)
    pred.root = root
    walk(root, 0)
    for i, (e, depth) in enumerate(lines):
        if e is not None and pred(e):
            return i + 1, 2 * depth + 1
    raise SystemExit("no such node")


def inside(start_name, tag):
    """A predicate: the first node of type tag inside <start name=start_name>."""
    found = []

    def pred(e):
        if not found:
            root = pred.root
            for st in root.iter("start"):
                if st.get("name") == start_name:
                    found.extend(x for x in st.iter(tag))
                    break
        return bool(found) and e is found[0]
    return pred


def start_line(text, name):
    return line_of(text, lambda e: e.tag == "start" and e.get("name") == name)


def expect(what, *patterns):
    out.append(f'<expect what="{what}">\n' + "".join(f"  {p}\n" for p in patterns) + "</expect>\n")


def child(name, *subs, **attrs):
    a = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<child name="{name}"{a}>' + " ".join(subs) + "</child>" if subs else f'<child name="{name}"{a}/>'


def req(service, label, server, state="available"):
    return f'<requested> <session service="{service}" label="{label}" server="{server}" state="{state}"/> </requested>'


def prov(service, label, client, **attrs):
    a = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<provided> <session service="{service}" label="{label}" client="{client}"{a}/> </provided>'


def absent(*patterns):
    return "<absent> " + " ".join(patterns) + " </absent>"


def ram(lo, hi):
    return f'<ram assigned="[{lo},{hi}]" used="*" avail="*"/>'


def caps(lo, hi):
    return f'<caps assigned="[{lo},{hi}]" used="*" avail="*"/>'


def error(text, pred_or_name, msg, outcome, child_name=None):
    if isinstance(pred_or_name, str):
        line, col = start_line(text, pred_or_name)
    else:
        line, col = line_of(text, pred_or_name)
    c = f' child="{child_name}"' if child_name else ""
    return f'<error line="{line}" col="{col}"{c} msg="{msg}" outcome="{outcome}"/>'


A = "-&gt;"
HELLO_SRV = '<service name="Hello"> <child name="srv"/> </service>'
NOT_STARTED = "the child is not started"
KEEPS = "the child keeps its previous settings"
IGNORED = "the new config is ignored"

# ---- routing: a child server and its client, sessions to the parent and to init
t = config(srv() + dummy("cl", hello("x") + ' <session service="LOG" label="extra"/>', HELLO_SRV, ' ram="2M"'))
expect("routing",
       child("srv", binary="init_test_child", state="running"),
       child("srv", ram("900K", "1M")),
       child("srv", caps(50, 100)),
       child("cl", binary="dummy", state="running"),
       child("cl", ram("1900K", "2M")),
       child("cl", caps(50, 100)),
       child("cl", req("Hello", f"cl {A} x", "srv")),
       child("srv", prov("Hello", f"cl {A} x", "cl", state="available", ram="8192", caps="2")),
       child("cl", req("ROM", f"cl {A} config", "init")),
       child("srv", req("ROM", f"srv {A} config", "init")),
       child("cl", req("LOG", f"cl {A} extra", "parent")),
       child("cl", req("LOG", f"cl {A} ", "parent")),
       child("cl", absent("<provided/>")),
       '<init ram_quota="*" ram_used="*" ram_avail="*" caps_quota="*" caps_used="*" caps_avail="*"/>',
       absent("<error/>"),
       absent(child("bad")))

# ---- label rewriting at the route's target (each change restarts the client)
for label_attrs, seen, gone in (
        ('label="user"', "user", f"cl {A} x"),
        ('label_prefix="sandbox"', f"sandbox {A} x", "user"),
        ('label_last="z"', f"cl {A} z", f"sandbox {A} x"),
        ('label_prefix="s" label_last="z"', f"s {A} z", f"cl {A} z")):
    config(srv() + dummy("cl", hello("x"), f'<service name="Hello"> <child name="srv" {label_attrs}/> </service>',
                         ' ram="2M"'))
    expect("label rewriting " + label_attrs.replace('"', ""),
           child("cl", req("Hello", seen, "srv")),
           child("srv", prov("Hello", seen, "cl")),
           child("srv", "<provided> " + absent(f'<session label="{gone}"/>') + " </provided>"),
           child("cl", state="running"),
           child("cl", absent('<requested> <session service="LOG" label="cl -&gt; extra"/> </requested>')))

# ---- rules with label conditions, tried in order; an unrouted request is denied
ROUTES = ('<service name="Hello" label="a"> <child name="srv" label="A"/> </service>'
          '<service name="Hello" label_prefix="b"> <child name="srv"/> </service>'
          '<service name="Hello" label_last="d"> <child name="srv" label_last="dd"/> </service>'
          '<service name="Hello" label_suffix="f"> <child name="srv" label="F"/> </service>')
config(srv() + dummy("cl", hello("a", f"b {A} c", f"x {A} d", "e", "ff"), ROUTES, ' ram="2M"'))
expect("route rules with label conditions",
       child("cl", req("Hello", "A", "srv")),
       child("cl", req("Hello", f"cl {A} b {A} c", "srv")),
       child("cl", req("Hello", f"cl {A} x {A} dd", "srv")),
       child("cl", req("Hello", "F", "srv")),
       child("cl", "<requested> " + absent(f'<session label="cl {A} e"/>') + " </requested>"),
       child("srv", prov("Hello", "A", "cl")),
       child("srv", prov("Hello", f"cl {A} x {A} dd", "cl")),
       child("srv", prov("Hello", "F", "cl")),
       child("srv", "<provided> " + absent('<session label="s -&gt; z"/>') + " </provided>"))

# ---- the route of an open session changes: the client is restarted and routed anew
config(srv() + dummy("cl", hello("a", "e"), '<any-service> <child name="srv"/> </any-service>', ' ram="2M"'))
expect("any-service to a child",
       child("cl", req("Hello", f"cl {A} a", "srv")),
       child("cl", req("Hello", f"cl {A} e", "srv")),
       child("srv", prov("Hello", f"cl {A} e", "cl")),
       child("srv", "<provided> " + absent('<session label="A"/>', '<session label="F"/>') + " </provided>"),
       child("cl", req("LOG", f"cl {A} ", "parent")))

# the server is replaced by another child providing the service
config(srv("srv2") + dummy("cl", hello("a", "e"), '<service name="Hello"> <any-child/> </service>', ' ram="2M"'))
expect("server replaced: the client follows it",
       absent(child("srv")),
       child("srv2", state="running"),
       child("cl", req("Hello", f"cl {A} a", "srv2")),
       child("srv2", prov("Hello", f"cl {A} a", "cl")),
       child("srv2", prov("Hello", f"cl {A} e", "cl")),
       child("cl", "<requested> " + absent('<session server="srv"/>') + " </requested>"))

# the route goes away: the client is restarted, its requests are denied
config(srv("srv2") + dummy("cl", hello("a", "e"), "", ' ram="2M"'))
expect("route removed: requests denied",
       child("cl", state="running"),
       child("cl", "<requested> " + absent('<session service="Hello"/>') + " </requested>"),
       child("srv2", absent("<provided/>")),
       child("cl", req("LOG", f"cl {A} ", "parent")))

# the route comes back; a pending request is routed anew
config(srv("srv2") + dummy("cl", hello("a"), '<service name="Hello"> <child name="srv2"/> </service>', ' ram="2M"'))
expect("route back",
       child("cl", req("Hello", f"cl {A} a", "srv2")),
       child("srv2", prov("Hello", f"cl {A} a", "cl")))

# ---- config update: the new embedded config reaches the running child as a
# ROM update; its sessions stay (no restart), the new actions run
BASE = srv("srv2")
R2 = '<service name="Hello"> <child name="srv2"/> </service>'
config(BASE + dummy("cl", '<log string="updated"/> ' + hello("y"), R2, ' ram="2M"'))
expect("config update without restart",
       child("cl", req("Hello", f"cl {A} a", "srv2")),
       child("cl", req("Hello", f"cl {A} y", "srv2")),
       child("srv2", prov("Hello", f"cl {A} y", "cl")),
       child("srv2", prov("Hello", f"cl {A} a", "cl")),
       child("cl", state="running"))

config(BASE + dummy("cl", '<close_sessions/> ' + hello("w"), R2, ' ram="2M"'))
expect("config update: the child closes its sessions",
       child("cl", req("Hello", f"cl {A} w", "srv2")),
       child("cl", "<requested> " + absent(f'<session label="cl {A} a"/>', f'<session label="cl {A} y"/>') + " </requested>"),
       child("srv2", "<provided> " + absent(f'<session label="cl {A} a"/>') + " </provided>"))

# ---- version restart: a fresh child runs the config from the start
config(BASE + dummy("cl", hello("v"), R2, ' ram="2M" version="2"'))
expect("version restart",
       child("cl", req("Hello", f"cl {A} v", "srv2")),
       child("cl", "<requested> " + absent(f'<session label="cl {A} w"/>') + " </requested>"),
       child("srv2", "<provided> " + absent(f'<session label="cl {A} w"/>') + " </provided>"),
       child("cl", state="running"),
       child("cl", ram("1900K", "2M")))

# the version removed restarts it too
config(BASE + dummy("cl", hello("v"), R2, ' ram="2M"'))
expect("version removed: restart",
       child("cl", req("Hello", f"cl {A} v", "srv2")),
       child("cl", state="running"))

# ---- quota: raise at once, reclaim what is unused
config(BASE + dummy("cl", hello("v"), R2, ' ram="4M" caps="150"'))
expect("quota raised",
       child("cl", ram("3968K", "4M")),
       child("cl", caps(114, 150)),
       child("cl", req("Hello", f"cl {A} v", "srv2")),
       child("srv2", ram("900K", "1M")))

config(BASE + dummy("cl", hello("v"), R2, ' ram="3M" caps="120"'))
expect("quota lowered, unused part reclaimed",
       child("cl", ram("2944K", "3M")),
       child("cl", caps(84, 120)),
       child("cl", state="running"))

config(BASE + dummy("cl", hello("v"), R2, ' ram="2M" caps="100"'))
expect("quota lowered again",
       child("cl", ram("1900K", "2M")),
       child("cl", caps(50, 100)),
       child("cl", req("Hello", f"cl {A} v", "srv2")))

# beyond init's budget: an error; the child keeps its quota
t = config(BASE + dummy("cl", hello("v"), R2, ' ram="1G"'))
expect("quota beyond the budget",
       error(t, "cl", "*", KEEPS, "cl"),
       child("cl", ram("1900K", "2M")),
       child("cl", state="running"))

t = config(BASE + dummy("cl", hello("v"), R2, ' ram="2M" caps="100000"'))
expect("caps beyond the budget",
       error(t, "cl", "*", KEEPS, "cl"),
       child("cl", caps(50, 100)))

# ---- exits and faults; a version change brings the child back
CL = dummy("cl", hello("v"), R2, ' ram="2M"')
config(BASE + CL + dummy("ex", '<exit value="3"/>') + dummy("fa", '<fault type="write" addr="0x10"/>') +
       dummy("ex0", '<exit value="0"/>'))
expect("exit and fault",
       child("ex", binary="dummy", state="exited", exit="3"),
       child("ex", '<ram assigned="0" used="0" avail="0"/>', absent("<requested/>")),
       child("ex0", state="exited", exit="0"),
       child("fa", state="faulted", reason="page fault"),
       child("fa", absent("<requested/>")),
       child("cl", state="running"),
       child("srv2", state="running"))

config(BASE + CL + dummy("ex", '<log string="back"/>', attrs=' version="2"') +
       dummy("fa", '<fault type="write" addr="0x10"/>') + dummy("ex0", '<exit value="0"/>'))
expect("exited child restarted by version",
       child("ex", state="running"),
       child("ex", ram("900K", "1M")),
       child("fa", state="faulted"),
       child("ex0", state="exited"))

config(BASE + CL + dummy("fa", '<log string="fixed"/>', attrs=' version="2"'))
expect("children removed, faulted one restarted",
       absent(child("ex")),
       absent(child("ex0")),
       child("fa", state="running"),
       child("fa", req("LOG", f"fa {A} ", "parent")))

# a binary that does not exist: the report says why in words; sub's log
# has the error at the <binary> node, which run/init_test expects at
# NB_BINARY (line, col): keep the two in step
t = config(BASE + CL + '<start name="nb"> <binary name="no_such_binary"/> </start>\n')
NB_BINARY = (37, 5)
if line_of(t, inside("nb", "binary")) != NB_BINARY:
    raise SystemExit("the <binary> of 'nb' is at %s, not %s: update NB_BINARY and run/init_test"
                     % (line_of(t, inside("nb", "binary")), NB_BINARY))
expect("missing binary",
       child("nb", binary="no_such_binary", state="failed", reason="no ROM module"),
       absent(child("fa")),
       child("cl", state="running"))

# ---- config errors of <start> nodes, with their lines
t = config(BASE + CL +
           '<start name="e1" colour="red"> <binary name="dummy"/> </start>\n'
           '<start name="e2"> <config/> </start>\n'
           '<start name="e3"> <binary name="dummy"/> <route> <service name="Hello"> <child name="nobody"/> </service> </route> </start>\n'
           '<start name="e4"> <binary name="dummy"/> <resource name="RAM" quantum="1M"/> </start>\n'
           '<start name="srv2"> <binary name="dummy"/> </start>\n'
           '<start name="e5" ram="0"> <binary name="dummy"/> </start>\n'
           '<start name="e6" priority="-1"> <binary name="dummy"/> </start>\n')
expect("errors of start nodes",
       error(t, "e1", "unknown attribute 'colour' in &lt;start&gt;", NOT_STARTED, "e1"),
       error(t, "e2", "missing &lt;binary name=...&gt; in &lt;start name=&quot;e2&quot;&gt;", NOT_STARTED, "e2"),
       error(t, lambda e: e.tag == "child" and e.get("name") == "nobody", "*", NOT_STARTED, "e3"),
       error(t, lambda e: e.tag == "resource", "unknown node &lt;resource&gt; in &lt;start&gt; (give quota as ram=... caps=... of &lt;start&gt;)", NOT_STARTED, "e4"),
       error(t, lambda e: e.tag == "start" and e.get("name") == "srv2" and e.find("config") is None, "*", "the &lt;start&gt; node is ignored"),
       error(t, "e5", "*", NOT_STARTED, "e5"),
       error(t, "e6", "*", NOT_STARTED, "e6"),
       absent(child("e1"), child("e2"), child("e3"), child("e4"), child("e5"), child("e6")),
       child("srv2", binary="init_test_child", state="running"),
       child("cl", state="running"))

# a typo in a running child's node: it keeps its settings
t = config(BASE + dummy("cl", hello("v"), R2, ' ram="2M" prio="1"'))
expect("typo in a running child",
       error(t, "cl", "unknown attribute 'prio' in &lt;start&gt;", KEEPS, "cl"),
       child("cl", state="running"),
       child("cl", req("Hello", f"cl {A} v", "srv2")),
       absent("<error child=\"e1\"/>"))

# a route to the parent for a service the parent does not provide
t = config(BASE + dummy("cl", hello("v"), '<service name="Hello"> <parent/> <child name="srv2"/> </service>', ' ram="2M"'))
expect("parent target without the service",
       error(t, inside("cl", "parent"), "route target &lt;parent&gt; does not provide 'Hello' (not in &lt;parent-provides&gt;)", KEEPS, "cl"),
       child("cl", req("Hello", f"cl {A} v", "srv2")),
       child("srv2", prov("Hello", f"cl {A} v", "cl")))

# the route target of a running child's session goes away: it is stopped
t = config(dummy("cl", hello("v"), R2, ' ram="2M"'))
expect("route target removed",
       error(t, lambda e: e.tag == "child" and e.get("name") == "srv2", "*", "the child is stopped", "cl"),
       absent(child("srv2")),
       absent(child("cl", state="running")))

config(BASE + CL)
expect("back to a good config",
       child("srv2", state="running"),
       child("cl", state="running"),
       child("cl", req("Hello", f"cl {A} v", "srv2")),
       absent("<error/>"))

# ---- errors at the top level reject the whole config; nothing changes
t = config(BASE + CL + '<frobnicate/>\n')
expect("unknown top-level node",
       error(t, lambda e: e.tag == "frobnicate", "unknown node &lt;frobnicate&gt; in &lt;config&gt;", IGNORED),
       child("cl", state="running"),
       child("srv2", state="running"))

t = config(BASE + dummy("cl", hello("v"), R2, ' ram="2M" version="9"'), top=' prio_levels="3"')
expect("bad prio_levels",
       error(t, lambda e: e.tag == "config", "*", IGNORED),
       child("cl", req("Hello", f"cl {A} v", "srv2")))

t = config(BASE + CL, head=HEAD.replace('<service name="PD"/>', '<service name="PD"/> <service name="PD"/>'))
pd_seen = []
expect("service listed twice in parent-provides",
       error(t, lambda e: e.tag == "service" and e.get("name") == "PD" and (pd_seen.append(e) or len(pd_seen) == 2),
             "service 'PD' is listed twice in &lt;parent-provides&gt;", IGNORED),
       child("srv2", state="running"))

config(BASE + CL)
expect("good config after rejected ones",
       absent("<error/>"),
       child("cl", state="running"))

# ---- priorities: a changed priority restarts the child
config(BASE + dummy("cl", hello("p"), R2, ' ram="2M" priority="-1"'), top=' prio_levels="2"')
expect("priority change restarts",
       child("cl", req("Hello", f"cl {A} p", "srv2")),
       child("cl", state="running"),
       absent("<error/>"))

# ---- report settings
config(BASE + CL, report='<report child_ram="yes"/>\n')
expect("report: only child_ram",
       child("cl", ram("1900K", "2M")),
       child("cl", absent("<caps/>", "<requested/>")),
       child("srv2", absent("<provided/>")),
       absent("<init/>"))

config(BASE + CL, report='<report requested="yes"/>\n')
expect("report: only requested",
       child("cl", absent("<ram/>"), req("Hello", f"cl {A} v", "srv2")),
       child("srv2", absent("<ram/>", "<caps/>")))

config(BASE + CL + dummy("ex", '<exit value="5"/>'), report='<report/>\n')
expect("report: bare",
       child("ex", state="exited", exit="5"),
       child("cl", state="running", binary="dummy"),
       child("cl", absent("<ram/>", "<requested/>")))

# ---- yield-based reclaim: quota the child spent comes back when it yields
Y = ('<alloc size="3M"/> <session service="LOG" label="spent"/>', ' ram="4M"')
config(BASE + CL + dummy("y", Y[0], attrs=Y[1]) + dummy("yn", '<yield respond="no"/> ' + Y[0], attrs=Y[1]))
expect("children spending their quota",
       child("y", state="running"), child("y", ram("3968K", "4M")),
       child("y", '<ram used="[3M,4M]"/>'),
       child("yn", state="running"), child("yn", ram("3968K", "4M")))

config(BASE + CL + dummy("y", Y[0], attrs=' ram="2M"') +
       dummy("yn", '<yield respond="no"/> ' + Y[0], attrs=' ram="2M"'))
expect("quota lowered below what is spent: the child yields",
       child("y", ram("1900K", "2M")),
       child("y", '<ram used="[0,2M]"/>'),
       child("y", state="running"),
       child("yn", '<ram assigned="[3M,3967K]"/>'),
       child("yn", '<ram avail="[0,512K]"/>'),
       child("yn", state="running"),
       absent("<error/>"))

config(BASE + CL + dummy("yn", '<yield respond="no"/> ' + Y[0], attrs=' ram="2M" version="2"'))
expect("a child that does not yield, restarted",
       child("yn", ram("1900K", "2M")),
       absent(child("y")))

# ---- heartbeats: a child that stops answering is restarted after N misses;
# one without restart_after is only counted; one that answers is left alone
# (restart_after="50": a loaded host may delay an answer, not 50 in a row)
HB_HEAD = HEAD.replace('<service name="CPU"/>', '<service name="CPU"/> <service name="Timer"/>')
HB = (dummy("hb", '<log string="hb"/> <heartbeat respond="no"/>',
            attrs="") .replace("</start>", '<heartbeat restart_after="3"/> </start>') +
      dummy("mon", '<heartbeat respond="no"/>').replace("</start>", '<heartbeat/> </start>') +
      dummy("alive", '<log string="alive"/>').replace("</start>", '<heartbeat restart_after="50"/> </start>'))
config(BASE + CL + HB + '<heartbeat rate_ms="50"/>\n', head=HB_HEAD)
expect("heartbeats: restarts after missed beats",
       child("hb", restarts="[1,1000000]"),
       child("mon", skipped_heartbeats="[4,1000000]", state="running"),
       child("mon", absent('<ram assigned="0"/>')),
       absent(child("alive", skipped_heartbeats="[20,1000000]"), child("alive", restarts="*")),
       child("alive", state="running"),
       child("cl", state="running"))

config(BASE + CL + dummy("mon", '<heartbeat respond="yes"/>').replace("</start>", '<heartbeat/> </start>') +
       '<heartbeat rate_ms="50"/>\n', head=HB_HEAD)
expect("heartbeats answered again",
       absent(child("hb")),
       absent(child("mon", skipped_heartbeats="*")),
       child("mon", state="running"))

config(BASE + CL, head=HB_HEAD)
expect("heartbeats off",
       absent(child("mon")),
       child("cl", state="running"),
       absent("<error/>"))

# ---- a config of more than a page (the config ROM grows)
BIG = "".join(dummy(f"big{i}", f'<log string="{"x" * 1500}"/>') for i in range(4))
config(BASE + CL + BIG)
expect("a config of several pages",
       child("big0", state="running"),
       child("big3", state="running", binary="dummy"),
       child("cl", state="running"))
config(BASE + CL)
expect("back to a small config",
       absent(child("big0"), child("big3")),
       child("cl", state="running"))

# ---- services of init to its parent: test_init is the parent's client
def service(policies):
    return f'<service name="Hello"> {policies} </service>\n'


POL = ('<policy label_prefix="test_init -&gt; pre"> <child name="srv2" label="rewritten"/> </policy>'
       '<policy label_last="last"> <child name="srv2" label="LAST"/> </policy>'
       '<default-policy> <child name="srv2"/> </default-policy>')
config(BASE + CL + service(POL))
expect("a service to the parent",
       child("srv2", state="running"),
       absent("<error/>"))
out.append('<hello label="q" expect="test_init -&gt; q"/>\n')
out.append('<hello label="pre1" expect="rewritten"/>\n')
out.append('<hello label="x -&gt; last" expect="LAST"/>\n')
expect("the parent's sessions in the report",
       child("srv2", prov("Hello", f"test_init {A} q", "parent", state="available", ram="8192", caps="2")),
       child("srv2", prov("Hello", "rewritten", "parent")),
       child("srv2", prov("Hello", "LAST", "parent")),
       child("srv2", prov("Hello", f"cl {A} v", "cl")))

config(BASE + CL + service('<default-policy> <child name="srv2" label="other"/> </default-policy>'))
expect("policy changed: the parent's sessions are closed at the server",
       child("srv2", "<provided> " + absent(f'<session client="parent" label="test_init {A} q"/>',
                                           '<session label="rewritten"/>') + " </provided>"),
       child("srv2", prov("Hello", f"cl {A} v", "cl")))
out.append('<hello label="q2" expect="other"/>\n')
expect("a new session by the new policy",
       child("srv2", prov("Hello", "other", "parent")))
out.append('<hello_close/>\n')
expect("sessions closed by the parent",
       child("srv2", "<provided> " + absent('<session client="parent"/>') + " </provided>"),
       child("cl", state="running"))

t = config(BASE + CL + service('<default-policy> <child name="nobody"/> </default-policy>'))
expect("a policy naming no child",
       error(t, lambda e: e.tag == "child" and e.get("name") == "nobody", "*", IGNORED))

sys.stdout.write("<!-- generated by os/init/test_driver/steps.py: edit that, not this -->\n<steps>\n")
sys.stdout.write("".join(out))
sys.stdout.write("</steps>\n")
n = 0
for o in out:
    if o.startswith("<expect"):
        n += o.count("\n") - 2
    if o.startswith("<hello "):
        n += 1
print(f"{versions} configs, {n} steps", file=sys.stderr)
