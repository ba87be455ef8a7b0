"""Mutation proof of the gradient check.

A gradient check is only worth something if it fails for a wrong backward
pass. :func:`assert_gradients_match` is the check, written once: it runs a
small seeded net, compares every gradient a ``backward_fn`` returns with
``rawnn_helpers.numerical_gradient`` of the loss, and raises
``AssertionError`` naming the parameters that disagree.

The real ``rawnn_helpers.backward`` must pass it, and so must this file's own
transcription of the formulas (:func:`reference_backward`) and a rewriting
that is equal to it (a product transposed twice). Then each ``broken_*``
function below is :func:`reference_backward` with one change, marked
``# BUG``, a bug seen in practice: no ReLU mask, no batch sum on a bias, a batch mean
instead of the sum, ``h1`` where ``a1`` belongs, a missing transpose, a mean
where a sum was asked, and the blog post's ``dW1 = X^T (P - Y) W2^T``. The
check must reject every one of them, and blame the parameters the bug
touches and no others.

The net is square (``D == H == C == 4``), so that a forgotten transpose still
gives arrays of the right shape and only the values betray it.
"""

import re

import numpy as np
import pytest

import rawnn_helpers as rh

N, D, H, C = 8, 4, 4, 4
SEED = 1
TOLERANCE = 1e-7
REDUCTIONS = ("mean", "sum")


def square_net():
    """``X (8, 4)``, one-hot ``Y (8, 4)`` and float64 params with D = H = C = 4.

    Seed 1 puts every hidden pre-activation at least 0.06 away from the ReLU
    kink (a finite-difference step of 1e-6 never crosses it) and makes about
    half of them negative (so a missing mask, or ``h1`` used for ``a1``,
    changes the numbers). Both facts are checked here, not assumed.
    """
    rng = np.random.default_rng(SEED)
    X = rng.normal(size=(N, D))
    params = {
        "W1": rng.normal(size=(D, H)),
        "b1": rng.normal(size=H) * 0.5,
        "W2": rng.normal(size=(H, C)),
        "b2": rng.normal(size=C) * 0.5,
    }
    Y = rh.one_hot(rng.integers(0, C, size=N), C)
    h1 = X @ params["W1"] + params["b1"]
    if not (np.min(np.abs(h1)) > 1e-3 and np.sum(h1 < 0) >= N and np.sum(h1 > 0) >= N):
        raise RuntimeError("the seeded net no longer keeps h1 away from 0 with both signs")
    return X, Y, params


def assert_gradients_match(backward_fn, reduction):
    """Raise ``AssertionError`` unless ``backward_fn`` gives the true gradients.

    ``backward_fn(Y, cache, params, reduction)`` must return a dict with the
    keys ``W1, b1, W2, b2``, each of the parameter's shape and within
    ``rel_error`` 1e-7 of ``rh.numerical_gradient`` of
    ``nll_loss(forward(X, params)[0], Y, reduction)``. The message lists every
    parameter that fails, in the order of ``PARAM_NAMES``.
    """
    X, Y, params = square_net()
    _, cache = rh.forward(X, params)
    grads = backward_fn(Y, cache, params, reduction)
    if not isinstance(grads, dict):
        raise AssertionError(f"backward_fn must return a dict, got {type(grads).__name__}")
    failures = {}
    for key in rh.PARAM_NAMES:
        if key not in grads:
            failures[key] = "missing"
            continue

        def loss(value, key=key):
            trial = dict(params)
            trial[key] = value
            return rh.nll_loss(rh.forward(X, trial)[0], Y, reduction)

        numeric = rh.numerical_gradient(loss, params[key])
        got = np.asarray(grads[key], dtype=np.float64)
        if got.shape != numeric.shape:
            failures[key] = f"shape {got.shape}, expected {numeric.shape}"
            continue
        if not np.all(np.isfinite(got)):
            failures[key] = "holds NaN or inf"
            continue
        err = rh.rel_error(got, numeric)
        if err > TOLERANCE:
            failures[key] = f"rel_error {err:.3g} > {TOLERANCE:g}"
    if failures:
        detail = "; ".join(f"{k}: {v}" for k, v in failures.items())
        raise AssertionError(
            f"gradients disagree with finite differences for {list(failures)} "
            f"(reduction={reduction!r}): {detail}"
        )


def fails_for(*keys):
    """The regex that :func:`assert_gradients_match` raises for exactly these keys."""
    return re.escape(f"for {list(keys)} ")


# ---------------------------------------------------------------------------
# The correct formulas, transcribed, and the broken versions (one line each)
# ---------------------------------------------------------------------------

