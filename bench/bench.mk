# --- bench: benchmarks, never part of `make test` or CI (they take minutes) ---
# `make bench-scale`: tg-train's time and peak memory at 1x, 10x, 100x the shared file
# and at 1,000,000 films (bench/scale; about 3 minutes on 2 vCPUs, 2.5 GB of scratch
# in $TMPDIR).  SCALE_SIZES=1,10 for a quick look.  Figures: bench/README.md,
# "Training as data grows".
.PHONY: bench-scale
SCALE_SIZES ?= 1,10,100,1M

bench-scale: tg-train
	bench/scale --sizes $(SCALE_SIZES) --csv $(REAL_CSV)
