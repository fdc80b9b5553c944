#!/usr/bin/env python3
"""Resize QEMU's display the way a VNC viewer's window does (run/gui_test_virtio):
`vnc_resize.py SOCKET WIDTH HEIGHT` connects to QEMU's VNC server on the
Unix socket, announces the ExtendedDesktopSize pseudo-encoding and sends
SetDesktopSize (RFB 3.8, RFC 6143; the message of the ExtendedDesktopSize
extension, type 251, one screen). QEMU passes the size to the display
device as its UI size: virtio-gpu raises VIRTIO_GPU_EVENT_DISPLAY with the
new preferred mode of scanout 0. QEMU 7.2 has no QMP command for it."""
import socket
import struct
import sys
import time

ENC_EXTENDED_DESKTOP_SIZE = -308
ENC_DESKTOP_SIZE = -223


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError("VNC server closed the connection")
        data += chunk
    return data


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: vnc_resize.py SOCKET WIDTH HEIGHT")
    path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    deadline = time.monotonic() + 30
    while True:
        try:
            s.connect(path)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    s.settimeout(30)
    version = recv_exact(s, 12)
    if not version.startswith(b"RFB 003."):
        sys.exit("vnc_resize: not an RFB server: %r" % version)
    s.sendall(b"RFB 003.008\n")
    n = recv_exact(s, 1)[0]
    types = recv_exact(s, n)
    if 1 not in types:
        sys.exit("vnc_resize: the server wants authentication (%r)" % list(types))
    s.sendall(bytes([1]))
    if struct.unpack(">I", recv_exact(s, 4))[0] != 0:
        sys.exit("vnc_resize: security handshake failed")
    s.sendall(bytes([1]))                                  # ClientInit: shared
    sw, sh = struct.unpack(">HH", recv_exact(s, 4))
    recv_exact(s, 16)                                      # pixel format
    recv_exact(s, struct.unpack(">I", recv_exact(s, 4))[0])  # name
    s.sendall(struct.pack(">BBHii", 2, 0, 2, ENC_EXTENDED_DESKTOP_SIZE, ENC_DESKTOP_SIZE))
    # an update request makes the server tell the encodings' features
    s.sendall(struct.pack(">BBHHHH", 3, 0, 0, 0, sw, sh))
    time.sleep(0.2)
    s.sendall(struct.pack(">BBHHBB", 251, 0, w, h, 1, 0) +
              struct.pack(">IHHHHI", 0, 0, 0, w, h, 0))
    time.sleep(0.5)
    s.close()
    print("vnc_resize: asked for %dx%d (the display was %dx%d)" % (w, h, sw, sh), flush=True)


if __name__ == "__main__":
    main()
