#!/usr/bin/env python3
"""Reference peers for tg's quality benchmark (bench/quality runs this).

Runs the three reference classifiers on the fixed evaluation protocol and reports,
for each: films, micro_f1, macro_f1, p_at_1, fit_seconds, predict_rows_per_sec,
model_bytes (and CPU seconds beside the wall seconds).

  sklearn_word12        TF-IDF word 1-2 grams (sublinear_tf, min_df=2)
                        + one-vs-rest LogisticRegression(C=4, solver=liblinear)
  sklearn_word12_char25 the same, plus TF-IDF char_wb 2-5 grams (sublinear_tf, min_df=2)
  fasttext              fastText CLI: supervised -loss ova -wordNgrams 2 -epoch 10 -lr 0.5
                        -dim 50 -thread 1 -seed 0 (text lower-cased, punctuation split off)

With --vectors FILE (word vectors in the .vec text format tg-train --vectors reads), also
  sklearn_word12_vec         sklearn_word12 plus each film's mean word vector (its
  sklearn_word12_char25_vec  lower-cased word tokens that have a vector), L2-normalised,
                             times 2, appended to its TF-IDF features (issue 22's recipe)

Protocol: rows of the Kaggle movies_metadata.csv with a non-blank overview (not the
placeholder "No overview found.", unless --keep-placeholder: tg keeps it, and bench/quality
passes it) and at least one of the 20 TMDB genres; the first row of a repeated id decides
(a later row of that id is never used).  Split by integer TMDB id: id % 10 == 0 test,
id % 10 == 1 validation, the rest train.  Models are fit on train only.  Thresholds are
tuned on validation, where a film always gets its top-scoring genre (as tg_tags does), two
ways: per genre, the score that maximizes that genre's F1 of the tagged set, or one score
for every genre that maximizes micro-F1 (tg-train --thresholds shared); each peer keeps
the way whose validation micro-F1 is higher (threshold_rule in its results; by_rule has
the test figures of both).  Cuts fall
only between distinct scores, the first best F1 wins (the fewest films tagged), and when
tagging nothing beyond the top genre is best the threshold is +inf (tg's trainer uses 1.0
on its probabilities, the same thing).  On test: micro-F1 and macro-F1 (mean over the 20 genres,
0 for a genre never tagged correctly) of the tagged sets, and P@1 (the top genre is one of
the film's genres).  These are the definitions of tests/realdata/quality.sql.

fit_seconds: vectorizer + learner fit on train, wall (fit_cpu_seconds: CPU); fastText: the
training subprocess.  predict_rows_per_sec: the test texts repeated --predict-repeat times
(default 1), divided by the seconds to score them and tag them with the thresholds
(scikit-learn: decision_function in batches of the test set; fastText: the `predict-prob
model.bin FILE -1 0.0` subprocess writing all 20 probabilities of every row to a file,
which includes loading its model; model_load_seconds is that CLI on an empty file).
model_bytes: pickled fitted pipeline (vectorizers' stop_words_ dropped) or fastText's .bin.

Deterministic: liblinear gets random_state=0, fastText runs one thread with -seed 0.
Dependencies: Python stdlib, numpy, scikit-learn, and the `fasttext` CLI on PATH
(skipped with a note if absent).
"""
import argparse, ast, csv, json, os, pickle, platform, re, resource, shutil, subprocess, sys, tempfile, time

import numpy as np

GENRES = ["Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama",
          "Family", "Fantasy", "Foreign", "History", "Horror", "Music", "Mystery", "Romance",
          "Science Fiction", "TV Movie", "Thriller", "War", "Western"]
GI = {g: i for i, g in enumerate(GENRES)}
PLACEHOLDER = "No overview found."
PEERS = ["sklearn_word12", "sklearn_word12_char25", "fasttext"]
VECTOR_PEERS = ["sklearn_word12_vec", "sklearn_word12_char25_vec"]
VECTOR_WEIGHT = 2.0
_word = re.compile(r"(?u)\b\w\w+\b")


def load_vectors(path, texts):
    """The vectors of the words the texts have (lower-cased word tokens), from a .vec file."""
    want = {w for t in texts for w in _word.findall(t.lower())}
    vec = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            word, _, rest = line.rstrip("\n").partition(" ")
            if n == 0 and word.isdigit() and rest.strip().isdigit():
                continue  # fastText's "N D" header
            if word in want and word not in vec:
                vec[word] = np.array(rest.split(), dtype=np.float32)
    return vec


