"""The machine a benchmark runs on, as every bench/ script prints it beside its figures."""
import platform


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
