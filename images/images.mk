# Container images and their Kubernetes manifests (README, "Containers and Kubernetes";
# deploy/).  Included by the top Makefile.
#
#   make images        tg-serve:VERSION and tg-train:VERSION (and :latest), with podman,
#                      from Debian packages and the .debs of make deb
#   make images-test   deploy/tg.yaml played with podman kube play and checked
#
# Both need root and podman (sh .ci/deps.sh images); podman's settings are
# images/containers.conf, never /etc's.  What is fetched (Debian root filesystems as
# tarballs, apt's .debs) is cached in $(IMAGES_CACHE), outside the clone.
.PHONY: images images-test images-deps

IMAGES_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tg/images
images images-test: export CONTAINERS_CONF = $(CURDIR)/images/containers.conf
images images-test: export TG_IMAGES_CACHE = $(IMAGES_CACHE)

images-deps:
	@sh .ci/deps.sh images

images: images-deps deb
	@sh images/build.sh

images-test: images all
	@sh images/test.sh
