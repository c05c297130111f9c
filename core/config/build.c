/* Building a machine from a validated plan: spaces, memory, backends, devices, wiring, board, reset. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config/plan.h"
#include "emu/memory.h"
#include "object.h"

/* Report a failure of the library call that built the entry at `pos`. */
static int fail_at(emu_error **err, const mf_pos *pos, emu_error *e, const char *fallback)
{
    mf_error(err, pos, "%s", e ? emu_error_message(e) : fallback);
    emu_error_free(e);
    return -1;
}

static emu_region *place_root(emu_machine *m, const mf_place *pl)
{
    emu_space *s = emu_machine_space(m, pl->space);
    return s ? emu_space_root(s) : NULL;
}

static int map_at(emu_machine *m, const mf_place *pl, emu_region *r, emu_error **err)
{
    emu_error *e = NULL;
    if (emu_region_map(place_root(m, pl), pl->addr, r, pl->priority, &e) < 0)
        return fail_at(err, &pl->pos, e, "cannot map");
    return 0;
}

static int build_spaces(emu_machine *m, const mf_plan *p, emu_error **err)
{
    for (size_t i = 0; i < p->nspaces; i++) {
        const mf_space_plan *sp = &p->spaces[i];
        emu_error *e = NULL;
        if (!sp->is_system && !emu_space_new(m, sp->name, sp->size, &e))
            return fail_at(err, &sp->pos, e, "cannot create the space");
        if (sp->has_unassigned)
            emu_space_set_unassigned_value(emu_machine_space(m, sp->name), sp->unassigned);
    }
    for (size_t i = 0; i < p->nspaces; i++) {
        const mf_space_plan *sp = &p->spaces[i];
        if (!sp->mapped)
            continue;
        emu_region *root = emu_space_root(emu_machine_space(m, sp->name));
        char *name = emu_asprintf("space:%s", sp->name);
        emu_region *window = emu_region_alias(m, name, root, 0, sp->size);
        free(name);
        if (!window)
            return mf_error(err, &sp->place.pos, "space '%s': cannot create its window", sp->name);
        if (map_at(m, &sp->place, window, err) < 0)
            return -1;
    }
    return 0;
}

