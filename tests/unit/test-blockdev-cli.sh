#!/bin/sh
# Block devices through the emu command, as a guest uses them: a CPU-less machine with an IDE
# channel whose registers a Lua script drives (WRITE SECTORS of sector 1, FLUSH CACHE, READ
# SECTORS).  rw: the data reaches the image, synced when the guest flushes and when emu ends on
# SIGTERM; ro: the write fails as the drive reports it (ERR, ABRT) and the image is unchanged byte
# for byte; snapshot: the guest reads back what it wrote and the image is unchanged.
. "$EMU_SRCDIR/tests/tap.sh"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
"$EMU" --describe ide >/dev/null 2>&1 || skip_all "no ide plugin in this build"

cat > "$work/ide.yaml" <<'EOF'
emu-machine: 1
name: ide-cli
vars: { disk: "", mode: rw }
memory:
  ram: { kind: ram, size: 64K, map: system@0x0 }
blockdevs:
  hd: { file: "${disk}", mode: "${mode}" }
devices:
  ide: { type: ide, map: { cmd: system@0x1f0, ctl: system@0x3f6 }, props: { master: hd } }
EOF
# how=flush (write, flush, read back, quit) or how=term (write, say the pid in flag=FILE, wait
# for SIGTERM).
cat > "$work/ide.lua" <<'EOF'
local args = ...
local how, flag = args.how, args.flag
local m = emu.memory()
local function command(c, lba)
  m:write_u8(0x1f2, 1); m:write_u8(0x1f3, lba); m:write_u8(0x1f4, 0); m:write_u8(0x1f5, 0)
  m:write_u8(0x1f6, 0xe0); m:write_u8(0x1f7, c)
end
command(0x30, 1)                                       -- WRITE SECTORS, LBA 1
for i = 0, 255 do m:write_u16(0x1f0, i * 0x101) end    -- bytes 0 0 1 1 2 2 ... (any byte order)
print(string.format("write: status %02x error %02x", m:read_u8(0x1f7), m:read_u8(0x1f1)))
if how == "term" then
  local stat = io.open("/proc/self/stat"):read("l")
  emu.spawn(function()
    emu.wait(1)
    local f = io.open(flag, "w"); f:write(stat:match("^%d+")); f:close()
    while true do emu.wait(1000000) end
  end)
  return
end
command(0xe7, 0)                                       -- FLUSH CACHE
print(string.format("flush: status %02x error %02x", m:read_u8(0x1f7), m:read_u8(0x1f1)))
command(0x20, 1)                                       -- READ SECTORS, LBA 1
local same = 0
for i = 0, 255 do if m:read_u16(0x1f0) == i * 0x101 then same = same + 1 end end
print("read back " .. same .. " of 256 words")
emu.quit(0)
EOF
# The image: 8 sectors of 'Z'; what sector 1 holds after the guest's write.
head -c 4096 /dev/zero | tr '\0' 'Z' > "$work/orig.img"
{ head -c 512 "$work/orig.img"
  i=0; while [ $i -lt 256 ]; do o=$(printf '%03o' $i); printf "\\$o\\$o"; i=$((i + 1)); done
  head -c 3072 "$work/orig.img"; } > "$work/want.img"

have_strace=no
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
    have_strace=yes
fi
# run MODE HOW: emu on a fresh copy of the image (under strace when there is one).
run() {
    cp "$work/orig.img" "$work/$1.img"
    set -- timeout 60 "$EMU" --realtime --machine "$work/ide.yaml" --set disk="$work/$1.img" --set mode="$1" \
        --lua "$work/ide.lua,how=$2,flag=$work/flag"
    if [ "$have_strace" = yes ]; then
        # LeakSanitizer cannot run under ptrace: leaks are checked by the other tests.
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            strace -f -qq -o "$work/strace" -e trace=fsync,fdatasync "$@"
    else
        "$@"
    fi
}
# syncs: how many fsync/fdatasync calls on the image strace saw (or "n/a").
syncs() {
    if [ "$have_strace" = yes ]; then grep -c 'sync(' "$work/strace"; else echo n/a; fi
}
skip_without_strace() {
    if [ "$have_strace" = no ]; then tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1 (no usable strace)"; return 0; fi
    return 1
}

out=$(run rw flush 2>&1); st=$?
is "$st" 0 "rw: the run ends as the script says"
like "$out" "write: status 50 error 00" "rw: the write succeeds (DRDY|DSC, no error)"
like "$out" "read back 256 of 256 words" "rw: the guest reads back what it wrote"
ok "$(cmp -s "$work/rw.img" "$work/want.img"; echo $?)" "rw: the image holds exactly the written sector"
skip_without_strace "rw: FLUSH CACHE syncs the image" || ok "$([ "$(syncs)" -ge 1 ]; echo $?)" "rw: FLUSH CACHE syncs the image"

out=$(run ro flush 2>&1); st=$?
is "$st" 0 "ro: the run ends as the script says"
like "$out" "write: status 41 error 04" "ro: the write fails as the drive reports it (ERR, ABRT)"
ok "$(cmp -s "$work/ro.img" "$work/orig.img"; echo $?)" "ro: the image is unchanged byte for byte"

out=$(run snapshot flush 2>&1); st=$?
like "$out" "write: status 50 error 00" "snapshot: the write succeeds"
like "$out" "read back 256 of 256 words" "snapshot: the guest reads back what it wrote"
ok "$(cmp -s "$work/snapshot.img" "$work/orig.img"; echo $?)" "snapshot: the image is unchanged byte for byte"

# rw, no flush by the guest, emu ended by SIGTERM: the data is in the image and synced.
rm -f "$work/flag"
run rw term >"$work/out" 2>&1 &
i=0
while [ ! -s "$work/flag" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
pid=$(cat "$work/flag" 2>/dev/null)
[ -n "$pid" ] && kill -TERM "$pid"
wait $!; st=$?
is "$st" 143 "rw + SIGTERM: emu ends cleanly with status 128+15"
ok "$(cmp -s "$work/rw.img" "$work/want.img"; echo $?)" "rw + SIGTERM: the written sector is in the image"
skip_without_strace "rw + SIGTERM: the image is synced at exit" ||
    ok "$([ "$(syncs)" -ge 1 ]; echo $?)" "rw + SIGTERM: the image is synced at exit"
done_testing
