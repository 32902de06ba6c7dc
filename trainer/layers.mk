# The trainer's stages as layers (README.md, "How it fits together"):
#   common < read < clean < learn, evaluate < look, store < cli (and main.c)
# Each stage's files compile with the include folders of itself and the stages below
# it, and no others, so an upward #include does not build.  trainer/layers.sh checks
# the include graph from the sources too (no cycle, no stage includes cli/, cluster/
# includes nothing of trainer/): `make check-layers`, part of `make test`.
LAYER_common   = common
LAYER_read     = common read
LAYER_clean    = common read clean
LAYER_learn    = common read clean learn
LAYER_evaluate = common read clean evaluate
LAYER_look     = common read clean evaluate look
LAYER_store    = common read clean evaluate store
LAYER_cli      = $(TRAINER_DIRS)
$(foreach s,$(TRAINER_DIRS),$(eval build/core/trainer/$(s)/%.o: ALLCFLAGS += $(addprefix -Itrainer/,$(LAYER_$(s)))))
build/core/trainer/main.o: ALLCFLAGS += $(TRAINER_INC)

.PHONY: check-layers
check-layers:
	@sh trainer/layers.sh
