#!/usr/bin/env python3
"""Screenshot the web console in headless Chromium: open the page `midonet-manager --web PORT`
serves (/, manager-gui/web/console.html: noVNC's RFB client full window), wait until it is
connected and the Manager's screen has been drawn, and save what the browser shows as a PNG.

Drives Chromium through the DevTools protocol (a WebSocket, standard library only), since
`chromium --screenshot` shoots before noVNC's WebSocket has delivered a frame.

    web_chromium.py PORT OUT.png [CHROMIUM]
"""
import base64, json, os, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request


class DevTools:
    """A minimal WebSocket client (text frames) speaking the DevTools protocol."""

    def __init__(self, url):
        host_port, path = url[len("ws://"):].split("/", 1)
        host, port = host_port.split(":")
        self.s = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.s.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise SystemExit("devtools upgrade refused: " + head.decode(errors="replace"))
        self.buf = b""
        self.next_id = 0

    def _send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            hdr = bytes([0x81, 0x80 | n])
        elif n < 65536:
            hdr = bytes([0x81, 0x80 | 126]) + struct.pack(">H", n)
        else:
            hdr = bytes([0x81, 0x80 | 127]) + struct.pack(">Q", n)
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _need(self, k):
        while len(self.buf) < k:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise SystemExit("devtools connection closed")
            self.buf += chunk

    def _message(self):
        out = b""
        while True:
            self._need(2)
            fin, n, off = self.buf[0] & 0x80, self.buf[1] & 0x7F, 2
            if n == 126:
                self._need(4); n = struct.unpack(">H", self.buf[2:4])[0]; off = 4
            elif n == 127:
                self._need(10); n = struct.unpack(">Q", self.buf[2:10])[0]; off = 10
            self._need(off + n)
            out += self.buf[off:off + n]
            self.buf = self.buf[off + n:]
            if fin:
                return json.loads(out)

    def call(self, method, **params):
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            m = self._message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise SystemExit(f"{method}: {m['error']}")
                return m.get("result", {})


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    chromium = sys.argv[3] if len(sys.argv) > 3 else (shutil.which("chromium") or shutil.which("chromium-browser"))
    if not chromium:
        raise SystemExit("web_chromium.py: chromium is not installed (package chromium)")
    profile = tempfile.mkdtemp(prefix="midonet-chromium-")
    args = [chromium, "--headless=new", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1280,800", "about:blank"]
    if os.geteuid() == 0:
        args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        active = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(active) or len(open(active).read().split()) < 2:
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        dport = int(open(active).read().split()[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{dport}/json/list", timeout=10))
        page = next(t for t in targets if t.get("type") == "page")
        dt = DevTools(page["webSocketDebuggerUrl"])
        dt.call("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
        dt.call("Page.navigate", url=f"http://127.0.0.1:{port}/")
        # The page marks the document "connected" once the RFB handshake is done; then the first
        # framebuffer update still has to arrive and be drawn on the canvas.
        probe = ("(() => { const c = document.querySelector('canvas');"
                 " return document.documentElement.classList.contains('connected') && c && c.width > 0"
                 " ? c.width + 'x' + c.height : ''; })()")
        deadline, size = time.time() + 30, ""
        while time.time() < deadline:
            size = dt.call("Runtime.evaluate", expression=probe, returnByValue=True)["result"].get("value", "")
            if size:
                break
            time.sleep(0.25)
        if not size:
            raise SystemExit("noVNC did not connect to the Manager within 30 s")
        # The whole screen has arrived when the canvas' last row is drawn (noVNC starts from a
        # transparent canvas; a full raw update of 1280x800 takes a moment through websockify).
        drawn = ("(() => { const c = document.querySelector('canvas');"
                 " const d = c.getContext('2d').getImageData(0, c.height - 2, c.width, 1).data;"
                 " let n = 0; for (let i = 3; i < d.length; i += 4) n += d[i] > 0 ? 1 : 0;"
                 " return n > c.width / 2; })()")
        while time.time() < deadline:
            if dt.call("Runtime.evaluate", expression=drawn, returnByValue=True)["result"].get("value"):
                break
            time.sleep(0.25)
        else:
            raise SystemExit("noVNC connected but the Manager's screen was not drawn within 30 s")
        time.sleep(1.0)  # later updates (the map settling) drawn too
        shot = dt.call("Page.captureScreenshot", format="png")
        with open(out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(f"saved {out} (Chromium, noVNC canvas {size}) from http://127.0.0.1:{port}/")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
