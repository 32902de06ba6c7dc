"""The wheel holds tg.so, machine code for one platform, so it is a platform wheel:
files at its root (platlib) and tagged py3-none-linux_x86_64 instead of setuptools'
pure-Python py3-none-any.  Any Python 3 can use it (tg.so talks to SQLite, never to
Python's C API), hence no ABI tag.  Everything else is in pyproject.toml."""
from setuptools import Distribution, setup
from wheel.bdist_wheel import bdist_wheel


class PlatformDistribution(Distribution):
    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        return "py3", "none", super().get_tag()[2]


setup(distclass=PlatformDistribution, cmdclass={"bdist_wheel": PlatformWheel})
