#!/bin/sh
# TAP: real programs nobody here wrote, under emu --user and under qemu-ppc-static.  Cross-builds
# Debian's lua5.4 and busybox source packages for 32-bit PowerPC (static), then
#   - runs the Lua scripts of tests/user/lua/ under both: one case per script, output and exit
#     status must be the same;
#   - runs busybox's own test suite (testsuite/runtest) with every applet going through emu,
#     and again through qemu: one case per busybox test, its result (PASS, FAIL, SKIPPED) must
#     be the same under both.  A test that fails the same way under both is fine: what is
#     compared is emu with QEMU.  Where QEMU 7.2 is wrong and emu does what the kernel does, the
#     test is listed in real-programs.qemu-differs with the reason.
#
# The sources: EMU_REAL_SOURCES names a folder holding the unpacked packages, as made by
#   apt-get source lua5.4 busybox        (needs a deb-src line; .ci/run does this)
# Without it the test is skipped.  The builds are cached in EMU_REAL_WORK (default: a folder of
# the build tree), so the next run only runs the programs.  Run alone with e.g.
#   make check TESTS=tests/user/real-programs.sh EMU_REAL_SOURCES=FOLDER
# BUSYBOX_SKIP lists applets whose tests are left out (default: bc, whose tests are long
# computations better suited to a benchmark); BUSYBOX_APPLETS, when set, lists the only ones run.
set -u
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
[ -n "${EMU_REAL_SOURCES:-}" ] ||
    skip_all "EMU_REAL_SOURCES is not set (a folder holding 'apt-get source lua5.4 busybox')"
[ -d "$EMU_REAL_SOURCES" ] || skip_all "EMU_REAL_SOURCES=$EMU_REAL_SOURCES is not a folder"
[ -n "${PPC_CC:-}" ] || skip_all "no PowerPC cross compiler (gcc-powerpc-linux-gnu)"
[ -n "${QEMU_PPC:-}" ] || skip_all "no qemu-ppc-static to compare with"
src=$(cd "$EMU_REAL_SOURCES" && pwd)
luasrc=$(ls -d "$src"/lua5.4-*/ 2>/dev/null | head -1)
bbsrc=$(ls -d "$src"/busybox-*/ 2>/dev/null | head -1)
luasrc=${luasrc%/}
bbsrc=${bbsrc%/}
[ -n "$luasrc$bbsrc" ] || skip_all "no lua5.4-*/ or busybox-*/ source folder in $src"

here=$EMU_SRCDIR/tests/user
work=${EMU_REAL_WORK:-$EMU_BUILDDIR/tests/user/real-programs.cache}
mkdir -p "$work" && work=$(cd "$work" && pwd)
cc=$PPC_CC
prefix=${cc%gcc}
qemu=$QEMU_PPC
cc_version=$($cc -dumpfullversion 2>/dev/null || $cc -dumpversion)
# An uninstalled emu is a libtool wrapper script that runs sed and friends from PATH, which the
# busybox suite points at busybox's applets: use the binary behind it directly.
emu=$EMU
emu_env=
for real in "$(dirname "$emu")/.libs/lt-emu" "$(dirname "$emu")/.libs/emu"; do
    if [ -x "$real" ] && head -c 2 "$emu" | grep -q '#!'; then
        emu_env="LD_LIBRARY_PATH=$(dirname "$emu")/core/.libs"
        emu=$real
        break
    fi
done

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
# Say what a log holds, as TAP comments.
show() { sed 's/^/# /' | head -"${1:-20}"; }

# is_cached NAME RECIPE: the build NAME was made from the same recipe (sources, compiler,
# options), so it need not be made again.
is_cached() { [ -f "$work/$1.stamp" ] && [ "$(cat "$work/$1.stamp")" = "$2" ]; }

