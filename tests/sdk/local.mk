## SDK tests: the public headers, the installed SDK, the out-of-tree examples.
dist_noinst_SCRIPTS += tests/sdk/test-headers.sh
TESTS += tests/sdk/test-headers.sh
