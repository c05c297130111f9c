/* Unit tests: number parsing, booleans and error chaining in core/util.c and core/error.c. */
#include "../tap.h"
#include "util.h"
#include "emu/base.h"

int main(void)
{
    uint64_t v;
    int64_t i;
    bool b;
    const char *why;
    ok(emu_parse_u64("4096", false, &v, &why) == 0 && v == 4096, "decimal");
    ok(emu_parse_u64("0xfff00000", false, &v, &why) == 0 && v == 0xfff00000u, "hex");
    ok(emu_parse_u64("128M", true, &v, &why) == 0 && v == 128u << 20, "size suffix M");
    ok(emu_parse_u64("64K", true, &v, &why) == 0 && v == 65536, "size suffix K");
    ok(emu_parse_u64("2G", true, &v, &why) == 0 && v == 2ull << 30, "size suffix G");
    ok(emu_parse_u64("1MiB", true, &v, &why) == 0 && v == 1u << 20, "size suffix MiB");
    ok(emu_parse_u64("128M", false, &v, &why) < 0, "suffix refused for plain numbers");
    ok(emu_parse_u64("99999999999999999999", false, &v, &why) < 0 && strstr(why, "64 bits"),
       "overflow is an error");
    ok(emu_parse_u64("17179869184G", true, &v, &why) < 0, "suffix overflow is an error");
    ok(emu_parse_u64("", false, &v, &why) < 0, "empty is an error");
    ok(emu_parse_u64("12abc", false, &v, &why) < 0, "trailing garbage is an error");
    ok(emu_parse_i64("-42", &i, &why) == 0 && i == -42, "negative");
    ok(emu_parse_i64("-9223372036854775808", &i, &why) == 0 && i == INT64_MIN, "INT64_MIN");
    ok(emu_parse_i64("9223372036854775808", &i, &why) < 0, "INT64_MAX+1 refused");
    ok(emu_parse_bool("yes", &b) == 0 && b, "bool yes");
    ok(emu_parse_bool("off", &b) == 0 && !b, "bool off");
    ok(emu_parse_bool("maybe", &b) < 0, "bool garbage refused");

    emu_error *e = NULL;
    emu_error_set(&e, "first %d", 1);
    emu_error_set(&e, "second");
    emu_error_prefix(&e, "ctx");
    is_str(emu_error_message(e), "ctx: first 1", "first error wins, prefix applies");
    emu_error_free(e);
    return tap_done();
}
