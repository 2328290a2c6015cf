#!/usr/bin/env python3
"""Grab what a browser would show of `midonet-manager --web PORT`: connect to websockify's
WebSocket exactly as noVNC does (ws://HOST:PORT/websockify, binary frames), speak RFB (VNC) to
the Qt VNC platform plugin, request one full framebuffer in raw encoding and save it as a PNG.
Also checks that noVNC's page itself is served. Standard library only.

    web_snapshot.py PORT OUT.png
"""
import base64, os, socket, struct, sys, urllib.request, zlib


class WebSocket:
    def __init__(self, host, port, path):
        self.s = socket.create_connection((host, port), timeout=20)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.s.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise SystemExit("websocket upgrade refused: " + head.decode(errors="replace"))
        self.buf = b""

    def send(self, data):
        mask = os.urandom(4)
        n = len(data)
        hdr = bytes([0x82]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n))
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _frame(self):
        def need(k):
            while len(self.buf) < k:
                chunk = self.s.recv(65536)
                if not chunk:
                    raise SystemExit("connection closed")
                self.buf += chunk
        need(2)
        n = self.buf[1] & 0x7F
        off = 2
        if n == 126:
            need(4); n = struct.unpack(">H", self.buf[2:4])[0]; off = 4
        elif n == 127:
            need(10); n = struct.unpack(">Q", self.buf[2:10])[0]; off = 10
        need(off + n)
        payload, self.buf = self.buf[off:off + n], self.buf[off + n:]
        return payload

    def recv(self, k, _pending=[b""]):
        while len(_pending[0]) < k:
            _pending[0] += self._frame()
        out, _pending[0] = _pending[0][:k], _pending[0][k:]
        return out


def png(path, w, h, rgb_rows):
    raw = b"".join(b"\x00" + r for r in rgb_rows)
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/vnc.html", timeout=10).read()
    assert b"noVNC" in page, "noVNC page not served"
    console = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
    assert b"MidoNet Manager" in console and b"core/rfb.js" in console, "the console page is not served"
    ws = WebSocket("127.0.0.1", port, "/websockify")
    version = ws.recv(12)
    ws.send(b"RFB 003.008\n" if version >= b"RFB 003.008" else version)
    if version >= b"RFB 003.007":
        types = ws.recv(ws.recv(1)[0])
        assert 1 in types, "VNC server wants authentication"
        ws.send(b"\x01")
        assert struct.unpack(">I", ws.recv(4))[0] == 0, "security handshake failed"
    else:
        assert struct.unpack(">I", ws.recv(4))[0] == 1
    ws.send(b"\x01")  # shared
    w, h = struct.unpack(">HH", ws.recv(4))
    ws.recv(16)
    ws.recv(struct.unpack(">I", ws.recv(4))[0])  # desktop name
    # 32 bpp, depth 24, little endian, true colour, 8 bits each, red shift 16, green 8, blue 0:
    # Qt's own layout. (noVNC asks for red shift 0 / blue 16, which Qt's VNC server ignores at
    # depth 32 -- QTBUG-108558 -- so browsers get red and blue swapped; the console page
    # manager-gui/web/console.html swaps them back, and web_chromium.py shoots that page.)
    ws.send(struct.pack(">B3xBBBBHHHBBB3x", 0, 32, 24, 0, 1, 255, 255, 255, 16, 8, 0))
    ws.send(struct.pack(">BxHi", 2, 1, 0))  # raw encoding only
    ws.send(struct.pack(">BBHHHH", 3, 0, 0, 0, w, h))
    fb = bytearray(w * h * 3)
    covered = 0
    while covered < w * h:
        kind = ws.recv(1)[0]
        if kind != 0:
            raise SystemExit(f"unexpected server message {kind}")
        ws.recv(1)
        for _ in range(struct.unpack(">H", ws.recv(2))[0]):
            x, y, rw, rh, enc = struct.unpack(">HHHHi", ws.recv(12))
            if enc != 0:
                raise SystemExit(f"unexpected encoding {enc}")
            data = ws.recv(rw * rh * 4)
            for row in range(rh):
                src = data[row * rw * 4:(row + 1) * rw * 4]
                line = bytearray(rw * 3)
                line[0::3], line[1::3], line[2::3] = src[2::4], src[1::4], src[0::4]
                start = ((y + row) * w + x) * 3
                fb[start:start + rw * 3] = line
            covered += rw * rh
    png(out, w, h, [bytes(fb[r * w * 3:(r + 1) * w * 3]) for r in range(h)])
    print(f"saved {out} ({w}x{h}) through noVNC's websocket on port {port}")


if __name__ == "__main__":
    main()
