#!/bin/sh
# prep-boot-image.sh CODE.bin LOAD.img [DISK.img]: makes a PReP boot image (the "load image" of
# the PowerPC Reference Platform specification, 1.1, section 6.2.2) from raw code linked to run
# at load-base + 0x400 (OpenBIOS copies the image to its load-base, 0x04000000), and with a
# third argument a partitioned disk holding it in a PReP boot partition (MBR type 0x41).
# Only printf and dd: the integers of the header and the partition table are little-endian.
#
# Load image: 0x000 a PC-compatible boot record (0x55AA at 0x1FE, no code), 0x200 the entry
# point offset (0x400), 0x204 the load image length, 0x208 boot flags, 0x209 OS id, 0x20A the
# partition name, 0x400 the code.  Disk: sector 0 an MBR with one active partition of type
# 0x41 from sector 1 over the load image, which ends the disk.
set -e
[ $# -ge 2 ] || { echo "usage: $0 CODE.bin LOAD.img [DISK.img]" >&2; exit 2; }
code=$1 load=$2 disk=$3

# le32 N: N as four little-endian bytes, as a printf format
le32() {
    printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) \
        $(($1 >> 24 & 255))
}

code_size=$(wc -c < "$code")
sectors=$(((0x400 + code_size + 511) / 512))
length=$((sectors * 512))

dd if=/dev/zero of="$load" bs=512 count=$sectors 2>/dev/null
printf '\125\252' | dd of="$load" bs=1 seek=510 conv=notrunc 2>/dev/null
printf "$(le32 0x400)$(le32 $length)\\000\\000emu PReP boot image" |
    dd of="$load" bs=1 seek=512 conv=notrunc 2>/dev/null
dd if="$code" of="$load" bs=1024 seek=1 conv=notrunc 2>/dev/null

[ -n "$disk" ] || exit 0
# Partition entry: active, CHS fields unused (0xFFFFFE is "beyond CHS"), type 0x41.
dd if=/dev/zero of="$disk" bs=512 count=1 2>/dev/null
printf "\\200\\376\\377\\377\\101\\376\\377\\377$(le32 1)$(le32 $sectors)" |
    dd of="$disk" bs=1 seek=446 conv=notrunc 2>/dev/null
printf '\125\252' | dd of="$disk" bs=1 seek=510 conv=notrunc 2>/dev/null
dd if="$load" of="$disk" bs=512 seek=1 conv=notrunc 2>/dev/null
