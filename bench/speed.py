"""Training speed: rawnn's train loop against scikit-learn's MLPClassifier and a bare numpy loop.

Identical work on the digits data (1437 training images, D = 64, C = 10):
hidden 100, batch 32, 30 epochs (1350 steps), plain SGD at learning rate 0.01
without momentum, no regularisation, no early stopping, mean loss. The three
are run in turn, repeat after repeat (alternating, so a slow spell of the
machine hits all three alike), and the median and spread of each are reported
with the ratio of medians per pair. Then how rawnn's time grows with the
hidden size (25, 100, 400) and the batch size (8, 32, 128), beside the bare
loop. Writes bench/results/speed.json.

    python bench/speed.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import rawnn_helpers as rn

OUT = Path(__file__).resolve().parent / "results" / "speed.json"
EPOCHS, LR = 30, 0.01


def data():
    X_train, X_test, y_train, y_test = rn.load_digits_split(seed=0)
    return X_train / 16.0, X_test / 16.0, y_train, y_test


def run_rawnn(X, y, hidden, batch, seed=0):
    rng = np.random.default_rng(seed)
    params = rn.init_params(X.shape[1], hidden, 10, rng)
    steps = EPOCHS * -(-X.shape[0] // batch)
    t0 = time.perf_counter()
    rn.train(X, y, params, rng, optimizer=rn.SGD(LR), batch_size=batch, steps=steps, eval_every=None)
    return time.perf_counter() - t0, params


def run_bare(X, y, hidden, batch, seed=0):
    """Only the arithmetic: shuffle, forward, backward, update. No checks, no records."""
    rng = np.random.default_rng(seed)
    params = rn.init_params(X.shape[1], hidden, 10, rng)
    W1, b1, W2, b2 = (params[k] for k in rn.PARAM_NAMES)
    Y = np.eye(10)[y]
    N = X.shape[0]
    t0 = time.perf_counter()
    for _ in range(EPOCHS):
        order = rng.permutation(N)
        for start in range(0, N, batch):
            idx = order[start:start + batch]
            Xb, Yb = X[idx], Y[idx]
            h1 = Xb @ W1 + b1
            a1 = np.maximum(h1, 0.0)
            h2 = a1 @ W2 + b2
            e = np.exp(h2 - h2.max(axis=1, keepdims=True))
            P = e / e.sum(axis=1, keepdims=True)
            dh2 = (P - Yb) / len(idx)
            dW2 = a1.T @ dh2
            db2 = dh2.sum(axis=0)
            dh1 = (dh2 @ W2.T) * (h1 > 0)
            dW1 = Xb.T @ dh1
            db1 = dh1.sum(axis=0)
            W1 -= LR * dW1
            b1 -= LR * db1
            W2 -= LR * dW2
            b2 -= LR * db2
    return time.perf_counter() - t0, params


def run_sklearn(X, y, hidden, batch, seed=0):
    model = MLPClassifier((hidden,), solver="sgd", batch_size=batch, learning_rate_init=LR,
                          learning_rate="constant", momentum=0.0, nesterovs_momentum=False, alpha=0.0,
                          max_iter=EPOCHS, shuffle=True, tol=0.0, n_iter_no_change=EPOCHS + 1,
                          early_stopping=False, random_state=seed)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)   # it stops at max_iter by design
        model.fit(X, y)
    return time.perf_counter() - t0, model


RUNNERS = {"rawnn": run_rawnn, "bare numpy": run_bare, "scikit-learn": run_sklearn}


def stats(times):
    t = np.asarray(times)
    return {"median": float(np.median(t)), "min": float(t.min()), "max": float(t.max()),
            "times": [float(v) for v in t]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    X, X_test, y, y_test = data()

    # Accuracy of one run of each, to show the work is comparable, not only the same size.
    _, params = run_rawnn(X, y, 100, 32)
    _, bare_params = run_bare(X, y, 100, 32)
    _, model = run_sklearn(X, y, 100, 32)
    check = {"rawnn": rn.accuracy(y_test, rn.predict(X_test, params)),
             "bare numpy": rn.accuracy(y_test, rn.predict(X_test, bare_params)),
             "scikit-learn": float(model.score(X_test, y_test))}
    print("test accuracy after 30 epochs:", {k: round(v, 3) for k, v in check.items()}, flush=True)

    times = {name: [] for name in RUNNERS}
    for r in range(args.repeats):
        for name, run in RUNNERS.items():
            times[name].append(run(X, y, 100, 32, seed=r)[0])
        print(f"repeat {r + 1}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in times.items()), flush=True)
    main_stats = {name: stats(t) for name, t in times.items()}
    med = {k: v["median"] for k, v in main_stats.items()}
    ratios = {"rawnn / scikit-learn": med["rawnn"] / med["scikit-learn"],
              "rawnn / bare numpy": med["rawnn"] / med["bare numpy"],
              "bare numpy / scikit-learn": med["bare numpy"] / med["scikit-learn"]}
    # Spread of the ratio: the ratio within each repeat (the runs of one repeat are adjacent in time).
    per_repeat = {"rawnn / scikit-learn": np.array(times["rawnn"]) / np.array(times["scikit-learn"]),
                  "rawnn / bare numpy": np.array(times["rawnn"]) / np.array(times["bare numpy"])}
    for k, v in ratios.items():
        spread = f" (per repeat {per_repeat[k].min():.2f} .. {per_repeat[k].max():.2f})" if k in per_repeat else ""
        print(f"{k}: {v:.2f}{spread}")

    scaling = {"hidden": {}, "batch": {}}
    for hidden in (25, 100, 400):
        scaling["hidden"][hidden] = {name: stats([RUNNERS[name](X, y, hidden, 32, seed=r)[0]
                                                  for r in range(3)])["median"] for name in RUNNERS}
        print(f"hidden {hidden}: " + ", ".join(f"{k} {v:.3f} s" for k, v in scaling['hidden'][hidden].items()), flush=True)
    for batch in (8, 32, 128):
        scaling["batch"][batch] = {name: stats([RUNNERS[name](X, y, 100, batch, seed=r)[0]
                                                for r in range(3)])["median"] for name in RUNNERS}
        print(f"batch {batch}: " + ", ".join(f"{k} {v:.3f} s" for k, v in scaling['batch'][batch].items()), flush=True)

    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({
        "work": {"data": "digits, 1437 training images", "hidden": 100, "batch": 32, "epochs": EPOCHS,
                 "steps": EPOCHS * -(-X.shape[0] // 32), "lr": LR, "repeats": args.repeats},
        "accuracy": check, "times": main_stats,
        "ratios": ratios, "ratio_per_repeat": {k: [float(x) for x in v] for k, v in per_repeat.items()},
        "scaling": scaling,
    }, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
