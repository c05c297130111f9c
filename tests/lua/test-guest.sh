#!/bin/sh
# Lua scripts on a real PowerPC guest (emu --user): script errors, system-call hooks against
# --strace, skipping a call, exec/read/write/block hooks, removal mid-run, guest state changes,
# and the ready scripts of lua/.  Hooks the execution engine or the user-mode runtime do not
# deliver yet are found by a probe run and their tests skipped with the reason.
. "$EMU_SRCDIR/tests/tap.sh"

[ -n "$PPC_CC" ] && command -v "$PPC_CC" >/dev/null 2>&1 ||
    skip_all "no PowerPC cross compiler (Debian: gcc-powerpc-linux-gnu libc6-dev-powerpc-cross)"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
guest="$work/watch"
"$PPC_CC" -static -O1 -g -o "$guest" "$EMU_SRCDIR/tests/guests/lua/watch.c" 2>"$work/cc.err" ||
    skip_all "cannot build tests/guests/lua/watch.c: $(head -1 "$work/cc.err")"
plain=$("$EMU" --user "$guest" 2>&1)
case "$plain" in
*secret=5*) ;;
*) skip_all "emu --user does not run a PowerPC program yet" ;;
esac
lua="$EMU_SRCDIR/lua"

# script NAME TEXT: write a script into the work folder.
script() { printf '%s\n' "$2" > "$work/$1"; }
# run ARGS...: emu on the guest; sets $out (stdout), $err (stderr), $st (status).
run() {
    "$EMU" "$@" --user "$guest" >"$work/out" 2>"$work/err"
    st=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
}
# skip N REASON: the next N tests cannot run here.
skip() {
    i=0
    while [ $i -lt "$1" ]; do
        tap_n=$((tap_n + 1))
        echo "ok $tap_n # SKIP $2"
        i=$((i + 1))
    done
}

# ---- what the engine and the runtime deliver today ----
script probe.lua '
local n = { exec = 0, block = 0, write = 0, read = 0, wait = 0 }
emu.on_exec("main", function() n.exec = n.exec + 1 end)
emu.on_block(function() n.block = n.block + 1 end)
emu.on_write("counter", function() n.write = n.write + 1 end)
emu.on_read("secret", function() n.read = n.read + 1 end)
emu.spawn(function() emu.wait(1000) n.wait = 1 end)
emu.on_exit(function()
  io.stderr:write(string.format("probe exec=%d block=%d write=%d read=%d wait=%d\n",
                                n.exec, n.block, n.write, n.read, n.wait))
end)'
run --lua "$work/probe.lua"
probe=$err
has() { case "$probe" in *"$1=0"*) return 1 ;; *) return 0 ;; esac; }
no_exec="the engine does not fire exec hooks yet (emu_hooks_fire_exec)"
no_block="the engine does not fire block hooks yet (emu_hooks_fire_block)"
no_write="the engine does not fire write hooks yet (emu_hooks_fire_write)"
no_read="the engine does not fire read hooks yet (emu_hooks_fire_read)"
no_wait="user mode does not run the clock's timers yet (emu.wait never resumes)"

# ---- errors ----
script version.lua 'io.stderr:write("api ", emu.api_version, "\n")'
run --lua "$work/version.lua"
like "$err" "api 1" "emu.api_version is 1 in user mode"
is "$out" "$plain" "a script that hooks nothing leaves the program's output alone"

script syntax.lua 'local a = 1
local b = = 2'
run --lua "$work/syntax.lua"
is "$st" 2 "a syntax error exits with status 2"
like "$err" "emu: $work/syntax.lua:2:" "and names the script and line"
is "$out" "" "before the program runs"

script callback.lua 'emu.on_syscall(function(cpu, nr, a1, a2, a3, a4, a5, a6, name)
  if name == "getpid" then
    local t = nil
    return t.x
  end
end)'
run --lua "$work/callback.lua"
is "$st" 2 "an error inside a callback exits with status 2"
like "$err" "emu: $work/callback.lua:4: attempt to index a nil value" "and names script, line and message"

script quit.lua 'emu.on_syscall(function(cpu, nr, a1, a2, a3, a4, a5, a6, name)
  if name == "getpid" then emu.quit(3) end
