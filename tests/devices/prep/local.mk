## PReP machine devices: register-level tests through the memory API, no CPU.
EXTRA_DIST += tests/devices/prep/prep-test.h

check_PROGRAMS += tests/devices/prep/test-pci
tests_devices_prep_test_pci_SOURCES = tests/devices/prep/test-pci.c
tests_devices_prep_test_pci_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-pci

check_PROGRAMS += tests/devices/prep/test-fw-cfg
tests_devices_prep_test_fw_cfg_SOURCES = tests/devices/prep/test-fw-cfg.c
tests_devices_prep_test_fw_cfg_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-fw-cfg

check_PROGRAMS += tests/devices/prep/test-isa
tests_devices_prep_test_isa_SOURCES = tests/devices/prep/test-isa.c
tests_devices_prep_test_isa_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-isa

check_PROGRAMS += tests/devices/prep/test-ide
tests_devices_prep_test_ide_SOURCES = tests/devices/prep/test-ide.c
tests_devices_prep_test_ide_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-ide

EXTRA_DIST += tests/devices/prep/board-check.lua
dist_noinst_SCRIPTS += tests/devices/prep/test-board.sh
TESTS += tests/devices/prep/test-board.sh

EXTRA_DIST += tests/devices/prep/forth-console.lua tests/devices/prep/console-until.lua \
	tests/devices/prep/forth-session.sh tests/devices/prep/qemu-capture.py \
	tests/devices/prep/forth/core.in tests/devices/prep/forth/core.expected \
	tests/devices/prep/forth/tree.in tests/devices/prep/forth/tree.expected \
	tests/devices/prep/forth/ide.in tests/devices/prep/forth/ide.expected \
	tests/devices/prep/forth/scsi.in tests/devices/prep/forth/scsi.expected \
	tests/devices/prep/forth/misc.in tests/devices/prep/forth/misc.expected \
	tests/devices/prep/forth/reset.in tests/devices/prep/forth/reset.expected \
	tests/devices/prep/ide-machine.yaml tests/devices/prep/scsi-machine.yaml \
	tests/guests/prep/hello-prep.c tests/guests/prep/reset-prep.c tests/guests/prep/prep-uart.h
dist_noinst_SCRIPTS += tests/devices/prep/test-forth-core.sh tests/devices/prep/test-forth-tree.sh \
	tests/devices/prep/test-forth-ide.sh tests/devices/prep/test-forth-scsi.sh \
	tests/devices/prep/test-forth-misc.sh tests/devices/prep/test-forth-reset.sh \
	tests/devices/prep/test-kernel.sh tests/devices/prep/test-kernel-reset.sh
TESTS += tests/devices/prep/test-forth-core.sh tests/devices/prep/test-forth-tree.sh \
	tests/devices/prep/test-forth-ide.sh tests/devices/prep/test-forth-scsi.sh \
	tests/devices/prep/test-forth-misc.sh tests/devices/prep/test-forth-reset.sh \
	tests/devices/prep/test-kernel.sh tests/devices/prep/test-kernel-reset.sh

## Programs loaded from disk and CD images by the firmware (tests/guests/prep/boot-prep.c).
EXTRA_DIST += tests/devices/prep/boot-console.lua tests/devices/prep/boot-session.sh \
	tests/guests/prep/boot-prep.c \
	tests/devices/prep/boot/disk-prep.expected tests/devices/prep/boot/disk-ext2.expected \
	tests/devices/prep/boot/cd-elf.expected tests/devices/prep/boot/cd-prep.expected
dist_noinst_SCRIPTS += tests/devices/prep/prep-boot-image.sh tests/devices/prep/kernel-image.sh \
	tests/devices/prep/test-boot-disk.sh tests/devices/prep/test-boot-cdrom.sh \
	tests/devices/prep/test-boot-pci-ide.sh
TESTS += tests/devices/prep/test-boot-disk.sh tests/devices/prep/test-boot-cdrom.sh \
	tests/devices/prep/test-boot-pci-ide.sh

check_PROGRAMS += tests/devices/prep/test-chaos
tests_devices_prep_test_chaos_SOURCES = tests/devices/prep/test-chaos.c
tests_devices_prep_test_chaos_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-chaos

check_PROGRAMS += tests/devices/prep/test-lsi
tests_devices_prep_test_lsi_SOURCES = tests/devices/prep/test-lsi.c
tests_devices_prep_test_lsi_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-lsi

check_PROGRAMS += tests/devices/prep/test-state
tests_devices_prep_test_state_SOURCES = tests/devices/prep/test-state.c
tests_devices_prep_test_state_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-state

check_PROGRAMS += tests/devices/prep/test-isa-dma
tests_devices_prep_test_isa_dma_SOURCES = tests/devices/prep/test-isa-dma.c
tests_devices_prep_test_isa_dma_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-isa-dma

check_PROGRAMS += tests/devices/prep/test-superio
tests_devices_prep_test_superio_SOURCES = tests/devices/prep/test-superio.c
tests_devices_prep_test_superio_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-superio

check_PROGRAMS += tests/devices/prep/test-prep-snapshot
tests_devices_prep_test_prep_snapshot_SOURCES = tests/devices/prep/test-prep-snapshot.c
tests_devices_prep_test_prep_snapshot_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-prep-snapshot

EXTRA_DIST += tests/devices/prep/snapshot-resume.lua
dist_noinst_SCRIPTS += tests/devices/prep/test-snapshot-resume.sh tests/devices/prep/test-snapshot-halt.sh
TESTS += tests/devices/prep/test-snapshot-resume.sh tests/devices/prep/test-snapshot-halt.sh

check_PROGRAMS += tests/devices/prep/test-cpu-state
tests_devices_prep_test_cpu_state_SOURCES = tests/devices/prep/test-cpu-state.c
tests_devices_prep_test_cpu_state_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-cpu-state

check_PROGRAMS += tests/devices/prep/test-ide-state
tests_devices_prep_test_ide_state_SOURCES = tests/devices/prep/test-ide-state.c
tests_devices_prep_test_ide_state_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-ide-state

## The CMD646 PCI IDE controller at register level.
check_PROGRAMS += tests/devices/prep/test-cmd646
tests_devices_prep_test_cmd646_SOURCES = tests/devices/prep/test-cmd646.c
tests_devices_prep_test_cmd646_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-cmd646

check_PROGRAMS += tests/devices/prep/test-machine-reset
tests_devices_prep_test_machine_reset_SOURCES = tests/devices/prep/test-machine-reset.c
tests_devices_prep_test_machine_reset_LDADD = core/libemu.la
TESTS += tests/devices/prep/test-machine-reset
