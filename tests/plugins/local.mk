## Test plugins: well-formed and broken modules for the loader tests.
## Each sits in its own folder so a test can point --plugin-dir at exactly one.
tp_ldflags = -module -avoid-version -shared -rpath '$(abs_builddir)' $(SAN_LDFLAGS)
EXTRA_DIST += tests/plugins/tp-common.h
check_LTLIBRARIES += tests/plugins/good/tp_good.la tests/plugins/good/tp_old.la \
	tests/plugins/major/tp_major.la tests/plugins/newer/tp_newer.la \
	tests/plugins/clash/tp_clash.la tests/plugins/nodesc/tp_nodesc.la
tests_plugins_good_tp_good_la_SOURCES = tests/plugins/tp_good.c
tests_plugins_good_tp_good_la_CFLAGS = $(plugin_cflags)
tests_plugins_good_tp_good_la_LDFLAGS = $(tp_ldflags)
tests_plugins_good_tp_good_la_LIBADD = $(plugin_libadd)
tests_plugins_good_tp_old_la_SOURCES = tests/plugins/tp_old.c
tests_plugins_good_tp_old_la_CFLAGS = $(plugin_cflags)
tests_plugins_good_tp_old_la_LDFLAGS = $(tp_ldflags)
tests_plugins_good_tp_old_la_LIBADD = $(plugin_libadd)
tests_plugins_major_tp_major_la_SOURCES = tests/plugins/tp_major.c
tests_plugins_major_tp_major_la_CFLAGS = $(plugin_cflags)
tests_plugins_major_tp_major_la_LDFLAGS = $(tp_ldflags)
tests_plugins_major_tp_major_la_LIBADD = $(plugin_libadd)
tests_plugins_newer_tp_newer_la_SOURCES = tests/plugins/tp_newer.c
tests_plugins_newer_tp_newer_la_CFLAGS = $(plugin_cflags)
tests_plugins_newer_tp_newer_la_LDFLAGS = $(tp_ldflags)
tests_plugins_newer_tp_newer_la_LIBADD = $(plugin_libadd)
tests_plugins_clash_tp_clash_la_SOURCES = tests/plugins/tp_clash.c
tests_plugins_clash_tp_clash_la_CFLAGS = $(plugin_cflags)
tests_plugins_clash_tp_clash_la_LDFLAGS = $(tp_ldflags)
tests_plugins_clash_tp_clash_la_LIBADD = $(plugin_libadd)
tests_plugins_nodesc_tp_nodesc_la_SOURCES = tests/plugins/tp_nodesc.c
tests_plugins_nodesc_tp_nodesc_la_CFLAGS = $(plugin_cflags)
tests_plugins_nodesc_tp_nodesc_la_LDFLAGS = $(tp_ldflags)

dist_noinst_SCRIPTS += tests/plugins/test-loader.sh
TESTS += tests/plugins/test-loader.sh
