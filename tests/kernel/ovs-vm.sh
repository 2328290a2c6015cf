#!/usr/bin/env bash
# Runs a payload inside Debian 12's own kernel (which carries openvswitch.ko) under qemu with
# software emulation (-accel tcg: no KVM needed, so CI can run it). The host kernel has no
# openvswitch module, so this VM is where the `ovs` datapath backend meets the real fast path.
#
# usage: tests/kernel/ovs-vm.sh PAYLOAD_DIR [MEMORY_MB]
#   PAYLOAD_DIR becomes /payload in the guest; /payload/run.sh runs as root once the modules are
#   loaded. Its exit status comes back as the line "VM-EXIT <n>" and as this script's status.
#   Dynamically linked payload binaries carry their libraries in PAYLOAD_DIR/lib (see
#   make-payload.sh); the guest sets LD_LIBRARY_PATH=/payload/lib and provides the loader.
#
# The kernel package is fetched once with `apt-get download` and unpacked with `dpkg -x` into
# $MIDONET_KERNEL_VM_CACHE (default /var/cache/midonet-kernel-vm), outside the clone, so
# repeated runs and several clones share it. Needs: qemu-system-x86, busybox-static, cpio, apt.
#
# Options, from the environment (the kernel tests set none of them):
#   MIDONET_KERNEL_VM_TIMEOUT  seconds before the VM is stopped (default 240)
#   MIDONET_KERNEL_VM_MODULES  the modules to load instead of the Open vSwitch set below, by
#                              name ("bridge virtio_net virtio_pci"); their dependencies
#                              (modinfo -F depends) are loaded first
#   MIDONET_KERNEL_VM_QEMU_ARGS  more qemu arguments, split on blanks (e.g. NICs:
#                              "-netdev tap,id=n0,ifname=x,script=no,downscript=no -device ...")
#   MIDONET_KERNEL_VM_SMP      guest CPUs (default 2)
#   MIDONET_KERNEL_VM_PIDFILE  where qemu writes its pid
# A VM that should outlive a run.sh (a switch serving other processes) gets a run.sh that
# prints a line of its own when ready and then waits; the caller reads this script's stdout
# (line-buffered, so the line shows as soon as the guest prints it) and stops the VM with
# SIGTERM or SIGINT to this script: qemu is stopped, "VM-EXIT stopped" printed, status 143.
set -euo pipefail

payload_dir=$(realpath "${1:?usage: ovs-vm.sh PAYLOAD_DIR [MEMORY_MB]}")
memory_mb=${2:-1024}
cache=${MIDONET_KERNEL_VM_CACHE:-/var/cache/midonet-kernel-vm}
vm_timeout=${MIDONET_KERNEL_VM_TIMEOUT:-240}
named_modules=${MIDONET_KERNEL_VM_MODULES:-}
read -r -a qemu_extra <<<"${MIDONET_KERNEL_VM_QEMU_ARGS:-}"
smp=${MIDONET_KERNEL_VM_SMP:-2}

mkdir -p "$cache"
# One writer at a time for the cached kernel; each run builds its initramfs in its own dir.
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$cache/kernel/.complete" ]; then
    echo "ovs-vm: fetching Debian's kernel into $cache (once)" >&2
    rm -rf "$cache/kernel" "$cache/debs" && mkdir -p "$cache/debs"
    (cd "$cache/debs" && apt-get -o APT::Sandbox::User=root download linux-image-amd64 >/dev/null)
    # the meta package depends on the versioned image that holds vmlinuz and the modules
    image=$(dpkg-deb -f "$cache"/debs/linux-image-amd64_*.deb Depends \
            | tr ',' '\n' | grep -o 'linux-image-[0-9][^ (|]*' | head -n1)
    (cd "$cache/debs" && apt-get -o APT::Sandbox::User=root download "$image" >/dev/null)
    dpkg -x "$cache"/debs/"$image"_*.deb "$cache/kernel"
    touch "$cache/kernel/.complete"
fi
flock -u 9

kver=$(ls "$cache/kernel/lib/modules" | head -n1)
moddir=$cache/kernel/lib/modules/$kver/kernel
vmlinuz=$cache/kernel/boot/vmlinuz-$kver

work=$(mktemp -d /tmp/mndp-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,lib64,lib/modules,payload,var/run/netns,etc}

