/* The IDE channel model shared by its parts: the channel and its registers (ide.c), the ATA
 * command set of disks (ata.c), the ATAPI packet commands of CD-ROM drives (atapi.c), and the
 * PCI controller whose bus-master engine moves a disk's DMA data (cmd646.c). */
#ifndef EMU_PLUGINS_IDE_INTERNAL_H
#define EMU_PLUGINS_IDE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "emu/emu.h"

/* Status register */
#define ST_ERR  0x01
#define ST_DRQ  0x08
#define ST_DSC  0x10   /* seek complete */
#define ST_DRDY 0x40
#define ST_BSY  0x80
/* Error register */
#define ER_ABRT 0x04
#define ER_IDNF 0x10
/* Device control register */
#define CTL_NIEN 0x02
#define CTL_SRST 0x04
#define CTL_HOB  0x80
/* Device/head register */
#define DH_LBA    0x40
#define DH_DEV    0x10
#define DH_ALWAYS 0xa0

#define SECTOR 512u
#define CD_SECTOR 2048u
#define MAX_MULT 16u                      /* sectors per DRQ block for READ/WRITE MULTIPLE */
#define BUF_SIZE (0x10000u + CD_SECTOR)   /* the largest ATAPI DRQ block, plus slack */

typedef struct ide_channel ide_channel;
typedef struct ide_drive ide_drive;

/* IN: device to host.  The DMA ones: a DMA command waits for (or runs on) the bus master. */
typedef enum { XFER_NONE, XFER_IN, XFER_OUT, XFER_DMA_IN, XFER_DMA_OUT } xfer_dir;
typedef void (*ide_done_fn)(ide_drive *d);

struct ide_drive {
    ide_channel *ch;
    unsigned unit;
    emu_blockdev *blk;          /* NULL: no drive, or a CD-ROM drive with no disc */
    bool present, cdrom;
    char model[41], serial[21];
    uint64_t sectors;           /* 512-byte sectors (disks) or 2048-byte ones (CDs) */
    unsigned cyls, heads, secs; /* CHS geometry (disks; heads/secs changed by SPECIFY) */
    unsigned mult;              /* sectors per block of READ/WRITE MULTIPLE (0: disabled) */

    /* task file (each drive holds its own copy; register writes reach both) */
    uint8_t feature, nsector, sector, lcyl, hcyl, select, status, error;
    uint8_t hob_feature, hob_nsector, hob_sector, hob_lcyl, hob_hcyl;

    /* PIO data phase: the host moves buf[pos..end) through the data port */
    uint8_t *buf;
    unsigned pos, end;
    xfer_dir dir;
    void (*done)(ide_drive *d);   /* called when the block has been moved */

    /* ATA multi-sector commands */
    uint64_t lba;               /* next sector */
    uint32_t left;              /* sectors of the command not yet in a block */
    unsigned block;             /* sectors in the current block */
    unsigned per_block;         /* 1, or the multiple count */
    bool ext;                   /* the command uses 48-bit addressing */
    uint8_t dma_mode;           /* SET FEATURES transfer mode selected: 0x20+n MWDMA n,
                                   0x40+n UDMA n, 0 none */

    /* ATAPI */
    uint8_t sense_key, asc;
    uint64_t cd_lba;            /* next CD sector to read */
    uint32_t cd_left;           /* CD sectors of the command still to read */
    unsigned waiting;           /* bytes at the start of buf not yet sent */
};

/* A bus-master DMA engine serving a channel (the CMD646's), given the channel's index. */
typedef struct ide_bus_master {
    /* Has the guest started the engine? */
    bool (*started)(void *opaque, unsigned channel);
    /* Move up to `len` bytes between `buf` and guest memory along the guest's PRD table
       (to_memory: device to memory).  Returns the bytes moved: fewer when the table ended, a
       bus error stopped the engine, or the engine runs in the other direction. */
    size_t (*transfer)(void *opaque, unsigned channel, uint8_t *buf, size_t len, bool to_memory);
    /* The drive's command ended, all its data moved (complete) or not. */
    void (*finished)(void *opaque, unsigned channel, bool complete);
} ide_bus_master;

struct ide_channel {
    emu_device dev;
    emu_blockdev *blk_prop[2];
    int media_prop[2];          /* 0 disk, 1 cdrom */
    ide_drive drive[2];
    unsigned cur;               /* the selected drive */
    uint8_t ctl;                /* device control register */
    bool irq_pending;
    emu_line *irq;
    const ide_bus_master *bm;   /* NULL: no DMA (an ISA channel) */
    void *bm_opaque;
    unsigned bm_channel;
};

/* ide.c: the channel side of a command */
void ide_irq(ide_channel *ch);
void ide_abort(ide_drive *d);
void ide_pio_in(ide_drive *d, unsigned len, void (*done)(ide_drive *d));
void ide_pio_out(ide_drive *d, unsigned len, void (*done)(ide_drive *d));
void ide_complete(ide_drive *d);   /* status DRDY|DSC, interrupt */
void ide_set_signature(ide_drive *d);
void ide_put_string(uint8_t *words, const char *s, unsigned len);   /* ATA byte-swapped, padded */

/* Give the channel a bus-master engine (its drives then offer DMA modes). */
void ide_attach_bus_master(ide_channel *ch, const ide_bus_master *bm, void *opaque,
                           unsigned channel);

/* ata.c: disks, and the commands every device has */
void ata_init_geometry(ide_drive *d);
void ata_exec(ide_drive *d, uint8_t cmd);
/* Move a DMA command's data now if the bus master is started (call when it starts, too). */
void ata_dma_run(ide_drive *d);
/* the data-phase continuations of ata.c / atapi.c, NULL-terminated (snapshots name them by
   their index) */
extern const ide_done_fn ata_continuations[];
extern const ide_done_fn atapi_continuations[];

/* atapi.c: CD-ROM drives */
void atapi_exec(ide_drive *d, uint8_t cmd);

/* cmd646.c: the PCI controller whose channels are `ide` devices */
extern const emu_type cmd646_type;

/* ide-state.c: snapshots of the channel and its drives */
int ide_state_save(emu_device *dev, emu_state_writer *w);
int ide_state_load(emu_device *dev, emu_state_reader *r, emu_error **err);
void ide_update_line(ide_channel *ch);

#endif