class MeanVector:
    """Each text's mean word vector, L2-normalised and weighted, as one sparse row."""

    def __init__(self, vec):
        self.vec = vec
        self.dim = len(next(iter(vec.values())))

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        from scipy import sparse
        out = np.zeros((len(X), self.dim), np.float32)
        for i, t in enumerate(X):
            vs = [self.vec[w] for w in _word.findall(t.lower()) if w in self.vec]
            if vs:
                m = np.mean(vs, axis=0)
                n = np.linalg.norm(m)
                out[i] = VECTOR_WEIGHT * m / n if n > 0 else 0
        return sparse.csr_matrix(out)

    def fit_transform(self, X, y=None):
        return self.transform(X)

    def get_params(self, deep=True):
        return {"vec": self.vec}

    def set_params(self, **p):
        self.vec = p.get("vec", self.vec)
        return self


def load(path, keep_placeholder=False):
    csv.field_size_limit(1 << 30)
    seen, ids, texts, ys = set(), [], [], []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            try:
                i = int(r["id"])
            except (TypeError, ValueError):
                continue  # malformed (shifted) row
            if i in seen:
                continue  # the first row of an id decides, whatever it holds
            seen.add(i)
            ov = (r.get("overview") or "").strip()
            if not ov or (ov == PLACEHOLDER and not keep_placeholder):
                continue
            try:
                gl = ast.literal_eval(r.get("genres") or "[]")
            except (ValueError, SyntaxError):
                continue
            y = np.zeros(len(GENRES), np.int8)
            for d in gl if isinstance(gl, list) else []:
                if isinstance(d, dict) and d.get("name") in GI:
                    y[GI[d["name"]]] = 1
            if not y.any():
                continue
            ids.append(i); texts.append(ov); ys.append(y)
    return np.array(ids), texts, np.array(ys)


def split(ids):
    m = ids % 10
    return np.where((m != 0) & (m != 1))[0], np.where(m == 1)[0], np.where(m == 0)[0]


def _f1(tp, fp, fn):
    d = 2 * tp + fp + fn
    return 2 * tp / d if d else 0.0


def _best_cut(s, y, ftp, ffp, P):
    """The threshold on scores s (labels y, not forced) maximizing the F1 of the tagged
    set, given ftp / ffp forced true / false positives and P positives in all; +inf when
    tagging nothing beyond the forced is best."""
    if P == 0 or not len(s):
        return np.inf
    o = np.argsort(-s, kind="stable"); ss = s[o]; yy = y[o]
    tp = ftp + np.r_[0, np.cumsum(yy)]          # index k: the k best non-forced tagged
    k = np.arange(len(ss) + 1)
    fp = ffp + k - (tp - ftp); fn = P - tp
    f = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    valid = np.r_[True, ss[:-1] > ss[1:], True]  # cut only between distinct scores
    f = np.where(valid, f, -1.0); b = int(np.argmax(f))  # first best: fewest tagged
    if b == 0:
        return np.inf
    return (ss[b - 1] + ss[b]) / 2 if b < len(ss) else ss[-1]


def tune_thresholds(S, Y):
    """Per genre, the threshold maximizing that genre's F1 on (S, Y) with the top-1 genre
    forced; +inf when tagging nothing beyond the forced films is best (or no positives)."""
    forced = np.zeros(Y.shape, bool); forced[np.arange(len(S)), S.argmax(1)] = True
    return np.array([_best_cut(S[~forced[:, j], j], Y[~forced[:, j], j],
                               int((forced[:, j] & (Y[:, j] == 1)).sum()), int((forced[:, j] & (Y[:, j] == 0)).sum()),
                               int(Y[:, j].sum())) for j in range(Y.shape[1])])


def tune_shared(S, Y):
    """One threshold for every genre: the best micro-F1 over all (film, genre) pairs on
    (S, Y), the top-1 genre forced (tg-train --thresholds shared)."""
    forced = np.zeros(Y.shape, bool); forced[np.arange(len(S)), S.argmax(1)] = True
    t = _best_cut(S[~forced], Y[~forced], int((forced & (Y == 1)).sum()), int((forced & (Y == 0)).sum()),
                  int(Y.sum()))
    return np.full(Y.shape[1], t)


def choose_thresholds(S, Y):
    """Both rules' thresholds tuned on validation (S, Y), and the rule whose tags have the
    better validation micro-F1, as tg-train lets its user choose:
    ({"per-genre": thresholds, "shared": thresholds}, rule)."""
    ths = {"per-genre": tune_thresholds(S, Y), "shared": tune_shared(S, Y)}
    better = metrics(S, Y, ths["shared"])["micro_f1"] > metrics(S, Y, ths["per-genre"])["micro_f1"]
    return ths, "shared" if better else "per-genre"


def tag(S, th):
    P = (S >= th).astype(np.int8)
    P[np.arange(len(S)), S.argmax(1)] = 1
    return P


