#!/usr/bin/env python3
"""The host-side peer of run/net_bad_frames (docs/network.md): a second host
on the QEMU hub of Argil's NIC that sends malformed frames of every layer.

    net_bad_frames.py peer WORK      the wire between Argil's NIC and QEMU's
                                     user network, on Unix datagram sockets
                                     in WORK (QEMU's `-netdev dgram`: the
                                     NIC's at WORK/peer-nic.sock, the user
                                     network's hub at WORK/peer-lan.sock):
                                     relays frames both ways, and as a host
                                     of its own on it sends the frames to the
                                     NIC only (slirp never sees them), probes
                                     after each group, then writes
                                     WORK/bad_frames.json and WORK/bad_done
                                     and relays on until stopped
    net_bad_frames.py serve WORK     QEMU's guestfwd command: wait for
                                     WORK/bad_done, then run
                                     WORK/net_test_http.py WORK (so the
                                     download comes after the frames)
    net_bad_frames.py --check WORK LOG
                                     after the run: the peer finished, every
                                     frame it sent that nic_router's parsers
                                     must refuse was counted (the report
                                     line of the scenario's `counters`
                                     component), and the SHA-256 fetchurl
                                     logged is the file's

Nothing here uses IP: the peer talks to QEMU through Unix sockets in WORK.
Groups: Ethernet, ARP, IPv4, ICMP, TCP, UDP, DHCP; each has "bad" frames
(refused by a parser of nic_router: counted as bad in the uplink domain,
the paced part the test counts) and "odd" ones (well-formed but unusual:
IP options, fragments, TTL 0 and 1, length lies that parse, spoofed
sources, oversized and runt frames, DHCP with malformed options) sent to
the router and through it to the lwIP stack of fetchurl (10.0.1.2, routed
from the uplink into domain "apps"). After each group an ICMP echo to the
router (10.0.2.15) and one to fetchurl's stack must be answered. Then a
burst of BURST frames: random single-byte mutations of all the others,
none of which may claim slirp's addresses (that would be ARP spoofing of
the gateway, which no router can tell from the truth), then the probes
again. Python 3 stdlib only.
"""
import hashlib
import json
import os
import random
import re
import socket
import struct
import sys
import threading
import time

ROUTER_MAC = bytes.fromhex("525400123401")   # the NIC's (run/net_bad_frames)
PEER_MAC = bytes.fromhex("525400abcdef")
BCAST = b"\xff" * 6
ROUTER_IP = bytes([10, 0, 2, 15])
PEER_IP = bytes([10, 0, 2, 50])
APP_IP = bytes([10, 0, 1, 2])
# no frame claims slirp's addresses or the router's with another MAC (the
# router would learn a lie about its gateway, which is no malformed frame)
SLIRP_IPS = (bytes([10, 0, 2, 2]), bytes([10, 0, 2, 3]))
BURST = 3000
BURST_CHUNK = 32           # frames at once, then 10 ms
PROBE_TRIES = 150          # every 0.2 s
BAD_TOTAL = 40             # the frames of the "bad" lists below (checked)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def eth(payload, dst=ROUTER_MAC, src=PEER_MAC, etype=0x0800):
    return dst + src + struct.pack("!H", etype) + payload


