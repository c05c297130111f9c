#!/bin/sh
# Snapshots from the command line and Lua on a CPU-less machine (a 16550 UART and an 8254
# timer): --save-state at stop and emu.save_state at a chosen time, --load-state and
# emu.load_state bring the registers back; a file saved right after loading equals the one
# loaded.  Refusals: a missing, foreign, truncated or
# garbage file, a file short of its last RAM byte, a machine with other devices or more RAM,
# a machine with a device that has no state support (nothing written), and
# --save-state in user mode, each with one message and status 2.
. "$EMU_SRCDIR/tests/tap.sh"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

printf '%s\n' "emu-machine: 1" "name: regs" "memory:" \
    "  ram: { kind: ram, size: 64K, map: system@0x0 }" \
    "spaces:" "  io: { size: 64K, map: system@0x80000000 }" "devices:" \
    "  uart: { type: ns16550, map: io@0x3f8 }" "  pit: { type: i8254, map: io@0x40 }" \
    > "$work/regs.yaml"
printf '%s\n' "emu-machine: 1" "name: uart-only" "memory:" \
    "  ram: { kind: ram, size: 64K, map: system@0x0 }" "spaces:" "  io: { size: 64K }" "devices:" \
    "  uart: { type: ns16550, map: io@0x3f8 }" > "$work/other.yaml"
sed 's/size: 64K, map/size: 128K, map/' "$work/regs.yaml" > "$work/bigger.yaml"
# tp-widget (a test plugin) keeps state it cannot save.
widget_dir="$EMU_BUILDDIR/tests/plugins/good"
printf '%s\n' "emu-machine: 1" "name: with-widget" "memory:" \
    "  ram: { kind: ram, size: 64K, map: system@0x0 }" "devices:" \
    "  hole: { type: tp-widget }" > "$work/widget.yaml"
# A stub holds nothing: machines with one can be snapshotted.
printf '%s\n' "emu-machine: 1" "name: with-stub" "memory:" \
    "  ram: { kind: ram, size: 64K, map: system@0x0 }" "devices:" \
    "  hole: { type: stub, map: system@0x10000, props: { size: 4K } }" > "$work/stub.yaml"

# Program the devices, save at 1 ms of emulated time, change the scratch register, stop.
cat > "$work/save.lua" <<LUA
local io = emu.memory("io")
io:write_u8(0x3ff, 0x5a)                       -- UART scratch
io:write_u8(0x3fb, 0x83) io:write_u8(0x3f8, 0x0c) io:write_u8(0x3f9, 0) io:write_u8(0x3fb, 0x03)
io:write_u8(0x43, 0x34) io:write_u8(0x40, 0x10) io:write_u8(0x40, 0x27)   -- PIT 0: mode 2, 10000
emu.spawn(function()
  emu.wait(1000000)
  emu.save_state("$work/a.state")
  io:write_u8(0x3ff, 0x11)
  emu.quit(0)
end)
LUA
# Report the registers; with an argument, first load that file from a coroutine after a wait.
cat > "$work/show.lua" <<LUA
local args = ...
local io = emu.memory("io")
local function show()
  local scr, lcr = io:read_u8(0x3ff), io:read_u8(0x3fb)
  io:write_u8(0x3fb, lcr | 0x80)
  local dll = io:read_u8(0x3f8)
  io:write_u8(0x3fb, lcr)
  io:write_u8(0x43, 0xe2)                      -- read-back: status of counter 0
  print(string.format("scr=%02x lcr=%02x dll=%d pit=%02x", scr, lcr, dll, io:read_u8(0x40) & 0x3f))
end
emu.spawn(function()
  if args.load then emu.wait(5000) emu.load_state(args.load) end
  if args.save then emu.save_state(args.save) end
  show()
  emu.quit(0)
end)
LUA

run() {   # run ARGS...: sets $st, $out, $err
    timeout 30 "$EMU" "$@" </dev/null >"$work/out" 2>"$work/err"
    st=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
}

run --machine "$work/regs.yaml" --lua "$work/save.lua" --save-state "$work/b.state"
is "$st" 0 "a CPU-less machine saves from Lua and at stop"
ok "$([ -s "$work/a.state" ] && [ -s "$work/b.state" ]; echo $?)" "both snapshot files written"
ls "$work" | grep -q '\.tmp$'
ok "$([ $? -ne 0 ]; echo $?)" "no temporary file left beside them"

