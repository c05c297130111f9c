/* Error objects: a message that travels up from where a failure is found to where it is reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emu/base.h"
#include "util.h"

struct emu_error {
    char *msg;
};

void emu_error_vset(emu_error **err, const char *fmt, va_list ap)
{
    if (!err || *err)
        return;
    emu_error *e = emu_xmalloc(sizeof *e);
    e->msg = emu_vasprintf(fmt, ap);
    *err = e;
}

void emu_error_set(emu_error **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emu_error_vset(err, fmt, ap);
    va_end(ap);
}

void emu_error_prefix(emu_error **err, const char *fmt, ...)
{
    if (!err || !*err)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *pre = emu_vasprintf(fmt, ap);
    va_end(ap);
    char *msg = emu_asprintf("%s: %s", pre, (*err)->msg);
    free(pre);
    free((*err)->msg);
    (*err)->msg = msg;
}

const char *emu_error_message(const emu_error *err)
{
    return err ? err->msg : "(no error)";
}

void emu_error_free(emu_error *err)
{
    if (err) {
        free(err->msg);
        free(err);
    }
}
