#!/bin/sh
# TAP: emu --user with bad programs — each gets one clear message and exit status 2 (emu's own
# input errors), never a crash: missing, not executable, a directory, not ELF, truncated,
# corrupt, wrong machine, missing dynamic loader.
set -u
if [ -z "${PPC_CC:-}" ]; then
    echo "1..0 # SKIP no PowerPC cross compiler (gcc-powerpc-linux-gnu)"
    exit 0
fi
hello=$EMU_BUILDDIR/tests/guests/user/hello.static
hellodyn=$EMU_BUILDDIR/tests/guests/user/hello.dyn
work=$(mktemp -d "${TMPDIR:-/tmp}/emu-bad.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0
echo "1..22"

# expect NAME MESSAGE-PART PROGRAM [EMU OPTIONS]
expect() {
    name=$1
    msg=$2
    prog=$3
    shift 3
    "$EMU" "$@" --user "$prog" >"$work/out" 2>"$work/err"
    rc=$?
    n=$((n + 1))
    if [ "$rc" -eq 2 ]; then echo "ok $n - $name: exit status 2"; else echo "not ok $n - $name: exit status $rc, want 2"; fi
    n=$((n + 1))
    if grep -q -- "$msg" "$work/err" && [ "$(wc -l <"$work/err")" -le 2 ]; then
        echo "ok $n - $name: says '$msg'"
    else
        echo "not ok $n - $name: message"
        sed 's/^/# /' "$work/err"
    fi
}

expect "missing program" "No such file or directory" "$work/nonexistent"
expect "an option after --user" "emu's options go before --user PROGRAM" --sysroot
cp "$hello" "$work/noexec"
chmod -x "$work/noexec"
expect "not executable" "not executable" "$work/noexec"
expect "a directory" "is a directory" "$work"
printf '#!/bin/sh\necho hi\n' >"$work/script"
chmod +x "$work/script"
expect "a script" "not an ELF executable" "$work/script"
head -c 30 "$hello" >"$work/truncated-header"
chmod +x "$work/truncated-header"
expect "truncated header" "truncated ELF file" "$work/truncated-header"
head -c 3000 "$hello" >"$work/truncated"
chmod +x "$work/truncated"
expect "truncated segments" "extends past the end of the file" "$work/truncated"
cp "$hello" "$work/corrupt"
printf '\377\377' | dd of="$work/corrupt" bs=1 seek=42 conv=notrunc 2>/dev/null
expect "corrupt program header size" "wrong program header size" "$work/corrupt"
expect "wrong machine (the host's own program)" "emu --user runs: 32-bit PowerPC" /bin/true
expect "missing dynamic loader" "--sysroot" "$hellodyn"
expect "sysroot without the loader" "dynamic loader /nonexistent/lib/ld.so.1 was not found" "$hellodyn" --sysroot /nonexistent
