"""A wheel holds tg.so (tg.dll on Windows), machine code for one platform, so it is a
platform wheel: files at its root (platlib) and tagged py3-none-PLATFORM instead of
setuptools' pure-Python py3-none-any.  PLATFORM comes from TG_WHEEL_PLATFORM, which
packages/python/build.sh sets: manylinux_2_X_ARCH from packages/glibc-audit.sh (what
the library's symbols need), or win_amd64.  Any Python 3 can use it (the library talks
to SQLite, never to Python's C API), hence no ABI tag.  Everything else is in
pyproject.toml."""
import os

from setuptools import Distribution, setup
from wheel.bdist_wheel import bdist_wheel

PLATFORM = os.environ.get("TG_WHEEL_PLATFORM")
if not PLATFORM:
    raise SystemExit("sqlite-tg: TG_WHEEL_PLATFORM is not set: build with packages/python/build.sh")


class PlatformDistribution(Distribution):
    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        return "py3", "none", PLATFORM


setup(distclass=PlatformDistribution, cmdclass={"bdist_wheel": PlatformWheel})