/* Copy the ROM image into the region's host memory. */
static int load_rom(emu_region *r, const mf_memory_plan *mp, emu_error **err)
{
    int fd = open(mp->file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mf_error(err, &mp->file_pos, "memory '%s': ROM file '%s': %s", mp->name, mp->file,
                        strerror(errno));
    uint8_t *dst = emu_region_ram_ptr(r);
    uint64_t done = 0;
    for (;;) {
        ssize_t got = read(fd, dst + done, (size_t)(mp->size - done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            close(fd);
            return mf_error(err, &mp->file_pos, "memory '%s': ROM file '%s': %s", mp->name,
                            mp->file, strerror(e));
        }
        if (got == 0)
            break;
        done += (uint64_t)got;
        if (done == mp->size) {
            char extra;
            if (read(fd, &extra, 1) > 0) {
                close(fd);
                return mf_error(err, &mp->file_pos, "memory '%s': ROM file '%s' grew larger "
                                "than the ROM (%llu bytes)", mp->name, mp->file,
                                (unsigned long long)mp->size);
            }
            break;
        }
    }
    close(fd);
    return 0;
}

static int build_memory(emu_machine *m, const mf_plan *p, emu_error **err)
{
    emu_region **regions = emu_xcalloc(p->nmemory + 1, sizeof *regions);
    int rc = -1;
    /* RAM and ROM first: aliases point at them. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < p->nmemory; i++) {
            const mf_memory_plan *mp = &p->memory[i];
            if ((mp->kind == MF_MEM_ALIAS) != (pass == 1))
                continue;
            if (mp->kind == MF_MEM_RAM)
                regions[i] = emu_region_ram(m, mp->name, mp->size);
            else if (mp->kind == MF_MEM_ROM)
                regions[i] = emu_region_rom(m, mp->name, mp->size);
            else
                regions[i] = emu_region_alias(m, mp->name, regions[mp->target], mp->offset, mp->size);
            if (!regions[i]) {
                mf_error(err, &mp->pos, "memory '%s': cannot allocate %llu bytes on this host",
                         mp->name, (unsigned long long)mp->size);
                goto out;
            }
            if (mp->kind == MF_MEM_ROM && load_rom(regions[i], mp, err) < 0)
                goto out;
        }
    }
    for (size_t i = 0; i < p->nmemory; i++)
        if (p->memory[i].mapped && map_at(m, &p->memory[i].place, regions[i], err) < 0)
            goto out;
    rc = 0;
out:
    free(regions);
    return rc;
}

static int build_backends(emu_machine *m, const mf_plan *p, emu_error **err)
{
    for (size_t i = 0; i < p->nchardevs; i++) {
        emu_error *e = NULL;
        const mf_chardev_plan *c = &p->chardevs[i];
        if (emu_backends_add_chardev(m, c->name, c->spec, &e) < 0)
            return fail_at(err, &c->pos, e, "cannot open the chardev");
    }
    for (size_t i = 0; i < p->nblockdevs; i++) {
        emu_error *e = NULL;
        const mf_blockdev_plan *b = &p->blockdevs[i];
        if (emu_backends_add_blockdev(m, b->name, b->path, b->mode, &e) < 0)
            return fail_at(err, &b->pos, e, "cannot open the block device");
    }
    return 0;
}

static int set_props(emu_device *dev, const mf_device_plan *d, emu_error **err)
{
    for (size_t i = 0; i < d->nprops; i++) {
        emu_error *e = NULL;
        if (emu_device_set_prop(dev, d->props[i].name, d->props[i].text, &e) < 0)
            return fail_at(err, &d->props[i].pos, e, "cannot set the property");
    }
    return 0;
}

static int map_regions(emu_machine *m, emu_device *dev, const mf_device_plan *d, emu_error **err)
{
    for (size_t i = 0; i < d->nmaps; i++) {
        const mf_region_plan *rp = &d->maps[i];
        emu_region *r = emu_device_region(dev, rp->region);
        if (!r)
            return mf_error(err, &rp->place.pos, "%s '%s' did not create its region '%s'",
                            d->type->name, d->id, rp->region);
        if (map_at(m, &rp->place, r, err) < 0)
            return -1;
    }
    return 0;
}

/* Where a realize failure is reported: at the value of the property its message starts with
   ("TYPE 'ID': PROP: ..."), so that a value from a variable or --set is traced back to it;
   else at the entry. */
static const mf_pos *realize_failure_pos(const mf_device_plan *d, const emu_error *e)
{
    const char *msg = e ? emu_error_message(e) : "";
    char *prefix = emu_asprintf("%s '%s': ", d->type->name, d->id);
    size_t skip = strncmp(msg, prefix, strlen(prefix)) ? 0 : strlen(prefix);
    free(prefix);
    for (size_t i = 0; i < d->nprops; i++) {
        size_t n = strlen(d->props[i].name);
        if (!strncmp(msg + skip, d->props[i].name, n) && msg[skip + n] == ':')
            return &d->props[i].pos;
    }
    return &d->pos;
}

static int build_devices(emu_machine *m, const mf_plan *p, emu_error **err)
{
    emu_device **devs = emu_xcalloc(p->ndevices + 1, sizeof *devs);
    int rc = -1;
    /* Create all, then set properties (links need their targets), then realize in order. */
    for (size_t i = 0; i < p->ndevices; i++) {
        emu_error *e = NULL;
        if (!(devs[i] = emu_device_new(m, p->devices[i].type, p->devices[i].id, &e))) {
            fail_at(err, &p->devices[i].pos, e, "cannot create the device");
            goto out;
        }
    }
    for (size_t i = 0; i < p->ndevices; i++)
        if (set_props(devs[i], &p->devices[i], err) < 0)
            goto out;
    /* Each device's regions are placed right after it is realized, so a device realized later
       (a controller taking over a channel's registers) sees what the file mapped. */
    for (size_t i = 0; i < p->ndevices; i++) {
        emu_error *e = NULL;
        if (emu_device_realize(devs[i], &e) < 0) {
            fail_at(err, realize_failure_pos(&p->devices[i], e), e, "realize failed");
            goto out;
        }
        if (map_regions(m, devs[i], &p->devices[i], err) < 0)
            goto out;
    }
    for (size_t i = 0; i < p->ndevices; i++) {
        const mf_device_plan *d = &p->devices[i];
        for (size_t k = 0; k < d->nwires; k++) {
            const mf_wire_plan *w = &d->wires[k];
            emu_error *e = NULL;
            emu_device *dst = w->target == MF_TARGET_MACHINE ? emu_machine_lines(m, &e)
                                                             : devs[w->target];
            if (!dst || emu_line_connect(devs[i], w->out, w->out_index, dst, w->in,
                                         w->in_index, &e) < 0) {
                fail_at(err, &w->pos, e, "cannot connect the line");
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(devs);
    return rc;
}

static int build_board(emu_machine *m, const mf_plan *p, emu_error **err)
{
    if (!p->has_board)
        return 0;
    emu_error *e = NULL;
    emu_device *board = emu_device_new(m, p->board.type, p->board.id, &e);
    if (!board)
        return fail_at(err, &p->board.pos, e, "cannot create the board");
    if (set_props(board, &p->board, err) < 0)
        return -1;
    if (emu_device_realize(board, &e) < 0)
        return fail_at(err, realize_failure_pos(&p->board, e), e, "realize failed");
    return 0;
}

emu_machine *mf_build(const mf_plan *p, emu_error **err)
{
    emu_error *e = NULL;
    emu_machine *m = emu_machine_new(p->name, &e);
    if (!m) {
        mf_error_text(err, "%s: %s", p->source, emu_error_message(e));
        emu_error_free(e);
        return NULL;
    }
    m->source = emu_xstrdup(p->source);
    if (build_spaces(m, p, err) < 0 || build_memory(m, p, err) < 0 ||
        build_backends(m, p, err) < 0 || build_devices(m, p, err) < 0 ||
        build_board(m, p, err) < 0) {
        emu_machine_free(m);
        return NULL;
    }
    for (size_t i = 0; i < p->nscripts; i++) {
        char *s = emu_xstrdup(p->scripts[i]);
        EMU_PUSH(m->scripts, m->nscripts, m->scripts_cap, s);
    }
    emu_machine_reset(m);
    return m;
}
