# --- registry: the contract between tg-train, the extension and the cluster node ---
# registry/registry.sql is the schema, verbs.h the SQL of deploy and rollback, lookups.h
# the SQL with which the extension finds and reads the deployed model (README.md, "The
# model registry").  The trainer and the cluster node embed registry.sql itself:
# embed.sh turns it into build/gen/schema_sql.h.  The extension's sources see this
# folder through SQL_INC, the registry's trainer files through REGISTRY_INC.
REGISTRY_INC = -Iregistry -Ibuild/gen
REGISTRY_GEN = build/gen/schema_sql.h

$(REGISTRY_GEN): registry/registry.sql registry/embed.sh
	@mkdir -p $(dir $@)
	sh registry/embed.sh $< $@ tg_registry_schema_sql

build/core/trainer/store/%.o: ALLCFLAGS += $(REGISTRY_INC)
build/core/trainer/store/registry_open.o: $(REGISTRY_GEN)