def ipv4(payload, proto, src=PEER_IP, dst=ROUTER_IP, ttl=64, frag=0, options=b"",
         total=None, ihl=None, version=4, bad_csum=False, ident=0x1234):
    hl = 20 + len(options)
    h = struct.pack("!BBHHHBBH4s4s", (version << 4) | ((hl // 4) if ihl is None else ihl), 0,
                    hl + len(payload) if total is None else total, ident, frag, ttl, proto, 0,
                    src, dst) + options
    c = csum(h)
    if bad_csum:
        c ^= 0x5a5a
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def pseudo(src, dst, proto, length):
    return src + dst + struct.pack("!BBH", 0, proto, length)


def tcp(sport=40000, dport=80, flags=0x02, options=b"", data=b"", doff=None, src=PEER_IP,
        dst=ROUTER_IP, bad_csum=False, seq=1000, ack=0):
    hl = 20 + len(options)
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack,
                    ((hl // 4) if doff is None else doff) << 4, flags, 8192, 0, 0) + options + data
    c = csum(pseudo(src, dst, 6, len(h)) + h)
    if bad_csum:
        c ^= 0x5a5a
    return h[:16] + struct.pack("!H", c) + h[18:]


def tcp_ip(seg, src=PEER_IP, dst=ROUTER_IP, **kw):
    return eth(ipv4(seg, 6, src=src, dst=dst, **kw))


def udp(sport=40000, dport=9, data=b"x" * 16, length=None, src=PEER_IP, dst=ROUTER_IP,
        bad_csum=False, no_csum=False):
    ln = 8 + len(data) if length is None else length
    h = struct.pack("!HHHH", sport, dport, ln, 0) + data
    c = 0
    if not no_csum:
        c = csum(pseudo(src, dst, 17, ln) + (h[:ln] if ln <= len(h) else h)) or 0xffff
    if bad_csum:
        c ^= 0x5a5a
    return h[:6] + struct.pack("!H", c) + h[8:]


def udp_ip(dgram, src=PEER_IP, dst=ROUTER_IP, **kw):
    return eth(ipv4(dgram, 17, src=src, dst=dst, **kw))


def icmp(itype=8, code=0, ident=0x4242, seq=0, data=b"argil", bad_csum=False):
    h = struct.pack("!BBHHH", itype, code, 0, ident, seq) + data
    c = csum(h)
    if bad_csum:
        c ^= 0x5a5a
    return h[:2] + struct.pack("!H", c) + h[4:]


def arp(op=1, sha=PEER_MAC, spa=PEER_IP, tha=b"\0" * 6, tpa=ROUTER_IP, htype=1, ptype=0x0800,
        hlen=6, plen=4, dst=BCAST):
    return eth(struct.pack("!HHBBH", htype, ptype, hlen, plen, op) + sha + spa + tha + tpa,
               dst=dst, etype=0x0806)


def dhcp(options, op=1, magic=0x63825363, hlen=6, dst_ip=b"\xff" * 4, src_ip=b"\0" * 4,
         sport=68, dport=67, dst=BCAST):
    body = struct.pack("!BBBBIHH4s4s4s4s", op, 1, hlen, 0, 0x1badf00d, 0, 0x8000, b"\0" * 4,
                       b"\0" * 4, b"\0" * 4, b"\0" * 4) + PEER_MAC + b"\0" * 10 + b"\0" * 192
    body += struct.pack("!I", magic) + options
    return eth(ipv4(udp(sport, dport, body, src=src_ip, dst=dst_ip), 17, src=src_ip, dst=dst_ip),
               dst=dst)


def groups():
    """[(name, bad frames, odd frames)]"""
    g = []
    # -- Ethernet
    g.append(("ethernet", [
        eth(b"\0" * 46, etype=0x0030),                           # an 802.3 length
        eth(b"\0" * 46, etype=0x8100),                           # a VLAN tag
        eth(b"\0" * 46, etype=0x88a8),                           # QinQ
        eth(ipv4(icmp(), 1), src=b"\x01\x00\x5e\x00\x00\x01"),   # a group source address
    ], [
        ROUTER_MAC + PEER_MAC[:4],                               # runts (the NIC pads them)
        ROUTER_MAC,
        eth(b""),                                                 # a header only
        eth(b"\0" * 46, etype=0x86dd),                           # IPv6: not spoken
        eth(b"\0" * 46, etype=0x88cc),                           # LLDP
        eth(b"\xab" * 1501),                                      # 1515 bytes: one too many
        eth(b"\xab" * 1508),                                      # 1522 bytes
        eth(b"\xab" * 1586),                                      # 1600 bytes
        eth(b"\xab" * 8986),                                      # a jumbo frame
        eth(ipv4(icmp(), 1), dst=BCAST),                          # broadcast IP to the router
        eth(ipv4(icmp(), 1), src=ROUTER_MAC),                     # from the router's own MAC
        eth(ipv4(icmp(), 1), dst=b"\x01\x00\x5e\x00\x00\xfb"),   # multicast
    ]))
    # -- ARP
    g.append(("arp", [
        arp(hlen=8), arp(plen=6), arp(htype=6), arp(ptype=0x86dd), arp(op=3),
        arp(sha=b"\x01\x00\x5e\x00\x00\x01"),
    ], [
        eth(b"\0\x01\x08\x00\x06\x04\0\x01", dst=BCAST, etype=0x0806),   # cut short (padded)
        arp(tpa=bytes([10, 0, 2, 99])),                                 # for nobody
        arp(op=2, tha=ROUTER_MAC, dst=ROUTER_MAC),                        # an unasked reply
        arp(op=2, spa=ROUTER_IP, sha=ROUTER_MAC, dst=BCAST),              # the router's, by another
        arp(spa=b"\0\0\0\0"),                                             # a probe (RFC 5227)
        arp(spa=ROUTER_IP, sha=ROUTER_MAC),                               # from the router itself
        arp(tpa=ROUTER_IP, dst=ROUTER_MAC) + b"\xee" * 100,               # trailing bytes
    ]))
    # -- IPv4 (to the router's address)
    ic = icmp()
    g.append(("ipv4", [
        eth(ipv4(ic, 1, version=6)),
        eth(ipv4(ic, 1, ihl=4)),
        eth(ipv4(ic, 1, ihl=15, total=40)),
        eth(ipv4(ic, 1, total=1000)),
        eth(ipv4(ic, 1, total=10)),
        eth(ipv4(ic, 1, bad_csum=True)),
        eth(ipv4(ic, 1, frag=0x8000)),                           # the reserved flag
        eth(ipv4(ic, 1, frag=0x6000)),                           # DF and MF
        eth(ipv4(ic, 1, frag=0x1fff)),                           # past 65535
        eth(ipv4(ic, 1, src=bytes([224, 0, 0, 1]))),
        eth(ipv4(ic, 1, src=b"\xff" * 4)),
    ], [
        eth(ipv4(ic, 1, options=b"\x01\x01\x01\x00")),           # NOPs and end of list
        eth(ipv4(ic, 1, options=b"\x07\x07\x04\0\0\0\0\0")),     # record route
        eth(ipv4(ic, 1, options=b"\x44\x28" + b"\0" * 38)),      # a 40-byte timestamp option
        eth(ipv4(ic, 1, options=b"\x07\xff\x04\0")),             # an option longer than the header
        eth(ipv4(ic, 1, ttl=0)),
        eth(ipv4(ic, 1, frag=0x2000)),                           # a first fragment, never completed
        eth(ipv4(ic, 1, frag=0x0001)),                           # a lone later fragment
        eth(ipv4(ic, 1, total=20 + len(ic) - 2)),                # shorter than the frame
        eth(ipv4(ic, 1, src=b"\0\0\0\0")),
        eth(ipv4(ic, 1, src=ROUTER_IP)),                         # spoofing the router
        eth(ipv4(ic, 1, dst=b"\xff" * 4), dst=BCAST),
        eth(ipv4(ic, 1, dst=bytes([10, 0, 9, 9]))),              # nowhere
        eth(ipv4(b"\0" * 20, 99)),                               # an unknown protocol
        # through the router into domain "apps", to fetchurl's lwIP
        eth(ipv4(ic, 1, dst=APP_IP, options=b"\x07\x07\x04\0\0\0\0\0")),
        eth(ipv4(ic, 1, dst=APP_IP, ttl=1)),
        eth(ipv4(ic, 1, dst=APP_IP, options=b"\x83\x03\x00\x00")),   # loose source route, short
        eth(ipv4(b"\0" * 20, 99, dst=APP_IP)),
        eth(ipv4(b"\0" * 20, 6, dst=APP_IP, frag=0x2000, ident=7)),  # overlapping fragments
        eth(ipv4(b"\1" * 24, 6, dst=APP_IP, frag=0x0001, ident=7)),
        eth(ipv4(b"\2" * 8, 6, dst=APP_IP, frag=0x0002, ident=7)),
        eth(ipv4(b"\3" * 8, 17, dst=APP_IP, frag=0x1ffe, ident=8)),  # at the end of 64 KiB
    ] + [eth(ipv4(b"\4" * 8, 17, dst=APP_IP, frag=0x2000 | i, ident=9)) for i in range(0, 64, 2)]
      + fragmented_echo()))
    # -- ICMP
    g.append(("icmp", [
        eth(ipv4(b"\x08\0\xf7\xff", 1)),                         # 4 bytes
        eth(ipv4(icmp(bad_csum=True), 1)),
        eth(ipv4(icmp(code=1), 1)),
    ], [
        eth(ipv4(icmp(itype=0), 1)),                              # an unasked reply
        eth(ipv4(icmp(itype=3, code=3, data=b"\0" * 28), 1)),     # unreachable, quoting nothing
        eth(ipv4(icmp(itype=13), 1)),                             # timestamp
        eth(ipv4(icmp(itype=5, data=b"\xff" * 8), 1, dst=APP_IP)),  # a redirect to lwIP
        eth(ipv4(icmp(itype=3, code=4, data=ipv4(b"\0" * 8, 6, src=APP_IP, dst=PEER_IP)), 1,
                 dst=APP_IP)),                                    # "fragmentation needed"
        eth(ipv4(icmp(itype=8, data=b"\0" * 1400), 1, dst=APP_IP)),
        eth(ipv4(icmp(itype=8, data=b"\0" * 1472), 1)),          # the largest echo to the router
    ]))
    # -- TCP
    g.append(("tcp", [
        tcp_ip(tcp()[:16]),                                       # 16 bytes
        tcp_ip(tcp(doff=4)),
        tcp_ip(tcp(doff=15)),
        tcp_ip(tcp(bad_csum=True)),
        tcp_ip(tcp(sport=0)),
        tcp_ip(tcp(flags=0x03)),                                  # SYN FIN
        tcp_ip(tcp(flags=0x06)),                                  # SYN RST
        tcp_ip(tcp(options=b"\x02\x03\x05\xb4")),                 # MSS of length 3
        tcp_ip(tcp(options=b"\x05\x00\x00\x00")),                 # length 0
        tcp_ip(tcp(options=b"\x01\x01\x13\x10")),                 # longer than the header
        tcp_ip(tcp(options=b"\x03\x04\x07\x00")),                 # window scale of length 4
    ], [
        tcp_ip(tcp(dport=7)),                                     # a SYN to the router: no forward
        tcp_ip(tcp(flags=0x04, dport=50000)),                     # RST for no mapping
        tcp_ip(tcp(options=b"\x63\x04\0\0")),                     # an unknown option
        tcp_ip(tcp(flags=0x02, dport=1234, dst=APP_IP), dst=APP_IP),   # SYN to a closed port
        tcp_ip(tcp(flags=0x10, dport=1234, dst=APP_IP, data=b"data"), dst=APP_IP),
        tcp_ip(tcp(flags=0x02, dport=1234, dst=APP_IP,
                   options=b"\x02\x04\0\x01\x03\x03\x0e\x04\x02\x08\x0a" + b"\0" * 9),
               dst=APP_IP),                                       # MSS 1, wscale 14, timestamps
        tcp_ip(tcp(flags=0x39, dport=1235, dst=APP_IP, data=b"u"), dst=APP_IP),  # URG ACK PSH FIN
        tcp_ip(tcp(flags=0x29, dport=1236, dst=APP_IP), dst=APP_IP),   # FIN PSH URG
        tcp_ip(tcp(flags=0x00, dport=1237, dst=APP_IP, data=b"null"), dst=APP_IP),
    ]))
    # -- UDP
    g.append(("udp", [
        udp_ip(udp()[:4]),                                        # 4 bytes
        udp_ip(udp(length=4)),
        udp_ip(udp(length=200)),                                  # longer than the packet
        udp_ip(udp(dport=0)),
        udp_ip(udp(bad_csum=True)),
    ], [
        udp_ip(udp(length=12)),                                   # shorter than the packet
        udp_ip(udp(no_csum=True)),
        udp_ip(udp(dport=1234, dst=APP_IP), dst=APP_IP),          # to a closed port of lwIP
        udp_ip(udp(dport=1234, dst=APP_IP, length=12), dst=APP_IP),
        udp_ip(udp(dport=53, dst=APP_IP, data=b"\0" * 1400), dst=APP_IP),
        udp_ip(udp(dport=68, dst=APP_IP, data=b"\0" * 300), dst=APP_IP),
    ]))
    # -- DHCP (requests to the broadcast, replies to the router's address)
    msg = b"\x35\x01\x01"
    g.append(("dhcp", [], [
        dhcp(msg + b"\x0c\xff" + b"x" * 10),                      # an option past the end
        dhcp(msg + b"\x0c\x04host"),                              # no end option
        dhcp(msg + b"\x34\x01\x03\xff"),                          # option overload
        dhcp(b"\x35\x02\x01\x01\xff"),                            # message type of length 2
        dhcp(msg + b"\x01\x03\xff\xff\xff\xff"),                  # a 3-byte subnet mask
        dhcp(msg + b"\xff", magic=0x12345678),
        dhcp(msg + b"\xff", hlen=16),
        dhcp(b"\0" * 300 + msg + b"\xff"),                        # padding galore
        dhcp(b"", op=2)[:-40],                                    # cut in the fixed part
        dhcp(b"\x35\x01\x02\x36\x04\x0a\x00\x02\x32\x01\x04\xff\xff\xff\x00\x03\x02\x0a\x00"
             b"\xff", op=2, dst_ip=ROUTER_IP, src_ip=PEER_IP, sport=67, dport=68,
             dst=ROUTER_MAC),                                     # an OFFER with a 2-byte router
        dhcp(b"\x35\x01\x05\x33\x04\0\0\0\x01" + b"\x06\x08" + b"\x0a\0\0\x01" * 2 +
             b"\x35\x01\x05",
             op=2, dst_ip=ROUTER_IP, src_ip=PEER_IP, sport=67, dport=68,
             dst=ROUTER_MAC),                                     # an ACK, two types, no end
    ]))
    return g


def fragmented_echo():
    """An echo request to fetchurl's stack in two fragments (lwIP reassembles
    it and answers through the router's NAT)."""
    ic = icmp(ident=0x77, seq=1, data=bytes(range(256)) * 4)
    return [eth(ipv4(ic[:512], 1, dst=APP_IP, frag=0x2000, ident=0x55)),
            eth(ipv4(ic[512:], 1, dst=APP_IP, frag=512 // 8, ident=0x55))]


def claims_slirp(f):
    """Would the frame teach someone that slirp's addresses are elsewhere?"""
    if len(f) >= 42 and f[12:14] == b"\x08\x06":
        return f[28:32] in SLIRP_IPS + (ROUTER_IP,)
    if len(f) >= 34 and f[12:14] == b"\x08\x00":
        return f[26:30] in SLIRP_IPS
    return False


class Peer:
    def __init__(self, work):
        self.work = work
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(os.path.join(work, "peer-nic.sock"))
        self.dest = os.path.join(work, "qemu-nic.sock")
        self.lock = threading.Lock()
        self.answers = set()
        self.received = 0
        self.sent = 0
        self.send_errors = 0
        self.lan = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.lan.bind(os.path.join(work, "peer-lan.sock"))
        self.lan_dest = os.path.join(work, "qemu-lan.sock")
        self.relayed = [0, 0]
        threading.Thread(target=self.receive, daemon=True).start()
        threading.Thread(target=self.relay_in, daemon=True).start()

    def send(self, frame):
        try:
            self.sock.sendto(frame, self.dest)
            self.sent += 1
        except OSError:
            self.send_errors += 1   # QEMU's queue full: the wire lost it

    def relay_in(self):
        """The user network's frames to the NIC."""
        while True:
            f = self.lan.recv(65536)
            try:
                self.sock.sendto(f, self.dest)
                self.relayed[1] += 1
            except OSError:
                pass

    def receive(self):
        """The NIC's frames: to the user network, and the peer's own."""
        while True:
            f = self.sock.recv(65536)
            try:
                self.lan.sendto(f, self.lan_dest)
                self.relayed[0] += 1
            except OSError:
                pass
            with self.lock:
                self.received += 1
            if len(f) >= 42 and f[12:14] == b"\x08\x06" and f[20:22] == b"\0\x01" \
                    and f[38:42] == PEER_IP:
                self.send(arp(op=2, tha=f[22:28], tpa=f[28:32], dst=f[6:12]))
            elif len(f) >= 34 and f[12:14] == b"\x08\x00" and f[23] == 1 and f[6:12] != PEER_MAC:
                hl = (f[14] & 15) * 4
                icm = f[14 + hl:]
                if len(icm) >= 8 and icm[0] == 0:
                    with self.lock:
                        self.answers.add(bytes(icm[8:]))

    def probe(self, dst, token, tries=PROBE_TRIES):
        data = b"argil probe " + token.encode()
        for n in range(tries):
            self.send(eth(ipv4(icmp(seq=n, data=data), 1, dst=dst)))
            time.sleep(0.2)
            with self.lock:
                if data in self.answers:
                    return n + 1
        return 0


def run_peer(work):
    p = Peer(work)
    rng = random.Random(12)
    g = groups()
    nbad = sum(len(b) for _, b, _ in g)
    if nbad != BAD_TOTAL:
        print("net_bad_frames: %d bad frames, BAD_TOTAL says %d" % (nbad, BAD_TOTAL))
        return 1
    everything = [f for _, b, o in g for f in b + o]
    stats = {"bad": 0, "odd": 0, "burst": BURST, "groups": {}}

    def probes(after, tries=PROBE_TRIES):
        for name, dst in (("router", ROUTER_IP), ("fetchurl", APP_IP)):
            n = p.probe(dst, "%s %s" % (after, name), tries)
            if not n:
                print("net_bad_frames: no echo from %s (%s) after %s" %
                      (name, socket.inet_ntoa(dst), after))
                return False
            print("net_bad_frames: %s answered after %s (%d requests)" % (name, after, n))
        return True

    if not probes("start", 1500):        # the system boots meanwhile
        return 1
    for name, bad, odd in g:
        for f in bad:
            p.send(f)
            time.sleep(0.01)
        for f in odd:
            p.send(f)
            time.sleep(0.01)
        stats["bad"] += len(bad)
        stats["odd"] += len(odd)
        stats["groups"][name] = [len(bad), len(odd)]
        print("net_bad_frames: %s: %d bad, %d odd frames sent" % (name, len(bad), len(odd)))
        if not probes(name):
            return 1
    for i in range(BURST):
        while True:
            f = bytearray(rng.choice(everything))
            for _ in range(rng.randint(1, 3)):
                f[rng.randrange(len(f))] = rng.randrange(256)
            if not claims_slirp(f):
                break
        p.send(bytes(f))
        if i % BURST_CHUNK == BURST_CHUNK - 1:
            time.sleep(0.01)    # most of them into the NIC's ring, not past it
    print("net_bad_frames: burst of %d mutated frames sent (%d refused by the socket)" %
          (BURST, p.send_errors))
    time.sleep(1)
    if not probes("burst"):
        return 1
    stats.update(sent=p.sent, received=p.received, send_errors=p.send_errors,
                 relayed=p.relayed)
    with open(os.path.join(work, "bad_frames.json"), "w") as f:
        json.dump(stats, f)
    open(os.path.join(work, "bad_done"), "w").close()
    print("net_bad_frames: done: %d frames sent, %d received; the download may start" %
          (p.sent, p.received))
    sys.stdout.flush()
    while True:             # relay on, answer ARP for the peer's address
        time.sleep(3600)


def serve(work):
    while not os.path.exists(os.path.join(work, "bad_done")):
        time.sleep(0.1)
    os.execvp(sys.executable, [sys.executable, os.path.join(work, "net_test_http.py"), work])


def check(work, log):
    ok = True
    try:
        stats = json.load(open(os.path.join(work, "bad_frames.json")))
    except OSError:
        print("net_bad_frames: the peer did not finish")
        return False
    text = open(log, errors="replace").read()
    m = re.search(r"counters: uplink rx=(\d+) bad=(\d+) dropped=(\d+) echo=(\d+); "
                  r"at least (\d+) bad$", text, re.M)
    if not m:
        print("net_bad_frames: no counters line")
        return False
    bad, least = int(m.group(2)), int(m.group(5))
    print("net_bad_frames: peer sent %d bad, %d odd, %d burst frames; nic_router counted %s bad"
          % (stats["bad"], stats["odd"], stats["burst"], bad))
    if least != stats["bad"] or bad < stats["bad"]:
        print("net_bad_frames: the counters component waited for %d bad frames, the peer "
              "sent %d" % (least, stats["bad"]))
        ok = False
    want = hashlib.sha256(open(os.path.join(work, "file.bin"), "rb").read()).hexdigest()
    got = re.findall(r"fetchurl: \S+: \d+ bytes in \d+ ms, \d+ attempts, sha256 ([0-9a-f]{64})$",
                     text, re.M)
    print("net_bad_frames: host sha256 %s, guest: %s" % (want, " ".join(got)))
    if got != [want]:
        ok = False
    return ok


def main():
    a = sys.argv[1:]
    if len(a) == 2 and a[0] == "peer":
        sys.exit(run_peer(a[1]))
    if len(a) == 2 and a[0] == "serve":
        serve(a[1])
    if len(a) == 3 and a[0] == "--check":
        sys.exit(0 if check(a[1], a[2]) else 1)
    print(__doc__)
    sys.exit(2)


if __name__ == "__main__":
    main()
