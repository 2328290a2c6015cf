#!/bin/sh
# The physical switch of l2gw.sh, inside the qemu VM of tests/kernel/ovs-vm.sh (run there as
# /payload/run.sh, busybox sh): a Linux bridge with vlan_filtering 1, which the host kernel
# cannot build (no CONFIG_BRIDGE_VLAN_FILTERING) but Debian's 6.1 kernel can.
#
# Each switch port is a virtio NIC of the guest; on the host its other end is a qemu tap device
# that l2gw.sh moves into a gateway host's or a physical machine's namespace. /payload/ports
# says what each port is, one line per NIC, found by its MAC address:
#   MAC trunk VID...     tagged member of each VID (a gateway host's trunk)
#   MAC access VID       untagged, pvid VID (a physical machine)
# VLAN 1 is taken off every port, so nothing crosses the switch outside the VLANs configured.
# Prints the VLAN table and "SWITCH-READY" once every port is in, then forwards until the VM is
# stopped; "SWITCH-FAILED <why>" and exit 1 when it cannot be built.
set -u
# busybox sh prefers its own applets; its ip has no bridge VLAN support and it has no bridge.
ip() { /payload/bin/ip "$@"; }
bridge() { /payload/bin/bridge "$@"; }
failed() { echo "SWITCH-FAILED $*"; exit 1; }

# The switch speaks no IPv6 itself (no router solicitations or MLD reports on its ports).
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null

ip link add br0 type bridge vlan_filtering 1 stp_state 0 || failed "no bridge with vlan_filtering"
ip link set br0 up

dev_of() { # dev_of MAC -> the guest interface with that address (NICs may still be probing)
    i=0
    while [ $i -lt 100 ]; do
        for d in /sys/class/net/*; do
            read -r a <"$d/address" 2>/dev/null && [ "$a" = "$1" ] && { echo "${d##*/}"; return 0; }
        done
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# One ip and one bridge run for all ports: each program start costs ~0.1 s under emulation.
: >/tmp/ip.batch; : >/tmp/bridge.batch
while read -r mac mode vids; do
    [ -n "$mac" ] || continue
    dev=$(dev_of "$mac") || failed "no NIC with MAC $mac"
    echo "link set $dev master br0" >>/tmp/ip.batch
    echo "vlan del dev $dev vid 1" >>/tmp/bridge.batch
    case "$mode" in
    trunk)
        for v in $vids; do echo "vlan add dev $dev vid $v" >>/tmp/bridge.batch; done ;;
    access)
        echo "vlan add dev $dev vid $vids pvid untagged" >>/tmp/bridge.batch ;;
    *) failed "port $mac: mode '$mode' is neither trunk nor access" ;;
    esac
    echo "port $dev ($mac): $mode $vids"
done </payload/ports
ip -batch /tmp/ip.batch || failed "ports not enslaved"
bridge -batch /tmp/bridge.batch || failed "VLANs not set"
# Up only once their VLANs are set: nothing crosses on the default VLAN 1 meanwhile.
sed 's/ master br0/ up/' /tmp/ip.batch >/tmp/ip-up.batch
ip -batch /tmp/ip-up.batch || failed "ports not up"

bridge vlan show
echo "vlan_filtering $(cat /sys/class/net/br0/bridge/vlan_filtering)"
echo "SWITCH-READY"
while :; do sleep 3600; done
