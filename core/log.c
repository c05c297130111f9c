/* Logging: categories enabled with --log, messages prefixed with the device id. */
#include <stdio.h>
#include <string.h>
#include "emu/device.h"
#include "log.h"

static unsigned enabled = EMU_LOG_ERROR | EMU_LOG_WARN;
static FILE *log_file;

static const struct { const char *name; unsigned bits; const char *doc; } cats[] = {
    { "info", EMU_LOG_INFO, "informational messages" },
    { "guest", EMU_LOG_GUEST, "the guest misprogrammed a device" },
    { "unimp", EMU_LOG_UNIMP, "features the models do not implement" },
    { "unassigned", EMU_LOG_UNASSIGNED, "accesses to addresses nothing decodes" },
    { "trace", EMU_LOG_TRACE, "device register traces" },
    { "exec", EMU_LOG_EXEC, "executed blocks" },
    { "cpu", EMU_LOG_CPU, "exceptions, interrupts, MMU faults" },
    { "all", ~0u, "everything" },
};

bool emu_log_enabled(emu_log_cat cat)
{
    return (enabled & cat) != 0;
}

void emu_log_set_file(FILE *f)
{
    log_file = f;
}

int emu_log_enable_list(const char *list, const char **bad)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < sizeof cats / sizeof cats[0]; i++)
            if (!strcmp(tok, cats[i].name))
                break;
        if (i == sizeof cats / sizeof cats[0]) {
            *bad = list + (tok - buf);
            return -1;
        }
        enabled |= cats[i].bits;
    }
    return 0;
}

void emu_log_print_categories(FILE *f)
{
    for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
        fprintf(f, "  %-11s %s\n", cats[i].name, cats[i].doc);
}

const char *emu_log_category_names(void)
{
    return "info, guest, unimp, unassigned, trace, exec, cpu, all";
}

void emu_log(const emu_device *dev, emu_log_cat cat, const char *fmt, ...)
{
    if (!(enabled & cat))
        return;
    FILE *f = log_file ? log_file : stderr;
    const char *kind = cat == EMU_LOG_ERROR ? "error: " : cat == EMU_LOG_WARN ? "warning: " : "";
    fprintf(f, "emu: %s", kind);
    if (dev && dev->id)
        fprintf(f, "%s: ", dev->id);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}
