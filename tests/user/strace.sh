#!/bin/sh
# TAP: emu --strace prints each system call with decoded arguments and its result on stderr,
# leaving the program's own output alone; Lua system-call hooks see the same calls.
set -u
if [ -z "${PPC_CC:-}" ]; then
    echo "1..0 # SKIP no PowerPC cross compiler (gcc-powerpc-linux-gnu)"
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/emu-strace.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
cat >hooks.lua <<'LUA'
local n, writes = 0, 0
emu.on_syscall(function(cpu, nr, a1, a2, a3) n = n + 1 end)
emu.on_syscall_return(function(cpu, nr, result, a1, a2, a3, a4, a5, a6, name)
  if name == "write" and result > 0 then writes = writes + 1 end
end)
emu.on_exit(function(code) print("hooks saw " .. n .. " calls, " .. writes .. " writes, exit " .. code) end)
LUA
# One run with both, so the counts compare the same execution (a program may make a
# different number of calls from one run to the next, e.g. getrandom in mkdtemp).
"$EMU" --strace --lua hooks.lua --user "$EMU_BUILDDIR/tests/guests/user/files.static" >out 2>err
grep -v '^hooks saw' out >prog-out
grep '^hooks saw' out >lua-out
calls=$(grep -c '^[0-9]* ' err)
echo "1..9"
n=0
check() {
    n=$((n + 1))
    if grep -q -- "$2" "$3"; then echo "ok $n - $1"; else echo "not ok $n - $1"; sed 's/^/# /' "$3" | head -5; fi
}
check "program output unchanged" "^done$" prog-out
check "a string argument is quoted" 'openat(-100, "a.txt", 0x10241, 0644) = [0-9][0-9]*$' err
check "an error shows errno name and text" '"nope/x", 0x10000, 0) = -1 ENOENT (No such file or directory)' err
check "pointers in hex" 'write([0-9][0-9]*, 0x[0-9a-f]*, 12) = 12' err
check "64-bit arguments from register pairs" 'pwrite64([0-9][0-9]*, 0x[0-9a-f]*, 5, 0) = 5' err
check "memory results in hex" 'brk(0) = 0x[0-9a-f]*$' err
check "the last call" 'exit_group(0)$' err
n=$((n + 1))
if grep -q "hooks saw $calls calls" lua-out; then echo "ok $n - Lua on_syscall sees every call"; else echo "not ok $n - Lua on_syscall sees every call ($calls strace lines)"; sed 's/^/# /' lua-out | tail -3; fi
check "Lua on_syscall_return and on_exit with the guest's status" 'calls, [1-9][0-9]* writes, exit 0$' lua-out
