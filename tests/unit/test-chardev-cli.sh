#!/bin/sh
# Chardevs through the emu command, as a user meets them: a CPU-less machine whose UART a Lua
# script drives (echoing what it receives, or writing lines).  stdin as a byte stream (every byte
# value, CR/LF unchanged); output into a pipe whose reader left; a tcp server on port 0 (port
# printed, a client served, a second one after the first leaves, the port in use refused with
# status 2); a pty (path printed, opened later, closed and reopened); file: truncates when the
# run starts, and a machine refused while it is built changes no file.
. "$EMU_SRCDIR/tests/tap.sh"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
pids=
trap 'for p in $pids; do kill -9 $p 2>/dev/null; done; rm -rf "$work"' EXIT

# machine NAME SPEC: com1 on a chardev of that spec.
machine() {
    cat > "$work/$1.yaml" <<EOF
emu-machine: 1
name: $1
memory:
  ram: { kind: ram, size: 64K, map: system@0x0 }
devices:
  com1: { type: ns16550, map: system@0x1000, props: { chardev: con } }
chardevs: { con: "$2" }
EOF
}
# echo.lua: the guest side, echoing each byte; n=N: after N bytes print them (hex) and quit;
# 'q' ends the run.  lines.lua: count=N lines of 100 bytes, then quit with status 7.
cat > "$work/echo.lua" <<'EOF'
local args = ...
local n = tonumber(args.n or "0")
local m = emu.memory()
if args.pidfile then   -- emu's own pid, for the test to look at its CPU time
  local f = io.open(args.pidfile, "w")
  f:write(io.open("/proc/self/stat"):read("l"):match("^%d+"))
  f:close()
