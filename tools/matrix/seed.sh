#!/bin/sh
# The seed workflow of the kernel matrix, driven by the ebpf CLI exactly as an operator drives bpftool:
#   1. load and pin an XDP program (its maps pinned too), attach it by pinned path to a veth in a namespace,
#      show it, dump and update its map, detach it;
#   2. a TC egress program: tcx_egress where the kernel has tcx (6.6+), clsact + a bpf filter otherwise;
#   3. a CO-RE raw tracepoint program (task_struct fields via BPF_CORE_READ) loaded with autoattach; its map then
#      holds the comm of the last exec'd task (the bpftool that reads it).
# Every step is checked with the guest's own bpftool and iproute2. Exits non-zero at the first failed check and
# always removes its pins and namespace.
#   EBPF=/usr/sbin/ebpf BPF=/ebpf/bpf sh seed.sh
EBPF="${EBPF:-/usr/sbin/ebpf}"
BPFTOOL="${BPFTOOL:-/usr/sbin/bpftool}"
IP="${IP:-/usr/sbin/ip}"
TC="${TC:-/usr/sbin/tc}"
BPF="${BPF:-/ebpf/bpf}"
PIN=/sys/fs/bpf/seed
NS=seed
step=0

ok() { step=$((step + 1)); echo "seed ok $step: $*"; }
fail() { echo "seed FAILED: $*"; exit 1; }
in_ns() { nsenter --net=/var/run/netns/$NS "$@"; }
cleanup() {
    rm -rf "$PIN" 2>/dev/null
    $IP netns del $NS 2>/dev/null
}
trap cleanup EXIT
cleanup

$IP netns add $NS || fail "ip netns add"
$IP -n $NS link add veth0 type veth peer name veth1 || fail "veth"
$IP -n $NS link set veth0 up && $IP -n $NS link set veth1 up || fail "veth up"
mkdir -p $PIN/xdp_maps $PIN/tc_maps $PIN/core $PIN/core_maps

# 1. XDP: load and pin, attach by pinned path, show, map dump and update, detach.
$EBPF prog load $BPF/xdp_drop_udp53.o $PIN/xdp type xdp pinmaps $PIN/xdp_maps || fail "ebpf prog load (xdp)"
[ -e $PIN/xdp_maps/drop_stats ] || fail "pinmaps did not pin drop_stats"
id=$($BPFTOOL prog show pinned $PIN/xdp | sed -n 's/^\([0-9]*\): xdp.*/\1/p')
[ -n "$id" ] || fail "bpftool does not see the pinned XDP program"
$EBPF prog show pinned $PIN/xdp | grep -q "^$id: xdp" || fail "ebpf prog show pinned: $($EBPF prog show pinned $PIN/xdp)"
ok "XDP program $id loaded and pinned"
in_ns $EBPF net attach xdp pinned $PIN/xdp dev veth0 || fail "ebpf net attach xdp"
$IP -n $NS -d link show dev veth0 | grep -q "prog/xdp id $id" || fail "ip link does not show XDP prog $id"
in_ns $BPFTOOL net show dev veth0 | grep -q "id $id" || fail "bpftool net show does not list $id"
in_ns $EBPF net show dev veth0 | grep -q "id $id" || fail "ebpf net show does not list $id: $(in_ns $EBPF net show dev veth0)"
ok "attached to veth0, seen by ip, bpftool and ebpf"
$EBPF map dump pinned $PIN/xdp_maps/drop_stats -j | grep -q '"key"' || fail "ebpf map dump"
$EBPF map show pinned $PIN/xdp_maps/drop_stats -j | grep -q '"percpu_array"' || fail "ebpf map show"
$EBPF map update pinned $PIN/xdp_maps/drop_stats key 1 0 0 0 value 7 0 0 0 0 0 0 0 || fail "ebpf map update"
$BPFTOOL map lookup pinned $PIN/xdp_maps/drop_stats key 1 0 0 0 -j | grep -q '"value":\["0x07"\|"value": *7\|0x07' \
    || $BPFTOOL map lookup pinned $PIN/xdp_maps/drop_stats key 1 0 0 0 | grep -q "07 00 00 00 00 00 00 00" \
    || fail "bpftool does not see the updated value: $($BPFTOOL map lookup pinned $PIN/xdp_maps/drop_stats key 1 0 0 0)"
ok "map dumped and updated"
in_ns $EBPF net detach xdp dev veth0 || fail "ebpf net detach xdp"
$IP -n $NS -d link show dev veth0 | grep -q "prog/xdp" && fail "XDP still attached after detach"
ok "detached"

# 2. TC egress.
$EBPF prog load $BPF/tests/tc_egress_count.o $PIN/tc type classifier pinmaps $PIN/tc_maps || fail "ebpf prog load (tc)"
tcid=$($BPFTOOL prog show pinned $PIN/tc | sed -n 's/^\([0-9]*\): sched_cls.*/\1/p')
[ -n "$tcid" ] || fail "bpftool does not see the TC program"
if in_ns $EBPF net attach tcx_egress pinned $PIN/tc dev veth0 2>/tmp/seed-tcx.err; then
    # bpftool 7.1 (the guests') predates tcx and does not list it: ebpf's net show and the kernel's own query do.
    in_ns $EBPF net show dev veth0 | grep -q "$tcid" || fail "ebpf net show does not list tcx prog $tcid: $(in_ns $EBPF net show dev veth0)"
    in_ns $EBPF net detach tcx_egress dev veth0 || fail "ebpf net detach tcx_egress"
    ok "TC egress by tcx (prog $tcid)"
else
    echo "seed: tcx_egress refused ($(cat /tmp/seed-tcx.err)); clsact fallback"
    # The refusal names what is missing, not a bare EINVAL.
    grep -q "tcx" /tmp/seed-tcx.err && grep -q "6\.6" /tmp/seed-tcx.err || fail "the tcx refusal does not say tcx needs 6.6: $(cat /tmp/seed-tcx.err)"
    $TC -n $NS qdisc add dev veth0 clsact || fail "tc qdisc add clsact"
    in_ns $TC filter add dev veth0 egress bpf da pinned $PIN/tc || fail "tc filter add ... pinned"
    in_ns $BPFTOOL net show dev veth0 | grep -q "tc_egress_count\|id $tcid" || fail "bpftool net show does not list the clsact filter"
    $TC -n $NS filter show dev veth0 egress | grep -q "id $tcid" || fail "tc filter show does not list prog $tcid"
    $TC -n $NS qdisc del dev veth0 clsact || fail "tc qdisc del"
    ok "TC egress by clsact (prog $tcid)"
fi

# 3. CO-RE (raw) tracepoint program with autoattach: a raw_tp link is pinnable on every kernel since 5.7.
$EBPF prog loadall $BPF/tests/core_task_raw.o $PIN/core pinmaps $PIN/core_maps autoattach || fail "ebpf prog loadall autoattach"
/bin/true
bss=$(ls $PIN/core_maps | grep bss | head -1)
[ -n "$bss" ] || fail "no .bss map pinned in $PIN/core_maps: $(ls $PIN/core_maps)"
out=$($BPFTOOL map dump pinned $PIN/core_maps/$bss -j)
# The last exec before the map is read is bpftool's own (the dump below): the program must have recorded it.
echo "$out" | grep -q '"comm": *"bpftool"\|"comm":"bpftool"' || fail "task_struct fields not read: $out"
ok "CO-RE raw tracepoint program autoattached; it read task_struct->comm of the last exec (bpftool)"
echo "seed: all $step steps passed on $(uname -r)"