end)'
run --lua "$work/quit.lua"
if [ "$st" = 3 ]; then
    is "$st" 3 "emu.quit(3) from a callback: status 3"
    unlike "$out" "pid=" "the program stops at once"
else
    skip 2 "user mode does not stop on emu.quit yet (the run loop must check m->quit_requested)"
fi

# ---- system calls ----
run --strace
strace_calls=$(grep -c . "$work/err")
script count-sys.lua 'local n = 0
emu.on_syscall(function() n = n + 1 end)
emu.on_exit(function() io.stderr:write("calls ", n, "\n") end)'
run --lua "$work/count-sys.lua"
like "$err" "calls $strace_calls" "a syscall hook counts exactly the calls --strace shows ($strace_calls)"

script skip-sys.lua 'emu.on_syscall(function(cpu, nr, a1, a2, a3, a4, a5, a6, name)
  if name == "getpid" then return 0 end
end)'
run --lua "$work/skip-sys.lua"
like "$out" "pid=bad" "a syscall hook skips a call with a chosen result"

run --lua "$lua/strace.lua"
like "$err" 'write(1, "secret=5\npid=ok\n' "strace.lua shows a write with its buffer"
like "$err" "exit_group(0) = ?" "and the exit"

# ---- execution and memory ----
if has exec; then
    script exec.lua 'local n = 0
emu.on_exec("main", function(cpu) n = n + 1 end)
emu.on_exit(function() io.stderr:write("main ", n, "\n") end)'
    run --lua "$work/exec.lua"
    like "$err" "main 1" "an exec hook on main fires exactly once"
    script state.lua 'emu.on_exec("main", function(cpu)
  assert(cpu:reg("r1") ~= 0, "r1 is the stack pointer")
  assert(cpu:write_u32("secret", 7))
end)'
    run --lua "$work/state.lua"
    like "$out" "secret=7" "cpu:write_u32 from a hook is seen by the next instructions"
else
    skip 2 "$no_exec"
fi

if has write; then
    script write.lua 'local seen = {}
emu.on_write("counter", function(cpu, addr, size, value) seen[#seen + 1] = value end)
emu.on_exit(function() io.stderr:write("stores ", table.concat(seen, " "), "\n") end)'
    run --lua "$work/write.lua"
    # whole line: $(...) drops the final newline the script wrote
    printf '%s\n' "$err" | grep -qx "stores 10 20 30 40 50"
    ok $? "a write hook on a global sees every value stored, in order"
    script remove.lua 'local seen = {}
local h
h = emu.on_write("counter", function(cpu, addr, size, value)
  seen[#seen + 1] = value
  if #seen == 2 then h:remove() end
end)
emu.on_exit(function() io.stderr:write("stores ", table.concat(seen, " "), "\n") end)'
    run --lua "$work/remove.lua"
    printf '%s\n' "$err" | grep -qx "stores 10 20"
    ok $? "a hook removed mid-run stops firing at once"
    run --lua "$lua/memwatch.lua,sym=counter"
    is "$(grep -c '^write ' "$work/err")" 5 "memwatch.lua reports the five stores"
    like "$err" "value 0x32 at" "with their values"
else
    skip 4 "$no_write"
fi

if has read; then
    script read.lua 'emu.on_read("secret", function(cpu, addr, size, value) return 42 end)'
    run --lua "$work/read.lua"
    like "$out" "secret=42" "a read hook that replaces a value changes the program's output"
else
    skip 1 "$no_read"
fi

if has block; then
    run --lua "$lua/count.lua,out=$work/count.txt"
    counts=$(cat "$work/count.txt")
    like "$counts" " inner
" "count.lua counts instructions per function"
    like "$counts" " main
" "count.lua lists main"
    run --lua "$lua/coverage.lua,out=$work/cov.txt,sym=main"
    like "$(cat "$work/cov.txt")" " main+0x0" "coverage.lua reports main's first instruction"
else
    skip 3 "$no_block"
fi

if has wait; then
    run --lua "$lua/flamegraph.lua,every=5000,out=$work/fg.folded"
    like "$(cat "$work/fg.folded")" "main;outer;inner " "flamegraph.lua samples main -> outer -> inner"
else
    skip 1 "$no_wait"
fi

done_testing
