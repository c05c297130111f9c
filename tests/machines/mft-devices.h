/* Test types for the machine-file tests: what the instances of mft_devices record, shared with the tests. */
#ifndef EMU_TESTS_MFT_DEVICES_H
#define EMU_TESTS_MFT_DEVICES_H

#include "emu/emu.h"

/* mft-dev: one property of every type, two regions, outputs and inputs. */
typedef struct mft_dev {
    emu_device dev;
    uint64_t size;
    bool log;
    int64_t count;
    uint64_t base;
    char *label;
    int mode;
    emu_device *peer;
    emu_chardev *chardev;
    emu_blockdev *disk;
    bool fail;
    emu_line *irq[2];
    emu_line *aux;
    int in_level[8];             /* input "in" */
    int reset_level;             /* input "reset" */
    uint64_t last_write;         /* value of the last write to region "regs" */
    uint64_t last_write_offset;
    unsigned realized_as;        /* order among all mft instances realized */
    unsigned resets;
} mft_dev;

/* mft-board: realized after every device; remembers when. */
typedef struct mft_board {
    emu_device dev;
    emu_device *console;
    unsigned realized_as;
} mft_board;

#endif
