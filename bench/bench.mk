# --- bench: benchmarks, never part of `make test` or CI (they take minutes) ---
# `make bench-scale`: tg-train's time and peak memory at 1x, 10x, 100x the shared file
# and at 1,000,000 films (bench/scale; about 3 minutes on 2 vCPUs, 2.5 GB of scratch
# in $TMPDIR).  SCALE_SIZES=1,10 for a quick look.  Figures: bench/README.md,
# "Training as data grows".
.PHONY: bench-scale
SCALE_SIZES ?= 1,10,100,1M

bench-scale: tg-train
	bench/scale --sizes $(SCALE_SIZES) --csv $(REAL_CSV)

# `make bench-splits`: tg-train's quality with each tenth of the file held out in turn
# (bench/splits; about 2 minutes on 2 vCPUs with the vectors fetched): the test split's
# 790 films alone cannot tell a 0.005 change from luck.  Figures: bench/README.md,
# "Ten test splits".
.PHONY: bench-splits
bench-splits: tg-train
	bench/splits --csv $(REAL_CSV)
