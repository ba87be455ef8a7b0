"""Accuracy on Iris over the 20 stratified splits: recipes of the series against scikit-learn.

1. Chooses the "best recipe" on the training flowers only, by 5-fold
   cross-validation: for each of the 20 splits, the 120 training flowers are
   cut into 5 stratified folds; every candidate (optimizer, learning rate,
   feature scaling, weight decay, number of steps) trains on 4 folds and
   predicts the 5th, so each training flower is predicted once per split,
   2400 validation predictions per candidate. The candidate with the most
   correct validation predictions wins; ties go to the lower validation loss.
   No test flower of a split enters that split's folds. But the 20 splits
   are drawn from the same 150 flowers, so a test flower of one split is a
   training (and validation) flower of most other splits: the pooled choice
   has seen, through other splits, the flowers it is tested on.
2. Trains the chosen recipe on the full training split and reports test
   accuracy, beside the post's recipe, the candidate with the lowest
   validation *loss* (the criterion of an earlier version of this script),
   scikit-learn's MLPClassifier (SGD with the post's settings, and Adam) and
   LogisticRegression; and the post's recipe run 6 times longer (6000 steps),
   with its summed loss and with the mean loss (8 times smaller steps), to tell
   training length from step size. Every row keeps its runs per split, for
   paired per-split differences.
3. The blind version of step 1 (nested cross-validation): for each split,
   the candidate with the most correct of that split's own 120 validation
   predictions (ties to the lower loss) is trained on that split and tested
   on its 30 test flowers, which it has never seen in any form. This
   measures the procedure "choose by cross-validation", not one recipe.

Every net and every MLPClassifier is run with 5 seeds per split (100 runs);
LogisticRegression is deterministic (20 runs). The candidates are spread over
all CPU cores; the result does not depend on their number.
Writes bench/results/accuracy.json.

    python bench/accuracy.py            # about 25 minutes on 2 cores
    python bench/accuracy.py --paired   # recompute only the paired differences
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
import warnings
from pathlib import Path

from multiprocessing import Pool

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier

import rawnn_helpers as rn

OUT = Path(__file__).resolve().parent / "results" / "accuracy.json"
SPLITS = range(20)
SEEDS = range(5)
HIDDEN = 20
BATCH = 16

OPTIMIZERS = {"SGD": rn.SGD, "Momentum": rn.Momentum, "Adam": rn.Adam}
INITS = {"Xavier": rn.xavier_uniform, "He": rn.he_normal}
FOLDS = 5
CANDIDATES = [
    dict(optimizer=opt, lr=lr, scale=scale, init="Xavier", weight_decay=wd, steps=steps)
    for (opt, lrs) in [("SGD", (0.01, 0.03, 0.1)), ("Momentum", (0.003, 0.01)),
                       ("Adam", (0.001, 0.003, 0.01))]
    for lr, scale, wd, steps in itertools.product(lrs, (False, True), (0.0, 0.01, 0.03, 0.1), (1000, 3000))
]
POST = dict(optimizer="SGD", lr=0.003, scale=False, init="Xavier", steps=1000, reduction="sum", batch=8)
# Longer runs of the post's recipe, summed and mean loss: is the gap to MLPClassifier training length or step size?
POST_LONG = {**POST, "steps": 6000}
MEAN_LONG = {**POST_LONG, "reduction": "mean"}


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
             reduction=recipe.get("reduction", "mean"), weight_decay=recipe.get("weight_decay", 0.0),
             eval_every=None)
    return lambda X: rn.forward(rn.standardize(X, mean, std), params)[0]


def summary(values, extra=None):
    """Mean, std (ddof 0), min and max over runs; and every run, one row per split (for paired differences)."""
    values = np.asarray(values)
    return {"mean": float(values.mean()), "std": float(values.std()), "min": float(values.min()),
            "max": float(values.max()), "runs": int(values.size),
            "by_split": values.reshape(len(SPLITS), -1).tolist(), **(extra or {})}


def cross_validate(recipe):
    """Validation errors and mean validation loss of a recipe, in total and per split."""
    split_errors, split_loss, total_loss, count = [], [], 0.0, 0
    for split in SPLITS:
        X_train, _, y_train, _ = rn.load_iris_split(seed=split)
        folds = StratifiedKFold(FOLDS, shuffle=True, random_state=1000 + split)
        errors, loss = 0, 0.0
        for fold, (fit, val) in enumerate(folds.split(X_train, y_train)):
            predict_proba = fit_recipe(X_train[fit], y_train[fit], recipe, np.random.default_rng([split, 99, fold]))
            P = predict_proba(X_train[val])
            errors += int(np.sum(P.argmax(axis=1) != y_train[val]))
            loss += rn.nll_loss(P, rn.one_hot(y_train[val], 3), reduction="sum")
        split_errors.append(errors)
        split_loss.append(loss / len(y_train))
        total_loss += loss
        count += len(y_train)
    total = sum(split_errors)
    return {"errors": total, "accuracy": 1 - total / count, "loss": total_loss / count,
            **recipe, "split_errors": split_errors, "split_loss": split_loss}


def choose_recipe(pool):
    """Every candidate's cross-validation scores, best first (most correct, then lowest loss)."""
    scores = pool.map(cross_validate, CANDIDATES, chunksize=1)
    return sorted(scores, key=lambda s: (s["errors"], s["loss"]))


def test_accuracies(recipes):
    """Test accuracy of each split's recipe (one per split), with every seed."""
    accs = []
    for split, recipe in zip(SPLITS, recipes, strict=True):
        X_train, X_test, y_train, y_test = rn.load_iris_split(seed=split)
        for seed in SEEDS:
            predict_proba = fit_recipe(X_train, y_train, recipe, np.random.default_rng([split, seed]))
            accs.append(rn.accuracy(y_test, predict_proba(X_test).argmax(axis=1)))
    return accs


