/* emu SDK: basic types shared by every interface — errors, logging, opaque handles. */
#ifndef EMU_BASE_H
#define EMU_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define EMU_API __attribute__((visibility("default")))
#define EMU_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define EMU_API
#define EMU_PRINTF(f, a)
#endif

typedef struct emu_machine emu_machine;   /* one running machine (or user-mode process) */
typedef struct emu_device emu_device;     /* an instance of a type (see device.h) */
typedef struct emu_type emu_type;         /* a class provided by a plugin (see device.h) */

/*
 * Errors.  Functions that can fail take `emu_error **err` last and return
 * -1 (or NULL).  Pass NULL to ignore the message.  The first error set
 * wins; the caller owns it and releases it with emu_error_free().
 */
typedef struct emu_error emu_error;

/* Set *err to a new printf-style message (nothing when err is NULL or *err is already set). */
EMU_API void emu_error_set(emu_error **err, const char *fmt, ...) EMU_PRINTF(2, 3);
/* emu_error_set with a va_list. */
EMU_API void emu_error_vset(emu_error **err, const char *fmt, va_list ap);
/* Prefix an existing message: "PREFIX: old message". No-op when *err is NULL. */
EMU_API void emu_error_prefix(emu_error **err, const char *fmt, ...) EMU_PRINTF(2, 3);
/* The message text (valid until emu_error_free). */
EMU_API const char *emu_error_message(const emu_error *err);
/* Release an error; NULL is fine. */
EMU_API void emu_error_free(emu_error *err);

/*
 * Logging.  Errors and warnings are always printed (to stderr).  The other
 * categories are printed only when enabled with `--log CAT,...`.
 */
typedef enum emu_log_cat {
    EMU_LOG_ERROR      = 1u << 0,
    EMU_LOG_WARN       = 1u << 1,
    EMU_LOG_INFO       = 1u << 2,
    EMU_LOG_GUEST      = 1u << 3,  /* the guest misprogrammed a device ("guest_errors") */
    EMU_LOG_UNIMP      = 1u << 4,  /* a feature the model does not implement */
    EMU_LOG_UNASSIGNED = 1u << 5,  /* access to an address nothing decodes */
    EMU_LOG_TRACE      = 1u << 6,  /* per-access device traces */
    EMU_LOG_EXEC       = 1u << 7,  /* executed blocks (CPU engine) */
    EMU_LOG_CPU        = 1u << 8,  /* exceptions, interrupts, MMU faults */
} emu_log_cat;

/* Print a printf-style message of category `cat` when it is enabled.  dev
   may be NULL; when set the message is prefixed with the device id. */
EMU_API void emu_log(const emu_device *dev, emu_log_cat cat, const char *fmt, ...) EMU_PRINTF(3, 4);
/* Whether `cat` is printed: test it before formatting costly traces. */
EMU_API bool emu_log_enabled(emu_log_cat cat);

#ifdef __cplusplus
}
#endif
#endif
