"""Instruction counts of a callgrind run, attributed to the innermost inlined source.

Valgrind's own annotator charges inlined code to the function it was inlined into,
and this Valgrind reads no inline information from GCC 12's DWARF 5 at all.  So the
profile is recorded with --dump-instr=yes, the counts are summed per instruction
address of one object (tg.so), and `addr2line -i` names the innermost function and
file of each address: code inlined from tokenize.h is counted as tokenize.h.

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


def attribute(mine, binary):
    """{(file, function): Ir} by the innermost inlined location of each address."""
    addrs = sorted(mine)
    res = collections.Counter()
    for i in range(0, len(addrs), 2000):
        chunk = addrs[i:i + 2000]
        out = subprocess.run(["addr2line", "-e", binary, "-f", "-i", "-a"] + [hex(a) for a in chunk],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        cur, state, fn = None, None, None
        for line in out:
            if re.match(r"0x[0-9a-f]+$", line):
                cur, state = int(line, 16), "fn"
            elif state == "fn":
                fn, state = line, "file"
            elif state == "file":
                src = line.split(" ")[0].rsplit(":", 1)[0].rsplit("/", 1)[-1]
                res[(src, fn)] += mine[cur]
                state = None
    return res


# Where each piece of tg.so's work belongs, for the README's breakdown.
def group_of(src, fn):
    if src == "tokenize.h":
        return "tokenize + case-fold + FNV-1a hash (tokenize.h)"
    if src == "feature_keys.h":
        return "feature keys: mix64, bigrams (feature_keys.h)"
    if fn in ("tg_model_lookup", "tg_key_fingerprint", "tg_row_bits"):
        return "hash-table lookup (model.h)"
    if (src == "model.c" and fn == "tg_model_accumulate") or src == "half.h" or \
            fn in ("tg_row_scale", "tg_row_norm2"):
        return "read rows + add weights, loop (model.c, half.h)"
    if fn in ("tg_model_logits", "tg_model_top", "tg_sigmoid", "tg_rank_text") or src == "ranking.h":
        return "logits, top label, ranking"
    if src in ("checksum.c",) or fn in ("tg_model_load", "check_rows", "check_slots", "check_labels",
                                         "check_params", "label_is_valid", "load_deployed", "make_loaded"):
        return "model load, once (checksum, checks)"
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