run --machine "$work/regs.yaml" --load-state "$work/a.state" --lua "$work/show.lua,save=$work/c.state"
is "$st" 0 "--load-state runs"
like "$out" "scr=5a lcr=03 dll=12" "the UART's registers come back from the file saved by emu.save_state"
like "$out" "pit=34" "so does the timer's programming (mode 2, LSB then MSB, binary)"
cmp -s "$work/a.state" "$work/c.state"
ok $? "a snapshot saved right after loading equals the one loaded"

run --machine "$work/regs.yaml" --load-state "$work/b.state" --lua "$work/show.lua"
like "$out" "scr=11" "--save-state wrote the state the machine stopped with"

run --machine "$work/regs.yaml" --lua "$work/show.lua,load=$work/a.state"
is "$st" 0 "emu.load_state from a spawned coroutine"
like "$out" "scr=5a lcr=03 dll=12" "restores the registers mid-run"

run --machine "$work/regs.yaml" --load-state "$work/none.state"
is "$st" 2 "a missing file: status 2"
is "$err" "emu: --load-state $work/none.state: cannot open: No such file or directory" "one message naming it"

printf 'not a snapshot at all' > "$work/junk.state"
run --machine "$work/regs.yaml" --load-state "$work/junk.state"
is "$st" 2 "a file that is no snapshot: status 2"
like "$err" "$work/junk.state: not an emu state snapshot" "says so"

head -c 40 "$work/a.state" > "$work/short.state"
run --machine "$work/regs.yaml" --load-state "$work/short.state"
is "$st" 2 "a truncated snapshot: status 2"
like "$err" "emu: --load-state $work/short.state: not an emu state snapshot (truncated or damaged)" "says it is cut short"
size=$(wc -c < "$work/a.state")
head -c $((size - 1)) "$work/a.state" > "$work/short.state"
run --machine "$work/regs.yaml" --load-state "$work/short.state"
is "$st" 2 "a snapshot missing the last byte of RAM: status 2"
like "$err" "bytes of memory where 65536 were expected" "says how much memory is missing"

run --machine "$work/other.yaml" --load-state "$work/a.state"
is "$st" 2 "a snapshot of another machine: status 2"
like "$err" "bytes of state for devices this machine lacks" "the message says what does not fit"

run --machine "$work/bigger.yaml" --load-state "$work/a.state"
is "$st" 2 "a snapshot of a machine with less RAM: status 2"
like "$err" "memory region 'ram' has 65536 bytes in the snapshot, 131072 in this machine" "naming the region and both sizes"

run --machine "$work/regs.yaml" --lua "$work/show.lua,load=$work/junk.state"
is "$st" 2 "emu.load_state of a bad file stops the run with status 2"
like "$err" "emu.load_state: $work/junk.state: not an emu state snapshot" "naming the function and the file"

run --plugin-dir "$widget_dir" --machine "$work/widget.yaml" --save-state "$work/widget.state"
is "$st" 2 "a machine with a device that cannot save: refused before running"
like "$err" "cannot snapshot this machine: device hole (tp-widget) has no state support" "naming the device and its type"
ok "$([ ! -e "$work/widget.state" ]; echo $?)" "and no file is written"

run --machine "$work/stub.yaml" --save-state "$work/stub.state"
is "$st" 0 "a machine with a stub saves its state"
ok "$([ -s "$work/stub.state" ]; echo $?)" "and writes the file"

mkfifo "$work/fifo"
printf 'emu.save_state("%s")\n' "$work/fifo" > "$work/fifo.lua"
run --machine "$work/regs.yaml" --lua "$work/fifo.lua"
is "$st" 2 "emu.save_state onto a FIFO: status 2"
like "$err" "not a regular file (the snapshot would replace it)" "saying why"
ok "$([ -p "$work/fifo" ]; echo $?)" "and the FIFO is still there"

printf 'emu.save_state("%s")\n' "$work/widget2.state" > "$work/widget.lua"
run --plugin-dir "$widget_dir" --machine "$work/widget.yaml" --lua "$work/widget.lua"
is "$st" 2 "emu.save_state on that machine: status 2"
like "$err" "emu.save_state: $work/widget2.state: cannot snapshot this machine: device hole (tp-widget)" "with the same message"
ok "$([ ! -e "$work/widget2.state" ]; echo $?)" "no file written"

run --machine "$work/regs.yaml" --lua "$work/save.lua" --save-state "$work/no/such/dir/x.state"
is "$st" 2 "a snapshot that cannot be written at stop: status 2"
like "$err" "emu: --save-state $work/no/such/dir/x.state: cannot create" "naming the file"

run --save-state "$work/u.state" --user /bin/true
is "$st" 2 "--save-state in user mode is a usage error"
like "$err" "apply to machines" "saying where it applies"
done_testing
