#!/bin/sh
# prep-boot-image.sh CODE.bin LOAD.img [DISK.img [FS.img]]: makes a PReP boot image (the "load
# image" of the PowerPC Reference Platform specification, 1.1, section 6.2.2) from raw code
# linked to run at load-base + 0x400 (OpenBIOS copies the image to its load-base, 0x04000000),
# with a third argument a partitioned disk holding it in a PReP boot partition (MBR type 0x41),
# and with a fourth a filesystem image as the disk's second partition (type 0x83, Linux).
# Only printf and dd: the integers of the header and the partition table are little-endian.
#
# Load image: 0x000 a PC-compatible boot record (0x55AA at 0x1FE, no code), 0x200 the entry
# point offset (0x400), 0x204 the load image length, 0x208 boot flags, 0x209 OS id, 0x20A the
# partition name, 0x400 the code.  Disk: sector 0 an MBR with one active partition of type
# 0x41 from sector 1 over the load image, then the filesystem image (if any) from the next 4 KiB
# boundary to the end of the disk.
set -e
[ $# -ge 2 ] || { echo "usage: $0 CODE.bin LOAD.img [DISK.img [FS.img]]" >&2; exit 2; }
code=$1 load=$2 disk=$3 fs=$4

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
# partition INDEX FLAG TYPE START COUNT: an MBR entry, CHS fields unused (0xFFFFFE is "beyond
# CHS"), flag and type as octal escapes
partition() {
    printf "\\$2\\376\\377\\377\\$3\\376\\377\\377$(le32 $4)$(le32 $5)" |
        dd of="$disk" bs=1 seek=$((446 + 16 * $1)) conv=notrunc 2>/dev/null
}
dd if=/dev/zero of="$disk" bs=512 count=1 2>/dev/null
partition 0 200 101 1 $sectors
printf '\125\252' | dd of="$disk" bs=1 seek=510 conv=notrunc 2>/dev/null
dd if="$load" of="$disk" bs=512 seek=1 conv=notrunc 2>/dev/null

[ -n "$fs" ] || exit 0
fs_start=$(((1 + sectors + 7) / 8 * 8))
fs_sectors=$((($(wc -c < "$fs") + 511) / 512))
partition 1 000 203 $fs_start $fs_sectors
dd if="$fs" of="$disk" bs=512 seek=$fs_start conv=notrunc,sync 2>/dev/null
