"""Accuracy on Iris over the 20 stratified splits: recipes of the series against scikit-learn.

1. Chooses the "best recipe" on validation data only: for each of the 20
   splits, a stratified quarter of the 120 training flowers is held out for
   validation; every candidate (optimizer, learning rate, feature scaling,
   initialisation, number of steps) trains on the other 90 and is scored by
   its validation loss, averaged over the splits. The test flowers are not
   looked at.
2. Trains the chosen recipe on the full training split and reports test
   accuracy, beside the post's recipe, scikit-learn's MLPClassifier (SGD
   with the post's settings, and Adam) and LogisticRegression.

Every net and every MLPClassifier is run with 5 seeds per split (100 runs);
LogisticRegression is deterministic (20 runs). Writes bench/results/accuracy.json.

    python bench/accuracy.py            # about 20 minutes on 2 cores
"""

from __future__ import annotations

import itertools
import json
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

import rawnn_helpers as rn

OUT = Path(__file__).resolve().parent / "results" / "accuracy.json"
SPLITS = range(20)
SEEDS = range(5)
HIDDEN = 20
BATCH = 16

OPTIMIZERS = {"SGD": rn.SGD, "Momentum": rn.Momentum, "Adam": rn.Adam}
INITS = {"Xavier": rn.xavier_uniform, "He": rn.he_normal}
CANDIDATES = [
    dict(optimizer=opt, lr=lr, scale=scale, init=init, steps=steps)
    for (opt, lrs) in [("SGD", (0.01, 0.03, 0.1)), ("Momentum", (0.003, 0.01, 0.03)),
                       ("Adam", (0.001, 0.003, 0.01, 0.03))]
    for lr, scale, init, steps in itertools.product(lrs, (False, True), ("Xavier", "He"), (1000, 3000, 10000))
]
POST = dict(optimizer="SGD", lr=0.003, scale=False, init="Xavier", steps=1000, reduction="sum", batch=8)


def fit_recipe(X_train, y_train, recipe, rng):
    """Train a net with a recipe; return a function mapping raw X to probabilities."""
    if recipe["scale"]:
        mean, std = rn.fit_standardizer(X_train)
    else:
        mean, std = np.zeros(X_train.shape[1]), np.ones(X_train.shape[1])
    params = rn.init_params(X_train.shape[1], HIDDEN, 3, rng, weight_init=INITS[recipe["init"]])
    rn.train(rn.standardize(X_train, mean, std), y_train, params, rng,
             optimizer=OPTIMIZERS[recipe["optimizer"]](recipe["lr"]),
             batch_size=recipe.get("batch", BATCH), steps=recipe["steps"],
             reduction=recipe.get("reduction", "mean"), eval_every=None)
    return lambda X: rn.forward(rn.standardize(X, mean, std), params)[0]


def summary(values):
    values = np.asarray(values)
    return {"mean": float(values.mean()), "std": float(values.std()), "min": float(values.min()),
            "max": float(values.max()), "runs": int(values.size)}


def choose_recipe():
    scores = []
    for recipe in CANDIDATES:
        losses = []
        for split in SPLITS:
            X_train, _, y_train, _ = rn.load_iris_split(seed=split)
            X_fit, X_val, y_fit, y_val = train_test_split(
                X_train, y_train, test_size=0.25, random_state=1000 + split, stratify=y_train)
            predict_proba = fit_recipe(X_fit, y_fit, recipe, np.random.default_rng([split, 99]))
            losses.append(rn.nll_loss(predict_proba(X_val), rn.one_hot(y_val, 3)))
        scores.append((float(np.mean(losses)), recipe))
    scores.sort(key=lambda s: s[0])
    return scores


def test_accuracies(recipe):
    accs = []
    for split in SPLITS:
        X_train, X_test, y_train, y_test = rn.load_iris_split(seed=split)
        for seed in SEEDS:
            predict_proba = fit_recipe(X_train, y_train, recipe, np.random.default_rng([split, seed]))
            accs.append(rn.accuracy(y_test, predict_proba(X_test).argmax(axis=1)))
    return accs


def sklearn_accuracies(make, seeds=SEEDS):
    accs = []
    for split in SPLITS:
        X_train, X_test, y_train, y_test = rn.load_iris_split(seed=split)
        for seed in seeds:
            with warnings.catch_warnings():
                # MLPClassifier warns when it reaches max_iter; the count is part of the recipe.
                warnings.simplefilter("ignore", ConvergenceWarning)
                model = make(5 * split + seed).fit(X_train, y_train)
            accs.append(float(model.score(X_test, y_test)))
    return accs


def main():
    t0 = time.perf_counter()
    scores = choose_recipe()
    best = scores[0][1]
    print(f"chose {best} (validation loss {scores[0][0]:.4f}) in {time.perf_counter() - t0:.0f} s", flush=True)
    rows = {
        "the post's recipe": summary(test_accuracies(POST)),
        "best recipe (chosen on validation)": summary(test_accuracies(best)),
        "MLPClassifier (SGD, the post's settings)": summary(sklearn_accuracies(
            lambda s: MLPClassifier((20,), solver="sgd", batch_size=8, learning_rate_init=0.003,
                                    momentum=0, alpha=0, max_iter=1000, random_state=s))),
        "MLPClassifier (Adam, max_iter=2000)": summary(sklearn_accuracies(
            lambda s: MLPClassifier((20,), max_iter=2000, random_state=s))),
        "LogisticRegression(max_iter=1000)": summary(sklearn_accuracies(
            lambda s: LogisticRegression(max_iter=1000), seeds=[0])),
    }
    for name, row in rows.items():
        print(f"{name:>42}: mean {row['mean']:.3f}, std {row['std']:.3f}, "
              f"min {row['min']:.3f}, max {row['max']:.3f} ({row['runs']} runs)", flush=True)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({
        "best_recipe": {**best, "hidden": HIDDEN, "batch": BATCH, "reduction": "mean"},
        "validation": [{"loss": loss, **recipe} for loss, recipe in scores],
        "test": rows,
        "seconds": time.perf_counter() - t0,
    }, indent=1) + "\n")
    print(f"wrote {OUT} in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
