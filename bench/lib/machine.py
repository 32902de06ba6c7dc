"""The machine a benchmark runs on: what every bench/ script prints beside its figures, and
the python3 the peers run with."""
import os
import platform
import subprocess
import sys


def cpu_model():
    """The CPU's model name (/proc/cpuinfo), since figures differ between CPUs."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def find_sklearn_python():
    """A python3 that imports scikit-learn (this one, else Debian's: the first python3 on
    PATH may be a build without it), or None."""
    for py in (sys.executable, "/usr/bin/python3"):
        if py and os.path.exists(py) and subprocess.run(
                [py, "-c", "import sklearn, numpy"], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode == 0:
            return py
    return None
