/* A SCSI target (LUN 0) for host adapter models: a disk or a CD-ROM drive backed by a block
 * device, answering the common commands of SPC/SBC/MMC.  The adapter moves the data. */
#ifndef EMU_PLUGINS_SCSI_TARGET_H
#define EMU_PLUGINS_SCSI_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include "emu/emu.h"

#define SCSI_GOOD            0x00
#define SCSI_CHECK_CONDITION 0x02
#define SCSI_REPLY_MAX       256u   /* longest non-medium reply */

typedef struct scsi_target {
    bool present, cdrom;
    emu_blockdev *blk;          /* NULL: a CD-ROM drive with no disc */
    unsigned block_size;        /* 512 (disk) or 2048 (CD) */
    uint8_t sense_key, asc, ascq;
    bool unit_attention;        /* reported once after a reset */
    const emu_device *log_dev;  /* for guest-error logs */
    unsigned id;
} scsi_target;

/* What a command does.  Medium accesses are carried out by the adapter with
   scsi_target_rw(), block by block; everything else is answered in `reply`. */
typedef struct scsi_result {
    uint8_t status;
    uint8_t reply[SCSI_REPLY_MAX];
    uint32_t reply_len;         /* data-in bytes in reply */
    bool medium;                /* a READ or WRITE of lba.. */
    bool write;
    uint64_t lba;
    uint32_t blocks;
} scsi_result;

void scsi_target_init(scsi_target *t, unsigned id, emu_blockdev *blk, bool cdrom,
                      const emu_device *log_dev);
void scsi_target_reset(scsi_target *t);
/* Run the command in cdb[0..len); fills *r. */
void scsi_target_command(scsi_target *t, const uint8_t *cdb, unsigned len, scsi_result *r);
/* Move `n` blocks from lba between the medium and buf.  0, or -1 after setting the
   target's sense (the adapter then reports CHECK CONDITION). */
int scsi_target_rw(scsi_target *t, bool write, uint64_t lba, uint32_t n, uint8_t *buf);

#endif