# ---- Lua ----
if [ -n "$luasrc" ]; then
    lua=$work/lua
    recipe="$(basename "$luasrc") $cc $cc_version -O2 -DLUA_USE_LINUX -static"
    if ! is_cached lua "$recipe"; then
        rm -f "$work/lua.stamp" "$lua"
        echo "# building $(basename "$luasrc") for PowerPC"
        # Debian's patches turn the makefile into a libtool one and want a generated header:
        # compile the interpreter directly.
        mkdir -p "$work/lua-include"
        echo '#define DEB_HOST_MULTIARCH "powerpc-linux-gnu"' >"$work/lua-include/lua5.4-deb-multiarch.h"
        # shellcheck disable=SC2046
        if $cc -std=gnu99 -O2 -DLUA_USE_LINUX -static -I"$work/lua-include" -o "$lua" \
            $(ls "$luasrc"/src/*.c | grep -v '/luac\.c$') -lm >"$work/lua-build.log" 2>&1; then
            echo "$recipe" >"$work/lua.stamp"
        fi
    fi
    if [ -f "$work/lua.stamp" ]; then
        ok "lua: $(basename "$luasrc") cross-built for PowerPC"
        for script in "$here"/lua/*.lua; do
            name=$(basename "$script")
            for runner in emu qemu; do
                out=$work/lua-$name.$runner
                if [ $runner = emu ]; then
                    # shellcheck disable=SC2086
                    (cd "$work" && EMU_LUA_TEST=set timeout 120 env $emu_env "$emu" --user "$lua" "$script" >"$out" 2>&1 </dev/null)
                else
                    (cd "$work" && EMU_LUA_TEST=set timeout 120 "$qemu" "$lua" "$script" >"$out" 2>&1 </dev/null)
                fi
                echo "exit $?" >>"$out"
            done
            if cmp -s "$work/lua-$name.emu" "$work/lua-$name.qemu"; then
                ok "lua $name: same output and exit status under emu and qemu"
            else
                not_ok "lua $name: same output and exit status under emu and qemu (qemu < > emu)"
                diff "$work/lua-$name.qemu" "$work/lua-$name.emu" | show 30
            fi
        done
    else
        not_ok "lua: $(basename "$luasrc") cross-built for PowerPC"
        tail -20 "$work/lua-build.log" | show
    fi
else
    ok "lua # SKIP no lua5.4-*/ source folder in $src"
fi

# ---- busybox ----
if [ -n "$bbsrc" ]; then
    bb=$work/busybox/busybox
    # defconfig, static, without tc (which does not build against current kernel headers).
    recipe="$(basename "$bbsrc") $cc $cc_version defconfig static no-tc"
    if ! is_cached busybox "$recipe"; then
        rm -rf "$work/busybox.stamp" "$work/busybox"
        echo "# building $(basename "$bbsrc") for PowerPC"
        start=$(date +%s)
        cp -r "$bbsrc" "$work/busybox"
        if (cd "$work/busybox" &&
            make -s CROSS_COMPILE="$prefix" defconfig &&
            sed -i -e 's/^# CONFIG_STATIC is not set/CONFIG_STATIC=y/' \
                -e 's/^CONFIG_TC=y/# CONFIG_TC is not set/' .config &&
            yes '' | make -s CROSS_COMPILE="$prefix" oldconfig &&
            make -s -j2 CROSS_COMPILE="$prefix" busybox) >"$work/busybox-build.log" 2>&1; then
            echo "$recipe" >"$work/busybox.stamp"
        fi
        echo "# the build took $(($(date +%s) - start)) s"
    fi
    if [ -f "$work/busybox.stamp" ]; then
        ok "busybox: $(basename "$bbsrc") cross-built for PowerPC"
        # run_suite RUNNER: busybox's suite in its own copy of the test folder, every applet
        # name a host script that runs the PowerPC busybox with that argv[0]; the results
        # (sorted "RESULT: name" lines) go to $work/bb-RUNNER.results.
        run_suite() {
            runner=$1
            bin=$work/bb-$runner
            rm -rf "$bin" && mkdir -p "$bin"
            if [ "$runner" = emu ]; then
                printf '#!/bin/sh\nEMU_USER_ARGV0="${0##*/}" %s exec "%s" --user "%s" "$@"\n' \
                    "$emu_env" "$emu" "$bb" >"$bin/busybox"
            else
                printf '#!/bin/sh\nexec "%s" -0 "${0##*/}" "%s" "$@"\n' "$qemu" "$bb" >"$bin/busybox"
            fi
            chmod +x "$bin/busybox"
            cp "$work/busybox/.config" "$bin/.config"
            # The suite wants its source tree around it (it compiles ../scripts/echo.c).
            rm -rf "$work/tree-$runner" && mkdir "$work/tree-$runner"
            cp -r "$work/busybox/testsuite" "$work/busybox/scripts" "$work/tree-$runner/"
            applets=${BUSYBOX_APPLETS:-$(cd "$work/tree-$runner/testsuite" &&
                { ls | sed -n 's/\.tests$//p'; ls -d */ | tr -d /; } | sort -u |
                grep -vx -e "$(echo "${BUSYBOX_SKIP-bc}" | sed 's/ /\n/g')" | tr '\n' ' ')}
            # shellcheck disable=SC2086
            (cd "$work/tree-$runner/testsuite" && bindir=$bin PATH="$bin:$PATH" \
                timeout 1800 ./runtest -v $applets >"$work/bb-$runner.log" 2>&1 </dev/null)
            grep -a -E '^(PASS|FAIL|SKIPPED|UNTESTED):' "$work/bb-$runner.log" |
                sort >"$work/bb-$runner.results"
        }
        # Both at once, one a core: each has its own folders, and what the suite touches
        # outside them (/tmp/passwd, which tar must not write through a symlink; a free loop
        # device for mount, which busybox claims race-free) stands two runs at once.
        start=$(date +%s)
        run_suite emu &
        run_suite qemu &
        wait
        echo "# busybox: both test suites took $(($(date +%s) - start)) s"
        # One case per test name (a name the suite uses twice is compared occurrence by
        # occurrence), sorted by name (a tab in a name, as in sed's tests, sorts as a space);
        # qemu-differs lines are "NAME<tab>REASON".
        differs=$here/real-programs.qemu-differs
        [ -f "$differs" ] || differs=/dev/null
        cases=$(awk -F': ' -v differs="$differs" '
            BEGIN { while ((getline line < differs) > 0) if (line !~ /^#/ && split(line, d, "\t") == 2) why[d[1]] = d[2] }
            { name = substr($0, length($1) + 3); k = name SUBSEP (++seen[FILENAME, name]) }
            FILENAME == ARGV[1] { emu[k] = $1; keys[k] = name }
            FILENAME == ARGV[2] { qemu[k] = $1; keys[k] = name }
            END {
                for (k in keys) {
                    e = (k in emu) ? emu[k] : "missing"; q = (k in qemu) ? qemu[k] : "missing"
                    name = keys[k]; key = name; gsub(/\t/, " ", key)
                    if (e == q) print key "\tok - busybox " name ": " e " under both"
                    else if (name in why) print key "\tok - busybox " name ": qemu " q ", emu " e " (QEMU 7.2 is wrong: " why[name] ")"
                    else print key "\tnot ok - busybox " name ": qemu " q ", emu " e
                }
            }' "$work/bb-emu.results" "$work/bb-qemu.results" | sort | cut -f2-)
        same=0
        differ=0
        while IFS= read -r line; do
            case $line in
            "ok - "*) ok "${line#ok - }"; same=$((same + 1)) ;;
            *)
                not_ok "${line#not ok - }"
                differ=$((differ + 1))
                # What the test printed under emu.
                name=${line#not ok - busybox }
                name=${name%: qemu *}
                awk -v name="$name" 'index($0, ": " name) && /^(PASS|FAIL|SKIPPED|UNTESTED):/ { exit } { buf[NR % 15] = $0; last = NR }
                    END { for (i = last - 14; i <= last; i++) if (i > 0) print "emu: " buf[i % 15] }' \
                    "$work/bb-emu.log" | show 15
                ;;
            esac
        done <<EOF
$cases
EOF
        echo "# busybox: $same tests give the same result under emu and qemu, $differ differ"
        for r in PASS FAIL SKIPPED; do
            echo "# busybox $r: emu $(grep -c "^$r:" "$work/bb-emu.results") qemu $(grep -c "^$r:" "$work/bb-qemu.results")"
        done
    else
        not_ok "busybox: $(basename "$bbsrc") cross-built for PowerPC"
        tail -20 "$work/busybox-build.log" | show
    fi
else
    ok "busybox # SKIP no busybox-*/ source folder in $src"
fi
echo "1..$n"
