#!/bin/sh
# A whole PReP machine snapshot resumed in a new process: boot machines.d/prep.yaml to
# OpenBIOS's Forth prompt, define a word and a value, save (emu.save_state), then a second emu
# started with --load-state uses them and gets the right answer, with the CPU registers as they
# were saved; saved again at once, the loaded machine gives the same file.  Refusals, each one message and status 2: the snapshot loaded into a machine with
# less RAM, into one with an IDE disk, and the IDE machine's snapshot onto another disk image.
. "$EMU_SRCDIR/tests/tap.sh"
machine="$EMU_SRCDIR/machines.d/prep.yaml"
script="$EMU_SRCDIR/tests/devices/prep/snapshot-resume.lua"
[ -f "$machine" ] || skip_all "machines.d/prep.yaml is not in this tree"
[ -r /usr/share/qemu/openbios-ppc ] || skip_all "OpenBIOS (Debian's qemu-system-data) is not installed"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

run() {   # run ARGS...: emu with the console on a buffer; sets $st, $err
    timeout 60 "$EMU" --set serial=buffer "$@" </dev/null >"$work/out" 2>"$work/err"
    st=$?
    err=$(cat "$work/err")
}

start=$(date +%s)
run --machine "$machine" --lua "$script,mode=save,file=$work/a.snap,regs=$work/a.regs"
[ "$st" = 124 ] && skip_all "the PReP machine did not reach the OpenBIOS prompt within 60 s"
is "$st" 0 "OpenBIOS boots to its prompt, takes a definition, and the machine is saved"
saved=$(date +%s)
size=$(wc -c < "$work/a.snap" 2>/dev/null || echo 0)
ok "$([ "$size" -gt $((128 << 20)) ]; echo $?)" "the snapshot holds the 128 MiB of RAM ($size bytes)"

run --machine "$machine" --load-state "$work/a.snap" --lua "$script,mode=load,regs=$work/a.regs"
is "$st" 0 "a new emu loads it: the CPU registers are as saved, the word and value answer"
like "$err" "snapshot-resume.lua: PASS" "and the script says so"
echo "# boot and save $((saved - start)) s, load and answer $(($(date +%s) - saved)) s"

run --machine "$machine" --load-state "$work/a.snap" --save-state "$work/b.snap" --lua "$script,mode=stop"
is "$st" 0 "load, then save at once"
cmp -s "$work/a.snap" "$work/b.snap"
ok $? "gives the same file byte for byte (clock, RAM, ROM and every device)"
rm -f "$work/b.snap"

run --machine "$machine" --set ram=64M --load-state "$work/a.snap"
is "$st" 2 "loading into a machine with 64M of RAM: status 2"
like "$err" "emu: --load-state $work/a.snap: memory region 'ram' has 134217728 bytes in the snapshot, 67108864 in this machine" "one message naming the region and both sizes"

head -c 1048576 /dev/zero > "$work/disk.img"
run --machine "$EMU_SRCDIR/machines.d/prep-ide-disk.yaml" --set disk="$work/disk.img" --load-state "$work/a.snap"
is "$st" 2 "loading into a machine with an IDE disk: status 2"
like "$err" "ide 'ide': restoring its state failed: master drive: the snapshot has another kind of drive here" "one message naming the device and the drive"

# The IDE machine's own snapshot, before it runs, onto a disk of another size.
run --machine "$EMU_SRCDIR/machines.d/prep-ide-disk.yaml" --set disk="$work/disk.img" --save-state "$work/ide.snap" \
    --lua "$script,mode=stop"
head -c 2097152 /dev/zero > "$work/disk2.img"
run --machine "$EMU_SRCDIR/machines.d/prep-ide-disk.yaml" --set disk="$work/disk2.img" --load-state "$work/ide.snap"
is "$st" 2 "loading onto a disk image of another size: status 2"
like "$err" "master drive: the drive's image has another size than in the snapshot" "one message saying so"
done_testing