def nested_choices(scores):
    """For each split, the candidate that split's own cross-validation ranks first."""
    return [recipe_of(min(scores, key=lambda s: (s["split_errors"][i], s["split_loss"][i])))
            for i in range(len(SPLITS))]


def sklearn_accuracies(make, seeds=SEEDS):
    """Test accuracies, and the epochs each model trained for (MLPClassifier's n_iter_) if it says."""
    accs, epochs = [], []
    for split in SPLITS:
        X_train, X_test, y_train, y_test = rn.load_iris_split(seed=split)
        for seed in seeds:
            with warnings.catch_warnings():
                # MLPClassifier warns when it reaches max_iter; the count is part of the recipe.
                warnings.simplefilter("ignore", ConvergenceWarning)
                model = make(5 * split + seed).fit(X_train, y_train)
            accs.append(float(model.score(X_test, y_test)))
            epochs.extend([int(model.n_iter_)] if hasattr(model, "n_iter_") and np.ndim(model.n_iter_) == 0 else [])
    return summary(accs, {"epochs": epochs} if epochs else None)


PAIRS = [  # (a, b): the paired per-split difference a - b
    ("MLPClassifier (SGD, the post's settings)", "the post's recipe"),
    ("the post's recipe, 6000 steps", "the post's recipe"),
    ("mean loss (8 times smaller steps), 6000 steps", "the post's recipe, 6000 steps"),
    ("mean loss (8 times smaller steps), 6000 steps", "the post's recipe"),
    ("MLPClassifier (SGD, the post's settings)", "mean loss (8 times smaller steps), 6000 steps"),
    ("LogisticRegression(max_iter=1000)", "the post's recipe"),
    ("best recipe (chosen on validation)", "the post's recipe"),
    ("best recipe (chosen on validation)", "MLPClassifier (SGD, the post's settings)"),
    ("best recipe (chosen on validation)", "lowest validation loss"),
    ("chosen per split (nested cross-validation)", "MLPClassifier (SGD, the post's settings)"),
    ("chosen per split (nested cross-validation)", "LogisticRegression(max_iter=1000)"),
]


def paired(rows):
    """For each pair, the per-split difference of mean test accuracies: its mean and standard error.

    The standard error treats the 20 splits as independent; they share 150
    flowers, so it is too small, a lower bound on the uncertainty.
    """
    out = {}
    for a, b in PAIRS:
        d = np.mean(rows[a]["by_split"], axis=1) - np.mean(rows[b]["by_split"], axis=1)
        out[f"{a} - {b}"] = {"mean": float(d.mean()), "se": float(d.std(ddof=1) / np.sqrt(d.size)),
                             "splits": int(d.size)}
    return out


def recipe_of(score):
    return {k: score[k] for k in CANDIDATES[0]}


def main():
    t0 = time.perf_counter()
    with Pool(os.cpu_count()) as pool:
        scores = choose_recipe(pool)
    best, by_loss = recipe_of(scores[0]), recipe_of(min(scores, key=lambda s: s["loss"]))
    nested = nested_choices(scores)
    print(f"chose {best} ({scores[0]['errors']} validation errors of {len(SPLITS) * 120}, "
          f"loss {scores[0]['loss']:.4f}) in {time.perf_counter() - t0:.0f} s", flush=True)
    rows = {
        "the post's recipe": summary(test_accuracies([POST] * len(SPLITS))),
        "the post's recipe, 6000 steps": summary(test_accuracies([POST_LONG] * len(SPLITS))),
        "mean loss (8 times smaller steps), 6000 steps": summary(test_accuracies([MEAN_LONG] * len(SPLITS))),
        "best recipe (chosen on validation)": summary(test_accuracies([best] * len(SPLITS))),
        "lowest validation loss": summary(test_accuracies([by_loss] * len(SPLITS))),
        "chosen per split (nested cross-validation)": summary(test_accuracies(nested)),
        "MLPClassifier (SGD, the post's settings)": (sklearn_accuracies(
            lambda s: MLPClassifier((20,), solver="sgd", batch_size=8, learning_rate_init=0.003,
                                    momentum=0, alpha=0, max_iter=1000, random_state=s))),
        "MLPClassifier (Adam, max_iter=2000)": (sklearn_accuracies(
            lambda s: MLPClassifier((20,), max_iter=2000, random_state=s))),
        "LogisticRegression(max_iter=1000)": (sklearn_accuracies(
            lambda s: LogisticRegression(max_iter=1000), seeds=[0])),
    }
    for name, row in rows.items():
        print(f"{name:>42}: mean {row['mean']:.3f}, std {row['std']:.3f}, "
              f"min {row['min']:.3f}, max {row['max']:.3f} ({row['runs']} runs)", flush=True)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({
        "best_recipe": {**best, "hidden": HIDDEN, "batch": BATCH, "reduction": "mean"},
        "lowest_loss_recipe": {**by_loss, "hidden": HIDDEN, "batch": BATCH, "reduction": "mean"},
        "folds": FOLDS,
        "nested_choices": nested,
        "validation": scores,
        "test": rows,
        "paired": paired(rows),
        "seconds": time.perf_counter() - t0,
    }, indent=1) + "\n")
    print(f"wrote {OUT} in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    if sys.argv[1:] == ["--paired"]:        # recompute only the paired differences from the saved runs
        results = json.loads(OUT.read_text())
        OUT.write_text(json.dumps({**results, "paired": paired(results["test"])}, indent=1) + "\n")
    else:
        main()
