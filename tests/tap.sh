# A tiny TAP producer for shell tests.  Source it: . "$EMU_SRCDIR/tests/tap.sh"
tap_n=0
tap_failed=0

# skip_all REASON: the whole test cannot run here (a tool is missing).
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# ok STATUS DESCRIPTION: pass when STATUS is 0.
ok() {
    tap_n=$((tap_n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"; else echo "not ok $tap_n - $2"; tap_failed=$((tap_failed + 1)); fi
}

# is GOT WANT DESCRIPTION
is() {
    if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; fi
}

# like TEXT FIXED-STRING DESCRIPTION: TEXT contains the string.
like() {
    case "$1" in
    *"$2"*) ok 0 "$3" ;;
    *) ok 1 "$3"; echo "#   '$1'"; echo "#   does not contain '$2'" ;;
    esac
}

# unlike TEXT FIXED-STRING DESCRIPTION
unlike() {
    case "$1" in
    *"$2"*) ok 1 "$3"; echo "#   '$1'"; echo "#   contains '$2'" ;;
    *) ok 0 "$3" ;;
    esac
}

done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