def reference_backward(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh1
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def transposed_twice_backward(Y, cache, params, reduction):
    """Not a mutation: ``(dh1^T X)^T`` equals ``X^T dh1``."""
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = (dh1.T @ X).T                   # the only change, and an equal one
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_no_relu_mask(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1                             # BUG: gradient flows through dead units
    dW1 = X.T @ dh1
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_db1_without_batch_sum(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh1
    db1 = dh1                             # BUG: (N, H), one row per sample
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_db2_without_batch_sum(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2                             # BUG: (N, C), one row per sample
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh1
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_db1_batch_mean(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh1
    db1 = dh1.mean(axis=0)                # BUG: mean over the batch instead of the sum
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_db2_batch_mean(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2.mean(axis=0)                # BUG: mean over the batch instead of the sum
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh1
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_dW2_uses_h1(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = h1.T @ dh2                      # BUG: pre-activations instead of activations
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh1
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_da1_without_transpose(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"]              # BUG: W2 where W2^T belongs (fits only as H == C)
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh1
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_dW1_transposed(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = dh1.T @ X                       # BUG: (H, D), the transpose of dW1 (fits as D == H)
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_always_divides_by_n(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = (P - Y) / X.shape[0]            # BUG: a mean even when reduction == "sum"
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh1
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_never_divides_by_n(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y                           # BUG: a sum even when reduction == "mean"
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh1
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def broken_post_dW1(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2
    db2 = dh2.sum(axis=0)
    da1 = dh2 @ params["W2"].T
    dh1 = da1 * (h1 > 0)
    dW1 = X.T @ dh2 @ params["W2"].T      # BUG: the post's X^T (P - Y) W2^T, no ReLU mask
    db1 = dh1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


# ---------------------------------------------------------------------------
# What must pass
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_rawnn_backward_passes_the_gradient_check(reduction):
    assert_gradients_match(rh.backward, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_reference_transcription_passes_the_gradient_check(reduction):
    assert_gradients_match(reference_backward, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_a_product_transposed_twice_is_not_a_mutation_and_passes(reduction):
    assert_gradients_match(transposed_twice_backward, reduction)


def test_the_mean_only_mutation_is_harmless_for_the_mean_reduction():
    # broken_always_divides_by_n differs from the truth only when a sum is asked.
    assert_gradients_match(broken_always_divides_by_n, "mean")


def test_the_sum_only_mutation_is_harmless_for_the_sum_reduction():
    # broken_never_divides_by_n differs from the truth only when a mean is asked.
    assert_gradients_match(broken_never_divides_by_n, "sum")


# ---------------------------------------------------------------------------
# What must fail, and where
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradient_check_rejects_backward_without_relu_mask(reduction):
    with pytest.raises(AssertionError, match=fails_for("W1", "b1")):
        assert_gradients_match(broken_no_relu_mask, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradient_check_rejects_db1_without_batch_sum_by_its_shape(reduction):
    with pytest.raises(AssertionError, match=fails_for("b1") + r".*b1: shape \(8, 4\), expected \(4,\)"):
        assert_gradients_match(broken_db1_without_batch_sum, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradient_check_rejects_db2_without_batch_sum_by_its_shape(reduction):
    with pytest.raises(AssertionError, match=fails_for("b2") + r".*b2: shape \(8, 4\), expected \(4,\)"):
        assert_gradients_match(broken_db2_without_batch_sum, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradient_check_rejects_db1_as_a_batch_mean(reduction):
    with pytest.raises(AssertionError, match=fails_for("b1")):
        assert_gradients_match(broken_db1_batch_mean, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradient_check_rejects_db2_as_a_batch_mean(reduction):
    with pytest.raises(AssertionError, match=fails_for("b2")):
        assert_gradients_match(broken_db2_batch_mean, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradient_check_rejects_dW2_computed_from_h1_instead_of_a1(reduction):
    with pytest.raises(AssertionError, match=fails_for("W2")):
        assert_gradients_match(broken_dW2_uses_h1, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradient_check_rejects_da1_with_W2_not_transposed(reduction):
    with pytest.raises(AssertionError, match=fails_for("W1", "b1")):
        assert_gradients_match(broken_da1_without_transpose, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradient_check_rejects_dW1_returned_transposed(reduction):
    with pytest.raises(AssertionError, match=fails_for("W1")):
        assert_gradients_match(broken_dW1_transposed, reduction)


def test_gradient_check_rejects_a_mean_where_a_sum_was_asked():
    with pytest.raises(AssertionError, match=fails_for("W1", "b1", "W2", "b2")):
        assert_gradients_match(broken_always_divides_by_n, "sum")


def test_gradient_check_rejects_a_sum_where_a_mean_was_asked():
    with pytest.raises(AssertionError, match=fails_for("W1", "b1", "W2", "b2")):
        assert_gradients_match(broken_never_divides_by_n, "mean")


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradient_check_rejects_the_posts_dW1_formula(reduction):
    with pytest.raises(AssertionError, match=fails_for("W1")):
        assert_gradients_match(broken_post_dW1, reduction)


def test_gradient_check_rejects_a_missing_gradient():
    def without_b2(Y, cache, params, reduction):
        grads = reference_backward(Y, cache, params, reduction)
        del grads["b2"]
        return grads

    with pytest.raises(AssertionError, match=fails_for("b2") + r".*b2: missing"):
        assert_gradients_match(without_b2, "mean")


def test_gradient_check_rejects_nan_gradients():
    def with_nan(Y, cache, params, reduction):
        grads = reference_backward(Y, cache, params, reduction)
        grads["W2"] = np.full_like(grads["W2"], np.nan)
        return grads

    with pytest.raises(AssertionError, match=fails_for("W2") + r".*W2: holds NaN or inf"):
        assert_gradients_match(with_nan, "mean")
