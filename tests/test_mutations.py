"""Mutation proof of the gradient check: a wrong backward pass must fail it.

Each mutation below is a one-line edit to the source of ``rn.backward`` or of
one of the layers it is built from (``affine_backward``, ``relu_backward``,
``softmax_nll_backward``), a bug seen in practice: no ReLU mask, no batch sum
on a bias, a batch mean instead of the sum, ``h1`` where ``a1`` belongs, a
missing transpose, a mean where a sum was asked, the sign of ``P - Y``, and
the blog post's ``dW1 = X^T (P - Y) W2^T``. The edited function is compiled
in a copy of the module's namespace, with ``rn.backward`` beside it so that
it calls the edited layer, and put through :func:`gradient_check`, which
compares every gradient with finite differences; the check must reject it
and blame exactly the parameters the bug touches. The unedited
``rn.backward`` must pass the same check.

The net is square (``D == H == C == 4``), so that a forgotten transpose still
gives arrays of the right shape and only the values betray it.
"""

import inspect
import textwrap

import numpy as np
import pytest

import rawnn_helpers as rn

N, D, H, C = 8, 4, 4, 4
TOLERANCE = 1e-7


def square_net():
    """``X (8, 4)``, one-hot ``Y (8, 4)`` and params with D = H = C = 4.

    Seed 1 keeps every hidden pre-activation at least 1e-3 from the ReLU kink
    (a finite-difference step of 1e-6 never crosses it), with at least N of
    each sign (so a missing mask changes the numbers); both are checked.
    """
    rng = np.random.default_rng(1)
    X = rng.normal(size=(N, D))
    params = {"W1": rng.normal(size=(D, H)), "b1": rng.normal(size=H) * 0.5,
              "W2": rng.normal(size=(H, C)), "b2": rng.normal(size=C) * 0.5}
    Y = rn.one_hot(rng.integers(0, C, size=N), C)
    h1 = X @ params["W1"] + params["b1"]
    assert np.min(np.abs(h1)) > 1e-3 and np.sum(h1 < 0) >= N and np.sum(h1 > 0) >= N
    return X, Y, params


def gradient_check(backward_fn, reduction):
    """The parameters whose gradient from ``backward_fn`` is wrong, with the reason."""
    X, Y, params = square_net()
    grads = backward_fn(Y, rn.forward(X, params)[1], params, reduction, check=False)
    wrong = {}
    for key in rn.PARAM_NAMES:
        numeric = rn.numerical_gradient(
            lambda v, key=key: rn.nll_loss(rn.forward(X, {**params, key: v})[0], Y, reduction), params[key])
        got = np.asarray(grads[key])
        if got.shape != numeric.shape:
            wrong[key] = f"shape {got.shape}, expected {numeric.shape}"
        elif rn.rel_error(got, numeric) > TOLERANCE:
            wrong[key] = f"rel_error {rn.rel_error(got, numeric):.2g}"
    return wrong


def mutated_backward(function, line, replacement):
    """``rn.backward`` with the one line ``line`` of ``rn.<function>`` replaced."""
    source = textwrap.dedent(inspect.getsource(getattr(rn, function)))
    lines = [l for l in source.splitlines() if l.strip().split("#")[0].strip() == line]
    assert len(lines) == 1, f"rn.{function} has no single line {line!r}: update this mutation"
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
    namespace = dict(vars(rn))
    exec(compile(source.replace(lines[0], indent + replacement), "<mutant>", "exec"), namespace)
    if function != "backward":
        exec(compile(textwrap.dedent(inspect.getsource(rn.backward)), "<backward>", "exec"), namespace)
    return namespace["backward"]


# (name, function, its line, the buggy replacement, reductions, the parameters it must break)
BOTH = ("mean", "sum")
ALL = list(rn.PARAM_NAMES)
MUTATIONS = [
    ("no ReLU mask", "relu_backward", "return da * relu_grad(h)", "return da", BOTH, ["W1", "b1"]),
    ("the ReLU layer skipped", "backward", "dh1 = relu_backward(da1, h1, check=False)", "dh1 = da1", BOTH, ["W1", "b1"]),
    ("db without the batch sum", "affine_backward", "db = dh.sum(axis=0)", "db = dh", BOTH, ["b1", "b2"]),
    ("db as a batch mean", "affine_backward", "db = dh.sum(axis=0)", "db = dh.mean(axis=0)", BOTH, ["b1", "b2"]),
    ("dW2 from h1 instead of a1", "backward", 'da1, dW2, db2 = affine_backward(dh2, (a1, params["W2"]), check=False)',
     'da1, dW2, db2 = affine_backward(dh2, (h1, params["W2"]), check=False)', BOTH, ["W2"]),
    ("dX without the transpose of W", "affine_backward", "dX = dh @ W.T", "dX = dh @ W", BOTH, ["W1", "b1"]),
    ("dW returned transposed", "affine_backward", "dW = X.T @ dh", "dW = dh.T @ X", BOTH, ["W1", "W2"]),
    ("the post's dW1 = X^T (P - Y) W2^T", "backward", '_, dW1, db1 = affine_backward(dh1, (X, params["W1"]), check=False)',
     '_, dW1, db1 = affine_backward(dh1, (X, params["W1"]), check=False); dW1 = X.T @ da1', BOTH, ["W1"]),
    ("Y - P instead of P - Y", "softmax_nll_backward", "dh = P - Y", "dh = Y - P", BOTH, ALL),
    ("a mean where the sum was asked", "softmax_nll_backward", 'return dh / len(P) if reduction == "mean" else dh',
     "return dh / len(P)", ("sum",), ALL),
    ("a sum where the mean was asked", "softmax_nll_backward", 'return dh / len(P) if reduction == "mean" else dh',
     "return dh", ("mean",), ALL),
]
CASES = [pytest.param(function, line, new, reduction, broken, id=f"{name} ({reduction})")
         for name, function, line, new, reductions, broken in MUTATIONS for reduction in reductions]


@pytest.mark.parametrize("reduction", BOTH)
def test_rn_backward_passes_the_gradient_check(reduction):
    assert gradient_check(rn.backward, reduction) == {}


def test_an_unchanged_line_is_not_a_mutation():
    """The mutation machinery itself changes nothing but the line it is given."""
    same = mutated_backward("affine_backward", "dW = X.T @ dh", "dW = (dh.T @ X).T")
    assert gradient_check(same, "mean") == {} and gradient_check(same, "sum") == {}


@pytest.mark.parametrize("function, line, replacement, reduction, broken", CASES)
def test_the_gradient_check_catches_the_bug_and_blames_its_parameters(function, line, replacement, reduction, broken):
    wrong = gradient_check(mutated_backward(function, line, replacement), reduction)
    assert sorted(wrong) == sorted(broken), wrong
