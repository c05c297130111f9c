## Malformed machine files: each must be refused with one clear positioned error (run.sh).
dist_noinst_SCRIPTS += tests/bad-machines/run.sh
EXTRA_DIST += tests/bad-machines
TESTS += tests/bad-machines/run.sh