end
emu.spawn(function()
  local got = {}
  while true do
    if m:read_u8(0x1005) & 1 == 1 then
      local b = m:read_u8(0x1000)
      if b == string.byte("q") and n == 0 then emu.quit(0) end
      m:write_u8(0x1000, b)
      got[#got + 1] = string.format("%02x", b)
      if #got == n then
        io.stderr:write("got " .. table.concat(got, " ") .. "\n")
        emu.quit(0)
      end
    else
      emu.wait(args.realtime and 100000 or 1000)
    end
  end
end)
EOF
cat > "$work/lines.lua" <<'EOF'
local args = ...
local m = emu.memory()
emu.spawn(function()
  for i = 1, tonumber(args.count) do
    for c in (string.rep("x", 99) .. "\n"):gmatch(".") do m:write_u8(0x1000, c:byte()) end
    emu.wait(1000)
  end
  emu.quit(7)
end)
EOF
# wait_for FILE PATTERN: until FILE holds a line matching PATTERN (10 s at most).
wait_for() {
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    grep -q "$2" "$1" 2>/dev/null
}

# ---- stdio ----
machine stdio stdio
printf 'a\000\377\r\nz' | timeout 20 "$EMU" --machine "$work/stdio.yaml" --lua "$work/echo.lua,n=6" \
    >"$work/out" 2>"$work/err"; st=$?
is "$st" 0 "stdio on a pipe: the run ends as the script says"
like "$(cat "$work/err")" "got 61 00 ff 0d 0a 7a" "every byte of stdin reaches the UART unchanged, NUL, 0xff and CR LF too"
ok "$(printf 'a\000\377\r\nz' | cmp -s - "$work/out"; echo $?)" "and the guest's output reaches stdout unchanged"

{ timeout 20 "$EMU" --machine "$work/stdio.yaml" --lua "$work/lines.lua,count=2000" </dev/null 2>"$work/err"
  echo $? > "$work/status"; } | head -c 10 > "$work/out"
is "$(cat "$work/status")" 7 "stdout into a pipe whose reader left: emu runs on and ends as the script says"
like "$(cat "$work/err")" "chardev con: output failed (Broken pipe); further output is discarded" "with one warning"

# ---- tcp ----
if command -v bash >/dev/null 2>&1 && bash -c 'exec 3<>/dev/tcp/127.0.0.1/1' 2>&1 | grep -q 'Connection refused'; then
    machine tcp "tcp:127.0.0.1:0"
    timeout 60 "$EMU" --realtime --machine "$work/tcp.yaml" --lua "$work/echo.lua,realtime" \
        </dev/null 2>"$work/tcp.err" &
    emu_pid=$!
    pids="$pids $emu_pid"
    wait_for "$work/tcp.err" "listening on tcp:127.0.0.1:[0-9]"
    ok $? "port 0: the chosen port is printed"
    port=$(sed -n 's/.*listening on tcp:127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/tcp.err")
    # client TEXT: connect, send TEXT, print what comes back within 5 s, disconnect.
    client() {
        PORT=$port TEXT=$1 timeout 10 bash -c '
            exec 3<>/dev/tcp/127.0.0.1/$PORT || exit 1
            printf %s "$TEXT" >&3
            timeout 5 head -c ${#TEXT} <&3' 2>/dev/null
    }
    is "$(client hello)" "hello" "a client gets the guest's echo"
    is "$(client again)" "again" "after it left, the next client is served"
    machine tcpfixed "tcp:127.0.0.1:$port"
    err=$("$EMU" --machine "$work/tcpfixed.yaml" </dev/null 2>&1); st=$?
    is "$st" 2 "a port in use: status 2 before the machine runs"
    like "$err" "tcpfixed.yaml:7:" "naming the machine file's line"
    like "$err" "chardev 'con': cannot listen on 127.0.0.1:$port: Address already in use" "and saying why"
    PORT=$port timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$PORT && printf q >&3 && sleep 0.2' 2>/dev/null
    wait $emu_pid; st=$?
    is "$st" 0 "a client's 'q' ends the run"
else
    for t in 1 2 3 4 5 6 7; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no bash with /dev/tcp"; done
fi

# ---- pty ----
machine pty pty
timeout 60 "$EMU" --realtime --machine "$work/pty.yaml" --lua "$work/echo.lua,realtime,pidfile=$work/pid" \
    </dev/null 2>"$work/pty.err" &
emu_pid=$!
pids="$pids $emu_pid"
if ! wait_for "$work/pty.err" "chardev con: /dev/" && grep -q "pseudo-terminal" "$work/pty.err"; then
    wait $emu_pid
    for t in 1 2 3 4 5 6; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no pseudo-terminals here"; done
else
    ok "$(grep -q "chardev con: /dev/" "$work/pty.err"; echo $?)" "pty: its path is printed"
    path=$(sed -n 's/.*chardev con: \(\/dev\/.*\)$/\1/p' "$work/pty.err")
    # pty_talk TEXT: open the pty, send TEXT, print the echo, close it.
    pty_talk() {
        TEXT=$1 P=$path timeout 10 sh -c 'exec 3<>"$P" && printf %s "$TEXT" >&3 && timeout 5 head -c ${#TEXT} <&3'
    }
    sleep 0.2   # opened later than emu started
    is "$(pty_talk ping)" "ping" "a terminal opened later gets the echo"
    is "$(pty_talk pong)" "pong" "closed and opened again, it still works"
    pid=$(cat "$work/pid" 2>/dev/null)
    cpu=$(awk '{ print $14 + $15 }' /proc/${pid:-0}/stat 2>/dev/null)
    sleep 0.5
    cpu2=$(awk '{ print $14 + $15 }' /proc/${pid:-0}/stat 2>/dev/null)
    ok "$([ -n "$cpu" ] && [ -n "$cpu2" ] && [ $((cpu2 - cpu)) -le 20 ]; echo $?)" \
        "with the pty closed emu does not spin (${cpu:-?} -> ${cpu2:-?} ticks in 0.5 s)"
    P=$path timeout 10 sh -c 'exec 3<>"$P" && printf q >&3'
    wait $emu_pid; st=$?
    is "$st" 0 "a 'q' typed on the pty ends the run"
fi

# ---- file ----
machine file "file:$work/log.txt"
printf 'OLD CONTENT THAT IS LONGER\n' > "$work/log.txt"
"$EMU" --machine "$work/file.yaml" --lua "$work/lines.lua,count=2" </dev/null 2>/dev/null; st=$?
is "$st" 7 "file: the run ends as the script says"
is "$(wc -c < "$work/log.txt" | tr -d ' ')" 200 "the file was truncated, then holds exactly the output"
# A machine refused while it is built (here: an image of 1000 bytes) changes no file: the
# chardev's existing file keeps its content, a new one is not created.
head -c 1000 /dev/zero > "$work/odd.img"
printf 'PRECIOUS\n' > "$work/keep.txt"
cat > "$work/refused.yaml" <<EOF
emu-machine: 1
name: refused
memory:
  ram: { kind: ram, size: 64K, map: system@0x0 }
blockdevs:
  hd: { file: "$work/odd.img", mode: ro }
devices:
  com1: { type: ns16550, map: system@0x1000, props: { chardev: log } }
chardevs: { log: "file:$work/keep.txt", log2: "file:$work/new.txt" }
EOF
err=$("$EMU" --machine "$work/refused.yaml" </dev/null 2>&1); st=$?
is "$st" 2 "a machine refused while built (a 1000-byte image): status 2"
is "$(cat "$work/keep.txt")" "PRECIOUS" "its file: chardev's existing file is not emptied"
ok "$([ ! -e "$work/new.txt" ]; echo $?)" "and a new one is not created"
machine badfile "file:$work/none/log.txt"
err=$("$EMU" --machine "$work/badfile.yaml" </dev/null 2>&1); st=$?
is "$st" 2 "file: in a missing directory: status 2"
like "$err" "badfile.yaml:7:" "naming the machine file's line"
done_testing
