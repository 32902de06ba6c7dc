"""Instruction counts of a callgrind run, attributed to the innermost inlined source.

Valgrind's own annotator charges inlined code to the function it was inlined into,
and this Valgrind reads no inline information from GCC 12's DWARF 5 at all.  So the
profile is recorded with --dump-instr=yes, the counts are summed per instruction
address of one object (tg.so), and `addr2line -i` names the innermost function and
file of each address: code inlined from tokenize.h is counted as tokenize.h.  The
compiler's intrinsic headers (emmintrin.h, avx2intrin.h, ...) are skipped: an SSE2 or
AVX2 instruction counts for the function that used the intrinsic.

Used by bench/speed --profile; also runnable as
    python3 bench/lib/callgrind_by_source.py callgrind.out tg.so /path/to/tg.so [EVENT]
"""
import collections
import re
import subprocess
import sys


def parse(path, object_suffix, event="Ir"):
    """Returns ({address: count} for the object, {other object basename: count}) of one
    event (Ir, or with --cache-sim=yes also D1mr, DLmr, ...)."""
    names = {}

    def name(kind, v):
        m = re.match(r"\((\d+)\)(?:\s+(.*))?", v)
        if not m:
            return v
        if m.group(2):
            names[(kind, m.group(1))] = m.group(2)
        return names.get((kind, m.group(1)), v)

    obj, addr, skip, col = None, 0, False, None
    mine, other = collections.Counter(), collections.Counter()
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"(c?)(ob|fl|fi|fe|fn)=(.*)", line)
            if m:
                kind = {"fi": "fl", "fe": "fl"}.get(m.group(2), m.group(2))
                v = name(kind, m.group(3))
                if m.group(1) == "" and kind == "ob":
                    obj = v
                continue
            if line.startswith("events:"):
                col = line.split()[1:].index(event)
                continue
            if line.startswith("calls="):
                skip = True   # the next line is the call's inclusive cost
                continue
            if not line or not (line[0].isdigit() or line[0] in "+-*"):
                continue
            fields = line.split()
            a = fields[0]
            if a.startswith("0x"):
                addr = int(a, 16)
            elif a[0] in "+-":
                addr += int(a)
            if skip:
                skip = False
                continue
            # fields: address, line, then the events in order (trailing zeros omitted)
            cost = int(fields[2 + col]) if len(fields) > 2 + col else 0
            if obj and obj.endswith(object_suffix):
                mine[addr] += cost
            else:
                other[(obj or "?").rsplit("/", 1)[-1]] += cost
    return mine, other


# The compiler's own headers (GCC's and clang's intrinsics, cpuid.h): their inline
# functions are one instruction each, the cost of the code that calls them.
COMPILER_HEADER = re.compile(r"/lib/(gcc|clang)/.+/include(-fixed)?/[^/]+$")


def attribute(mine, binary):
    """{(file, function): Ir} by the innermost inlined location of each address that is
    not in a compiler header."""
    addrs = sorted(mine)
    res = collections.Counter()

    def charge(addr, frames):
        # frames: (function, path) from the innermost inlined call outwards
        fn, path = next((f for f in frames if not COMPILER_HEADER.search(f[1])), frames[0])
        res[(path.rsplit("/", 1)[-1], fn)] += mine[addr]

    for i in range(0, len(addrs), 2000):
        chunk = addrs[i:i + 2000]
        out = subprocess.run(["addr2line", "-e", binary, "-f", "-i", "-a"] + [hex(a) for a in chunk],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        cur, frames, fn = None, [], None
        for line in out:
            if re.match(r"0x[0-9a-f]+$", line):
                if frames:
                    charge(cur, frames)
                cur, frames, fn = int(line, 16), [], None
            elif fn is None:
                fn = line
            else:
                frames.append((fn, line.split(" ")[0].rsplit(":", 1)[0]))
                fn = None
        if frames:
            charge(cur, frames)
    return res


# Where each piece of tg.so's work belongs: the steps of tg_model_accumulate's batched
# path, as bench/speed_parts.c times them, then what comes before and after.
LOAD_FUNCTIONS = ("tg_model_load", "tg_model_load_buffer", "load_buffer", "make_model", "checksum_ok",
                  "tg_model_check_header", "tg_model_compute_layout", "swap_to_host", "check_rows",
                  "check_slots", "check_labels", "check_params", "label_is_valid", "tg_half_is_valid",
                  "tg_row_bits", "cpu_has_avx2_f16c", "detect_avx2_f16c", "load_deployed", "read_blob",
                  "read_column", "make_loaded")


def group_of(src, fn):
    if src == "checksum.c" or fn in LOAD_FUNCTIONS:
        return "model load, once (checksum, checks)"
    if src == "tokenize.h":
        return "scan: tokenize, case-fold, hash (tokenize.h)"
    # tg_model_accumulate's own code is almost all the loop that hands out the keys.
    if src == "feature_keys.h" or fn in ("put_key", "accumulate", "tg_model_accumulate"):
        return "feature keys + slot prefetch (feature_keys.h)"
    if fn in ("find_rows", "tg_model_lookup", "tg_key_fingerprint"):
        return "table probes + row prefetch (find_rows)"
    if fn.startswith("add_rows") or fn in ("row_halves", "q4", "tg_row_scale", "tg_row_norm2") or \
            src == "half.h":
        return "adding the found rows' weights (add_rows*)"
    if fn in ("tg_model_logits", "tg_model_top", "tg_sigmoid", "tg_rank_text") or src == "ranking.h":
        return "logits, top label, ranking"
    return "tg SQL glue (arguments, model pin, result)"


def summary(path, object_suffix, binary, event="Ir"):
    mine, other = parse(path, object_suffix, event)
    by_src = attribute(mine, binary)
    groups = collections.Counter()
    for (src, fn), v in by_src.items():
        groups[group_of(src, fn)] += v
    for obj, v in other.items():
        if obj.startswith("libsqlite3"):
            groups["SQLite (libsqlite3)"] += v
        elif obj.startswith("libc"):
            groups["libc (memcpy, malloc)"] += v
        else:
            groups["other (loader, driver)"] += v
    return groups, by_src


if __name__ == "__main__":
    groups, by_src = summary(sys.argv[1], sys.argv[2], sys.argv[3], *sys.argv[4:5])
    total = sum(groups.values())
    for g, v in groups.most_common():
        print(f"{v:>14,} {100 * v / total:6.1f}%  {g}")
    print(f"{total:>14,} total")
    print()
    for (src, fn), v in by_src.most_common(20):
        print(f"{v:>14,} {100 * v / total:6.1f}%  {src}:{fn}")
