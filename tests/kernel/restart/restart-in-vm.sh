#!/bin/sh
# Runs inside the qemu VM (tests/kernel/ovs-vm.sh) as /payload/run.sh, busybox sh.
# Two namespaces A (10.0.9.1) and B (10.0.9.2), each a veth into the root namespace, where the
# ports of kernel datapath "mndr0" are. `dp_restart_probe hold` owns the datapath and installs
# the established flows (ICMP, ARP); a ping A -> B every 10 ms runs through the whole test;
# the owner is killed with SIGKILL; 1.5 s later `dp_restart_probe takeover` (the restarted
# owner) opens the datapath, adopts its flows and shows a new flow working.
# Prints BENCH lines and "CHECK <name> ok|FAIL <detail>"; exits non-zero when a check fails.
set -u
# busybox sh prefers its own applets (whose ip has no veth or netns): use the payload's tools.
ip() { /payload/bin/ip "$@"; }
A=mnd-ra B=mnd-rb DP=mndr0
fail=0
check() { # name condition-result detail
    if [ "$2" = 0 ]; then echo "CHECK $1 ok"; else echo "CHECK $1 FAIL $3"; fail=1; fi
}
ip netns add $A; ip netns add $B
ip link add ra type veth peer name eth0 netns $A
ip link add rb type veth peer name eth0 netns $B
for n in $A $B; do
    ip netns exec $n sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6' 2>/dev/null
    ip -n $n link set lo up; ip -n $n link set eth0 up
done
echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null
ip -n $A addr add 10.0.9.1/24 dev eth0; ip -n $B addr add 10.0.9.2/24 dev eth0
ip link set ra up; ip link set rb up

dp_restart_probe hold $DP ra rb >/tmp/hold.out 2>&1 &
hold=$!
i=0; while ! grep -q ready /tmp/hold.out 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
cat /tmp/hold.out

# 600 pings at 10 ms: ~6 s, across the kill (at ~1.5 s) and the restart (at ~3 s).
ip netns exec $A /payload/bin/ping -i 0.01 -c 600 -W 1 10.0.9.2 >/tmp/ping.out 2>&1 &
ping=$!
sleep 1.5
kill -9 $hold
wait $hold 2>/dev/null
echo "owner killed (SIGKILL)"
sleep 1.5
dp_restart_probe takeover $DP $A $B 10.0.9.2 4 >/tmp/take.out 2>&1
take=$?
cat /tmp/take.out
wait $ping
tail -n 3 /tmp/ping.out

sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/ping.out)
recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/ping.out)
sent=${sent:-0}; recv=${recv:-0}
echo "BENCH restart_ping_sent $sent packets"
echo "BENCH restart_ping_lost $((sent - recv)) packets"
check takeover_ran "$take" "dp_restart_probe takeover exited $take"
[ "$sent" -ge 500 ] && [ $((sent - recv)) -le 2 ]; check established_ping_survives $? "lost $((sent - recv)) of $sent"
grep -q "RESULT new_flow ok" /tmp/take.out; check new_flow_after_restart $? "no new flow within 5 s"
ms=$(sed -n 's/^BENCH restart_new_flow_ms \([0-9]*\).*/\1/p' /tmp/take.out)
[ -n "$ms" ] && [ "$ms" -lt 1000 ]; check new_flow_within_1s $? "${ms:-none} ms"
ip link del ra 2>/dev/null; ip link del rb 2>/dev/null
ip netns del $A; ip netns del $B
exit $fail
