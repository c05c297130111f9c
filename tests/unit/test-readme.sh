#!/bin/sh
# The README's examples work as a new user would use them: its derived machine file boots
# OpenBIOS and its second UART writes to the file it names, its machine from scratch builds,
# its plugin compiles against the SDK headers and runs in a machine, and its Lua script runs a
# PowerPC program.  Each block is taken from README.md itself, so the two cannot drift apart.
. "$EMU_SRCDIR/tests/tap.sh"
readme="$EMU_SRCDIR/README.md"
[ -f "$readme" ] || skip_all "README.md is not in this tree"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# block SECTION LANG N: the Nth fenced LANG block after the heading "## SECTION".
block() {
    awk -v sec="## $1" -v lang="$2" -v want="$3" '
        $0 == sec { in_sec = 1; next }
        in_sec && /^## / { exit }
        in_sec && $0 == "```" lang { n++; if (n == want) { copy = 1; next } }
        copy && /^```/ { exit }
        copy' "$readme"
}

# --- the derived machine: prep.yaml with com2 writing to a file ---------------------------------
firmware=/usr/share/qemu/openbios-ppc
block "Writing a machine file" yaml 1 > "$tmp/prep-com2.yaml"
grep -q '^include:' "$tmp/prep-com2.yaml"; ok $? "README: the first machine example includes another file"
ln -s "$EMU_SRCDIR/machines.d" "$tmp/machines.d"
forth=$(sed -n 's/^`\(.*c!\)` writes "Hi" into com2.log.*/\1/p' "$readme")
[ -n "$forth" ]; ok $? "README: the Forth line to try is found ($forth)"
if [ ! -f "$firmware" ]; then
    ok 0 "# SKIP OpenBIOS ($firmware, Debian's qemu-system-data) is not installed"
else
    cat > "$tmp/type.lua" <<EOF
local c = emu.serial("serial0")
emu.spawn(function()
  assert(c:expect("0 > ", 4000000000), "no prompt")
  c:write("$forth\r")
  assert(c:expect(" ok", 400000000), "no ok after the Forth line")
  emu.quit(0)
end)
EOF
    (cd "$tmp" && timeout 120 "$EMU" --machine prep-com2.yaml --set serial=buffer --lua type.lua \
        </dev/null >"$tmp/out" 2>&1); st=$?
    is $st 0 "README: emu --machine prep-com2.yaml reaches the prompt and takes the Forth line"
    [ $st -eq 0 ] || sed 's/^/#   /' "$tmp/out" | tail -5
    is "$(cat "$tmp/com2.log" 2>/dev/null)" "Hi" "README: com2.log holds what the Forth line wrote"
fi

# --- the machine from scratch: builds with a firmware file in place -------------------------------
block "Writing a machine file" yaml 2 > "$tmp/tiny.yaml"
grep -q 'firmware.bin' "$tmp/tiny.yaml"; ok $? "README: the machine from scratch names its firmware"
printf '\000\000\000\000' > "$tmp/firmware.bin"
echo 'emu.quit(0)' > "$tmp/quit.lua"
out=$(cd "$tmp" && timeout 20 "$EMU" --machine tiny.yaml --lua quit.lua </dev/null 2>&1); st=$?
is $st 0 "README: the machine from scratch builds and runs"
[ $st -eq 0 ] || echo "#   $out"
rm "$tmp/firmware.bin"
out=$(cd "$tmp" && timeout 20 "$EMU" --machine tiny.yaml --lua quit.lua </dev/null 2>&1); st=$?
is $st 2 "README: without its firmware file it is refused"
like "$out" "tiny.yaml:" "README: ... naming the machine file"

# --- the plugin, compiled against the SDK headers --------------------------------------------------
cc=${CC:-cc}
mkdir -p "$tmp/plugin"
block "Writing a plugin" c 1 > "$tmp/plugin/mydev.c"
if ! command -v "$cc" >/dev/null 2>&1; then
    ok 0 "# SKIP no C compiler ($cc) for the plugin example"
else
    "$cc" -std=gnu11 -Wall -Wextra -Werror -fPIC -shared -I"$EMU_SRCDIR/sdk/include" \
        -o "$tmp/plugin/mydev.so" "$tmp/plugin/mydev.c" 2>"$tmp/cc.err"; st=$?
    ok $st "README: the plugin example compiles cleanly (-Wall -Wextra)"
    [ $st -eq 0 ] || sed 's/^/#   /' "$tmp/cc.err" | head -10
    out=$("$EMU" --plugin-dir "$tmp/plugin" --describe mydev 2>&1); st=$?
    ok $st "README: emu --plugin-dir --describe mydev"
    like "$out" "regs" "README: ... shows its region"
    cat > "$tmp/plugin/m.yaml" <<'EOF'
emu-machine: 1
name: readme-plugin
devices:
  pic: { type: i8259, map: { master: system@0x20, slave: system@0xa0 } }
  d: { type: mydev, map: system@0x1000, irq: pic.3 }
EOF
    cat > "$tmp/plugin/drive.lua" <<'EOF'
local irq = 0
emu.on_irq("pic", function(dev, line, level, index) if index == 3 then irq = level end end)
local mem = emu.memory("system")
mem:write_u8(0x1000, 42)
local v = mem:read_u8(0x1000)
local raised = irq
mem:write_u8(0x1000, 0)
print(("value %d irq %d then %d"):format(v, raised, irq))
emu.quit(0)
EOF
    out=$(cd "$tmp/plugin" && timeout 20 "$EMU" --plugin-dir . --machine m.yaml --lua drive.lua \
        </dev/null 2>&1); st=$?
    is "$st:$out" "0:value 42 irq 1 then 0" "README: the plugin's register keeps a value and drives its line"
fi

# --- the Lua script, on a PowerPC program -----------------------------------------------------------
block "Writing a Lua script" lua 1 > "$tmp/script.lua"
if [ -z "$PPC_CC" ] || ! command -v "$PPC_CC" >/dev/null 2>&1; then
    ok 0 "# SKIP no PowerPC cross compiler for the Lua example"
else
    printf '#include <stdio.h>\nint main(void) { puts("hello"); return 3; }\n' > "$tmp/hello.c"
    "$PPC_CC" -static -O1 -o "$tmp/hello" "$tmp/hello.c"
    out=$(timeout 30 "$EMU" --lua "$tmp/script.lua" --user "$tmp/hello" 2>&1 </dev/null); st=$?
    is $st 3 "README: the Lua example runs with the program (its exit status kept)"
    like "$out" "main at " "README: ... its exec hook fires at main"
    like "$out" "system calls, exit 3" "README: ... its exit hook counts system calls"
fi

done_testing