def metrics(S, Y, th):
    P = tag(S, th)
    tp = (P & Y).sum(0); fp = (P & (1 - Y)).sum(0); fn = ((1 - P) & Y).sum(0)
    return dict(films=int(len(S)), micro_f1=_f1(tp.sum(), fp.sum(), fn.sum()),
                macro_f1=float(np.mean([_f1(a, b, c) for a, b, c in zip(tp, fp, fn)])),
                p_at_1=float(Y[np.arange(len(S)), S.argmax(1)].mean()))


def child_cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_sklearn(with_char, T, Y, tr, va, te, repeat, vectors=None):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, make_pipeline
    vecs = [("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2))]
    if with_char:
        vecs.append(("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                             sublinear_tf=True, min_df=2)))
    if vectors:
        vecs.append(("vectors", MeanVector(vectors)))
    pipe = make_pipeline(FeatureUnion(vecs),
                         OneVsRestClassifier(LogisticRegression(C=4, solver="liblinear", random_state=0)))
    w0, c0 = time.perf_counter(), time.process_time()
    pipe.fit([T[i] for i in tr], Y[tr])
    fit = (time.perf_counter() - w0, time.process_time() - c0)
    ths, rule = choose_thresholds(pipe.decision_function([T[i] for i in va]), Y[va])
    th = ths[rule]
    test_texts = [T[i] for i in te]
    tagged = 0
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(repeat):  # one batch = the test set
        St = pipe.decision_function(test_texts)
        tagged += int(tag(St, th).sum())
    pred = (time.perf_counter() - w0, time.process_time() - c0)
    for _, v in pipe.steps[0][1].transformer_list:
        if hasattr(v, "stop_words_"):
            del v.stop_words_  # pruned-term set: not needed to predict
    size = len(pickle.dumps(pipe, protocol=pickle.HIGHEST_PROTOCOL))
    return St, ths, rule, fit, pred, size, {}


_ft_split = re.compile(r"([^\w\s])", re.UNICODE)


def _ft_text(t):
    return " ".join(_ft_split.sub(r" \1 ", t.lower()).split())


def run_fasttext(T, Y, tr, va, te, repeat, exe):
    tmp = tempfile.mkdtemp(prefix="tg_peers_ft_")
    try:
        def write(path, rows, labels, times=1):
            with open(path, "w", encoding="utf-8") as f:
                for _ in range(times):
                    for i in rows:
                        lab = " ".join("__label__" + GENRES[j].replace(" ", "_")
                                       for j in np.where(Y[i])[0]) if labels else ""
                        f.write((lab + " " if lab else "") + _ft_text(T[i]) + "\n")
        trf, vaf, tef, emf = (os.path.join(tmp, n) for n in ("train.txt", "val.txt", "test.txt", "empty.txt"))
        write(trf, tr, True); write(vaf, va, False); write(tef, te, False, repeat); write(emf, [], False)
        model = os.path.join(tmp, "model")
        w0, c0 = time.perf_counter(), child_cpu()
        subprocess.run([exe, "supervised", "-input", trf, "-output", model, "-loss", "ova",
                        "-wordNgrams", "2", "-epoch", "10", "-lr", "0.5", "-dim", "50",
                        "-thread", "1", "-seed", "0", "-verbose", "0"],
                       check=True, stdout=subprocess.DEVNULL)
        fit = (time.perf_counter() - w0, child_cpu() - c0)
        lab2j = {"__label__" + g.replace(" ", "_"): j for j, g in enumerate(GENRES)}

        def predict(path, n):
            """Runs the CLI with its output to a file; returns (wall, cpu, out path)."""
            out = path + ".out"
            with open(out, "w") as f:
                w0, c0 = time.perf_counter(), child_cpu()
                subprocess.run([exe, "predict-prob", model + ".bin", path, "-1", "0.0"],
                               check=True, stdout=f)
                return time.perf_counter() - w0, child_cpu() - c0, out

        def scores(out, n):
            S = np.zeros((n, len(GENRES)))
            with open(out) as f:
                lines = f.read().split("\n")
            if len(lines) < n or any(not ln for ln in lines[:n]):
                raise SystemExit(f"fasttext: {out}: expected {n} prediction lines, got {len(lines) - 1}")
            for r, line in enumerate(lines[:n]):
                p = line.split()
                for a, b in zip(p[0::2], p[1::2]):
                    if a in lab2j:
                        S[r, lab2j[a]] = float(b)
            return S
        ths, rule = choose_thresholds(scores(predict(vaf, len(va))[2], len(va)), Y[va])
        th = ths[rule]
        load_s = min(predict(emf, 0)[0] for _ in range(3))
        w, c, out = predict(tef, len(te) * repeat)
        St = scores(out, len(te))
        return St, ths, rule, fit, (w, c), os.path.getsize(model + ".bin"), {"model_load_seconds": round(load_s, 3)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def versions(fasttext_exe):
    import sklearn
    v = {"python": platform.python_version(), "numpy": np.__version__, "scikit-learn": sklearn.__version__}
    if fasttext_exe:
        try:
            v["fasttext"] = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "fasttext"],
                                           capture_output=True, text=True).stdout.strip() or "unknown"
        except OSError:
            v["fasttext"] = "unknown"
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", required=True, help="path of movies_metadata.csv")
    ap.add_argument("--out", help="write the results as JSON to this path")
    ap.add_argument("--only", choices=PEERS + VECTOR_PEERS, action="append",
                    help="run only this peer (repeatable)")
    ap.add_argument("--vectors", metavar="FILE", help="word vectors (.vec text) for the _vec peers")
    ap.add_argument("--fasttext", default="fasttext", help="fastText CLI executable [fasttext]")
    ap.add_argument("--keep-placeholder", action="store_true",
                    help='keep rows whose overview is "No overview found." (off by default; tg keeps them)')
    ap.add_argument("--predict-repeat", type=int, default=1, metavar="K",
                    help="measure prediction over the test texts repeated K times [1]")
    ap.add_argument("--split-out", metavar="PATH",
                    help="write the split as JSON: train and validation ids, test [id, genres]")
    a = ap.parse_args()
    if a.predict_repeat < 1:
        ap.error("--predict-repeat must be at least 1")

    ids, T, Y = load(a.csv, a.keep_placeholder)
    tr, va, te = split(ids)
    if a.split_out:
        with open(a.split_out, "w") as f:
            json.dump({"train": ids[tr].tolist(), "validation": ids[va].tolist(),
                       "test": [[int(ids[i]), [GENRES[j] for j in np.where(Y[i])[0]]] for i in te]}, f)
    todo = a.only or (PEERS + (VECTOR_PEERS if a.vectors else []))
    vectors = None
    if any(n in VECTOR_PEERS for n in todo):
        if not a.vectors:
            ap.error("the _vec peers need --vectors FILE")
        vectors = load_vectors(a.vectors, T)
        print(f"vectors: {len(vectors)} of the texts' words from {a.vectors}", file=sys.stderr)
    ft_exe = shutil.which(a.fasttext) if "fasttext" in todo else None
    res = {"protocol": {"rows": int(len(ids)), "train": int(len(tr)), "validation": int(len(va)),
                        "test": int(len(te)), "keep_placeholder": bool(a.keep_placeholder),
                        "predict_rows": int(len(te) * a.predict_repeat), "genres": GENRES},
           "versions": versions(ft_exe), "peers": {}}
    print(f"rows {len(ids)}: train {len(tr)}, validation {len(va)}, test {len(te)}", file=sys.stderr)
    for name in todo:
        if name == "fasttext":
            if not ft_exe:
                print("fasttext: CLI not found, skipped", file=sys.stderr)
                res["peers"][name] = {"skipped": "fasttext CLI not found"}
                continue
            St, ths, rule, fit, pred, size, extra = run_fasttext(T, Y, tr, va, te, a.predict_repeat, ft_exe)
        else:
            St, ths, rule, fit, pred, size, extra = run_sklearn("char25" in name, T, Y, tr, va, te, a.predict_repeat,
                                                         vectors if name.endswith("_vec") else None)
        th = ths[rule]
        m = metrics(St, Y[te], th)
        # Each rule's test figures too, so that a system keeping one rule compares like with like.
        m["by_rule"] = {r: {k: round(v, 4) for k, v in metrics(St, Y[te], t).items() if k.endswith("f1")}
                        for r, t in ths.items()}
        n_pred = len(te) * a.predict_repeat
        m.update(fit_seconds=round(fit[0], 3), fit_cpu_seconds=round(fit[1], 3),
                 predict_rows=n_pred, predict_seconds=round(pred[0], 3), predict_cpu_seconds=round(pred[1], 3),
                 predict_rows_per_sec=round(n_pred / pred[0], 1) if pred[0] > 0 else None,
                 model_bytes=int(size), threshold_rule=rule,
                 thresholds={g: (float(t) if np.isfinite(t) else None) for g, t in zip(GENRES, th)}, **extra)
        m = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()}
        res["peers"][name] = m
        print(f"{name:24s} films {m['films']} micro {m['micro_f1']:.3f} macro {m['macro_f1']:.3f} "
              f"P@1 {m['p_at_1']:.3f} fit {m['fit_seconds']:.2f}s predict {m['predict_rows_per_sec']}/s "
              f"model {m['model_bytes']} B", file=sys.stderr, flush=True)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(res, f, indent=2, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
