#!/usr/bin/env python3
# An 802.1Q trunk port for a switch built from plain Linux bridges, one bridge per VLAN: frames
# arriving on TRUNK tagged VID leave untagged on that VLAN's interface (a veth into the VLAN's
# bridge); frames arriving there leave on TRUNK tagged VID. Untagged frames and unknown VLANs on
# the trunk are dropped, as a switch port in trunk mode does.
#
# Why: l2gw.sh wants a physical switch with VLANs. A Linux bridge with vlan_filtering 1 is that
# switch, but kernels built without CONFIG_BRIDGE_VLAN_FILTERING (and without 802.1Q links or
# tc's vlan action) cannot do it; there l2gw.sh uses per-VLAN bridges joined to the trunks by
# this relay. MAC learning and flooding stay the kernel bridges'.
#
# usage: vlan_trunk_relay.py TRUNK VID:IFACE [VID:IFACE...]
import select
import socket
import struct
import sys

ETH_P_ALL = 3
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_IGNORE_OUTGOING = 23
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 1 << 4
TPID = 0x8100


def open_socket(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    # The kernel may hand a received tag beside the frame (VLAN offload): ask for it.
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    try:
        s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
    except OSError:
        pass  # older kernels: outgoing frames are filtered by packet type below
    s.bind((ifname, 0))
    return s


def receive(s):
    """The next frame on s and its offloaded VLAN TCI (None if none), or (None, None)."""
    data, ancillary, _flags, addr = s.recvmsg(65536, socket.CMSG_SPACE(20))
    if addr[2] == PACKET_OUTGOING:
        return None, None
    tci = None
    for level, kind, d in ancillary:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(d) >= 20:
            status, _len, _snap, _mac, _net, vtci, _tpid = struct.unpack("IIIHHHH", d[:20])
            if status & TP_STATUS_VLAN_VALID:
                tci = vtci
    return data, tci


def main():
    trunk = open_socket(sys.argv[1])
    access = {}   # vid -> socket
    vid_of = {}   # socket fd -> vid
    for arg in sys.argv[2:]:
        vid, ifname = arg.split(":")
        s = open_socket(ifname)
        access[int(vid)] = s
        vid_of[s.fileno()] = int(vid)
    readers = [trunk] + list(access.values())
    while True:
        ready, _, _ = select.select(readers, [], [])
        for s in ready:
            data, tci = receive(s)
            if data is None or len(data) < 14:
                continue
            if s is trunk:
                if tci is None and len(data) >= 18 and struct.unpack("!H", data[12:14])[0] == TPID:
                    tci = struct.unpack("!H", data[14:16])[0]
                    data = data[:12] + data[16:]
                if tci is None:
                    continue  # untagged on a trunk
                out = access.get(tci & 0x0FFF)
                if out is not None:
                    out.send(data)
            else:
                vid = vid_of[s.fileno()]
                trunk.send(data[:12] + struct.pack("!HH", TPID, vid) + data[12:])


if __name__ == "__main__":
    main()