# Loading order matters: insmod does not resolve dependencies (no depmod in the guest).
# The default set, for the kernel datapath tests; a caller naming its own modules loads only
# those (each module costs boot time under emulation: ~0.7 s for this set).
modules=(
    crypto/crc32c_generic lib/libcrc32c
    net/ipv4/netfilter/nf_defrag_ipv4 net/ipv6/netfilter/nf_defrag_ipv6
    net/netfilter/nf_conntrack net/netfilter/nf_nat net/netfilter/nf_conncount
    net/nsh/nsh net/openvswitch/openvswitch
    drivers/net/veth drivers/net/tun
    net/ipv4/udp_tunnel net/ipv6/ip6_udp_tunnel drivers/net/vxlan/vxlan
    net/openvswitch/vport-vxlan   # VXLAN vports are a module of their own
)
load_order=""
add_module_file() { # add_module_file FILE NAME: copy (uncompressed) into the initramfs, load next
    case "$1" in
        *.xz)  xz -dc "$1" >"$root/lib/modules/$2.ko" ;;
        *.zst) zstd -qdc "$1" >"$root/lib/modules/$2.ko" ;;
        *)     cp "$1" "$root/lib/modules/$2.ko" ;;
    esac
    load_order="$load_order $2"
}
[ -z "$named_modules" ] || modules=()
for m in "${modules[@]}"; do
    f=$moddir/$m.ko
    [ -f "$f" ] || f=$(ls "$moddir/$m".ko* 2>/dev/null | head -n1 || true)
    [ -n "$f" ] && [ -f "$f" ] || continue   # built into this kernel, or absent
    add_module_file "$f" "$(basename "$m")"
done
# Modules by name: no depmod data in the unpacked package, so modinfo tells the
# dependencies and they go first. A name found nowhere is built in (or misspelt: say so).
add_module() {
    local name=$1 f dep
    case " $load_order " in *" $name "*) return 0 ;; esac
    f=$(find "$moddir" \( -name "$name.ko" -o -name "$name.ko.*" -o -name "${name//_/-}.ko" \
            -o -name "${name//_/-}.ko.*" \) 2>/dev/null | head -n1)
    if [ -z "$f" ]; then
        grep -qw "$name" "$cache/kernel/lib/modules/$kver/modules.builtin" 2>/dev/null ||
            echo "ovs-vm: module $name not found in $kver (assumed built in)" >&2
        return 0
    fi
    for dep in $(modinfo -F depends "$f" | tr ',' ' '); do add_module "$dep"; done
    add_module_file "$f" "$name"
}
for m in $named_modules; do add_module "$m"; done

cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
cp "$(command -v busybox)" "$root/bin/busybox"
# The applets' links are made by busybox in the guest (--install): ~400 ln forks here cost
# 0.3 s on an idle host and 1.5 s on a loaded one.
ln -s busybox "$root/bin/sh"
cp -a "$payload_dir"/. "$root/payload/"

cat >"$root/init" <<INIT
#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/netns /var/run/netns
for m in $load_order; do
    insmod /lib/modules/\$m.ko || echo "init: insmod \$m failed"
done
ip link set lo up
export LD_LIBRARY_PATH=/payload/lib PATH=/payload/bin:/payload:/bin HOME=/tmp
cd /payload && sh ./run.sh
echo "VM-EXIT \$?"
poweroff -f
INIT
chmod +x "$root/init"
# Uncompressed: under software emulation the guest would spend longer inflating a compressed
# image (the payload carries Qt and ICU) than the host spends copying it.
(cd "$root" && find . | cpio -o -H newc 2>/dev/null) >"$work/initrd.cpio"

pidfile=${MIDONET_KERNEL_VM_PIDFILE:-$work/qemu.pid}
stop_vm() {
    [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    wait 2>/dev/null
    echo "VM-EXIT stopped"
    exit 143
}
trap stop_vm TERM INT
set +e
# In the background and waited for, so a SIGTERM is handled at once (a foreground pipeline
# would hold the trap until qemu ends). Line-buffered all the way, so a readiness line printed
# by the guest reaches the caller when it is printed.
timeout "$vm_timeout" qemu-system-x86_64 -accel tcg -cpu max -smp "$smp" -m "$memory_mb" \
    -nographic -no-reboot -kernel "$vmlinuz" -initrd "$work/initrd.cpio" -pidfile "$pidfile" \
    -append "console=ttyS0 quiet panic=-1" "${qemu_extra[@]}" </dev/null 2>&1 \
    | stdbuf -oL tr -d '\r' | tee "$work/console.log" \
    | grep --line-buffered -v -e '^VM-EXIT' -e SeaBIOS -e 'Booting from' -e iPXE -e 'Power down' -e '^$' &
wait $!
set -e
trap - TERM INT
code=$(sed -n 's/^VM-EXIT \([0-9]*\).*/\1/p' "$work/console.log" | tail -n1)
echo "VM-EXIT ${code:-none}"
[ "${code:-1}" = 0 ]
