"""The shared code of the rawnn notebook series.

Every function here is derived in one notebook (its docstring says which) and
imported by the later ones, so each idea has exactly one definition.

One vocabulary is used everywhere, in the notebooks' LaTeX, in the code and
in these docstrings:

=========  ==========  ==================================================
name       shape       meaning
=========  ==========  ==================================================
``X``      ``(N, D)``  a batch of ``N`` samples with ``D`` features
``y``      ``(N,)``    integer class labels in ``0 .. C-1``
``Y``      ``(N, C)``  the same labels, one-hot (each row sums to 1)
``W1``     ``(D, H)``  input-to-hidden weights
``b1``     ``(H,)``    hidden biases
``h1``     ``(N, H)``  hidden pre-activations, ``X @ W1 + b1``
``a1``     ``(N, H)``  hidden activations, ``relu(h1)``
``W2``     ``(H, C)``  hidden-to-output weights
``b2``     ``(C,)``    output biases
``h2``     ``(N, C)``  logits, ``a1 @ W2 + b2``
``P``      ``(N, C)``  class probabilities, ``softmax(h2)``
=========  ==========  ==================================================

A gradient is ``d`` followed by the name: ``dW1`` is dL/dW1, of the same
shape as ``W1``.

Bad input raises ``ValueError`` (or ``TypeError`` for a wrong type) with a
message that names the argument, what was expected and what came, instead of
returning NaN or failing deep inside numpy.
"""

from __future__ import annotations

import os
from numbers import Integral
from pathlib import Path

import numpy as np

__all__ = [
    "PARAM_NAMES",
    "FIGURES_DIR",
    "relu",
    "relu_grad",
    "softmax",
    "log_softmax",
    "softmax_jacobian",
    "one_hot",
    "nll_loss",
    "xavier_uniform",
    "he_normal",
    "init_params",
    "forward",
    "backward",
    "numerical_gradient",
    "rel_error",
    "load_iris_split",
    "minibatches",
    "sgd_step",
    "predict",
    "accuracy",
    "train",
    "save_figure",
    "SGD",
    "Momentum",
    "Adam",
    "fit_standardizer",
    "standardize",
    "l2_penalty",
    "load_digits_split",
    "save_params",
    "load_params",
    "check_answer",
    "check_that",
]

#: The keys of a parameter dict, in the order of the forward pass.
PARAM_NAMES = ("W1", "b1", "W2", "b2")

#: Where the notebooks save their figures: ``figures/`` at the project's top.
#: The test suite points the environment variable ``RAWNN_FIGURES_DIR``
#: elsewhere, so that running the tests never rewrites the stored figures.
FIGURES_DIR = Path(__file__).resolve().parent / "figures"

_REDUCTIONS = ("mean", "sum")
_TINY = np.finfo(np.float64).tiny


# ---------------------------------------------------------------------------
# Input checks. Each returns a clean float64 (or int64) array, or raises.
# ---------------------------------------------------------------------------

def _describe(x):
    """A short description of what came, for error messages."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"[:120]


def _as_float_array(x, name, ndim=None, finite=True):
    """Convert ``x`` to a float64 array, checking type, dimensions and values."""
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a numeric array, got {_describe(x)}")
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a numeric array, got an array of dtype {arr.dtype}"
        )
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(
                f"{name} must be {want}, got a {arr.ndim}-D array of shape {arr.shape}"
            )
    if finite and not np.all(np.isfinite(arr)):
        bad = "NaN" if np.any(np.isnan(arr)) else "inf"
        raise ValueError(f"{name} must hold only finite numbers, but it holds {bad}")
    return arr


def _check_positive_int(n, name):
    """Return ``n`` as an int if it is a positive integer, else raise."""
    if isinstance(n, bool) or not isinstance(n, Integral):
        raise TypeError(f"{name} must be a positive integer, got {_describe(n)}")
    if n <= 0:
        raise ValueError(f"{name} must be a positive integer, got {n}")
    return int(n)


def _check_positive_number(x, name):
    """Return ``x`` as a float if it is a finite number > 0, else raise."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a positive number, got {_describe(x)}")
    if not np.isfinite(x) or x <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {x}")
    return float(x)


def _check_decay(x, name):
    """A decay rate of a running average (momentum, Adam's betas): a number in [0, 1)."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.floating)) or not 0.0 <= x < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {x!r}")
    return float(x)


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy Generator such as np.random.default_rng(0), "
            f"got {_describe(rng)}"
        )
    return rng


def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    return reduction


def _check_labels(y, num_classes=None, name="y"):
    """Return integer labels of shape (N,), each in 0 .. num_classes-1."""
    if isinstance(y, (str, bytes)) or y is None:
        raise TypeError(f"{name} must be an array of integer labels, got {_describe(y)}")
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of integer labels, got a {arr.ndim}-D "
            f"array of shape {arr.shape}"
        )
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if np.any(bad):
            raise ValueError(
                f"{name} must hold integer class labels, got non-integer values "
                f"such as {float(arr[bad][0])!r}"
            )
        if num_classes is not None and arr.size and arr.max() >= num_classes:
            raise ValueError(
                f"{name} must hold labels < num_classes = {num_classes}, got {float(arr.max()):g}"
            )
        if arr.size and np.abs(arr).max() > 2.0**53:
            raise ValueError(
                f"{name} must hold integer class labels, got {float(np.abs(arr).max()):g}"
            )
    elif arr.dtype.kind not in "iub":
        raise TypeError(
            f"{name} must hold integer class labels, got an array of dtype {arr.dtype}"
        )
    arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} must hold labels >= 0, got {arr.min()}")
    if num_classes is not None and arr.size and arr.max() >= num_classes:
        raise ValueError(
            f"{name} must hold labels < num_classes = {num_classes}, got {arr.max()}"
        )
    return arr


def _params_arrays(params):
    """The parameters as float64 arrays (after :func:`_check_params`)."""
    return {k: np.asarray(params[k], dtype=np.float64) for k in PARAM_NAMES}


def _check_params(params):
    """Check a parameter dict; return its dimensions ``(D, H, C)``."""
    if not isinstance(params, dict):
        raise TypeError(
            f"params must be a dict with keys {list(PARAM_NAMES)}, got {_describe(params)}"
        )
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(
            f"params must have keys {list(PARAM_NAMES)}, but {missing} missing "
            f"(it has {sorted(params)})"
        )
    extra = sorted(set(params) - set(PARAM_NAMES))
    if extra:
        raise ValueError(
            f"params must have exactly the keys {list(PARAM_NAMES)}, got extra keys {extra}"
        )
    W1 = _as_float_array(params["W1"], "params['W1']", ndim=2)
    W2 = _as_float_array(params["W2"], "params['W2']", ndim=2)
    D, H = W1.shape
    C = W2.shape[1]
    expected = {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}
    for key, shape in expected.items():
        arr = np.asarray(params[key])
        if arr.shape != shape:
            raise ValueError(
                f"params['{key}'] must have shape {shape} to match W1 {W1.shape}, "
                f"got shape {arr.shape}"
            )
        _as_float_array(arr, f"params['{key}']")
    return D, H, C


def _check_X(X, D=None):
    X = _as_float_array(X, "X", ndim=2)
    if X.shape[0] == 0:
        raise ValueError("X must hold at least one sample, got an empty batch of shape "
                         f"{X.shape}")
    if D is not None and X.shape[1] != D:
        raise ValueError(
            f"X must have D = {D} columns to match params['W1'] of shape ({D}, H), "
            f"got X of shape {X.shape}"
        )
    return X


def _check_Y(Y, N, C, name="Y"):
    """One-hot (or probability) targets of shape (N, C) whose rows sum to 1."""
    Y = _as_float_array(Y, name, ndim=2)
    if Y.shape != (N, C):
        raise ValueError(f"{name} must have shape (N, C) = {(N, C)}, got {Y.shape}")
    if np.any(Y < 0) or not np.allclose(Y.sum(axis=1), 1.0):
        raise ValueError(
            f"each row of {name} must be a probability vector (entries >= 0 summing "
            "to 1), such as a one-hot label: P - Y is the gradient only then "
            "(notebook 04)"
        )
    return Y


# ---------------------------------------------------------------------------
# 01: the network
# ---------------------------------------------------------------------------

def relu(h):
    """Rectified linear unit, ``max(0, h)`` elementwise.

    Introduced in ``01_network.ipynb``.

    Parameters
    ----------
    h : ndarray of any shape, e.g. ``(N, H)``
        Pre-activations.

    Returns
    -------
    a : ndarray of the same shape as ``h``
    """
    h = _as_float_array(h, "h", finite=False)
    return np.maximum(h, 0.0)


def relu_grad(h):
    """Derivative of :func:`relu`: 1 where ``h > 0``, else 0.

    At ``h == 0`` the derivative is undefined; we use 0 there, as the post's
    code does (``h1 > 0``). Derived in ``05_backprop.ipynb``.

    Parameters
    ----------
    h : ndarray of any shape, e.g. ``(N, H)``

    Returns
    -------
    mask : ndarray of the same shape as ``h``, float64 of 0s and 1s
    """
    h = _as_float_array(h, "h", finite=False)
    return (h > 0).astype(np.float64)


def _check_logits(h, name="h"):
    h = _as_float_array(h, name, ndim=(1, 2))
    if h.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one class (column), got shape {h.shape}")
    return h


def _softmax(h):
    z = h - h.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax(h):
    """Row-wise softmax, numerically stable.

    ``P[n, i] = exp(h[n, i]) / sum_k exp(h[n, k])``, computed after subtracting
    each row's maximum, which changes nothing mathematically but keeps every
    ``exp`` at most 1, so large logits cannot overflow. Derived in
    ``03_softmax_nll.ipynb``.

    Parameters
    ----------
    h : ndarray of shape ``(N, C)``, or ``(C,)`` for one sample
        Logits.

    Returns
    -------
    P : ndarray of the same shape as ``h``
        Probabilities; each row sums to 1.
    """
    return _softmax(_check_logits(h))


def _log_softmax(h):
    z = h - h.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def log_softmax(h):
    """Row-wise ``log(softmax(h))``, computed without taking a log of 0.

    ``log P[n, i] = z[n, i] - log sum_k exp(z[n, k])`` with
    ``z = h - max_k h[n, k]``: finite for any finite logits, even where
    ``softmax`` itself underflows to exactly 0. Derived in
    ``03_softmax_nll.ipynb``.

    Parameters
    ----------
    h : ndarray of shape ``(N, C)``, or ``(C,)``
        Logits.

    Returns
    -------
    logP : ndarray of the same shape as ``h``
    """
    return _log_softmax(_check_logits(h))


def softmax_jacobian(p):
    """The Jacobian of softmax for one sample, ``J = diag(p) - p p^T``.

    ``J[i, j] = dp_i / dh_j = p_i (delta_ij - p_j)``. Derived in
    ``04_softmax_jacobian.ipynb``.

    Parameters
    ----------
    p : ndarray of shape ``(C,)``
        The softmax output of one sample (not the logits).

    Returns
    -------
    J : ndarray of shape ``(C, C)``
        Symmetric; each row and each column sums to 0.
    """
    p = _as_float_array(p, "p", ndim=1)
    if np.any(p < 0) or not np.isclose(p.sum(), 1.0):
        raise ValueError(
            "p must be a probability vector (softmax output, entries >= 0 summing "
            f"to 1), got entries summing to {p.sum():.6g}: did you pass logits?"
        )
    return np.diag(p) - np.outer(p, p)


def one_hot(y, num_classes):
    """Turn integer labels into one-hot rows.

    Introduced in ``01_network.ipynb``.

    Parameters
    ----------
    y : ndarray of shape ``(N,)``
        Integer labels in ``0 .. num_classes - 1``.
    num_classes : int
        ``C``, the number of classes.

    Returns
    -------
    Y : ndarray of shape ``(N, C)``, float64
        ``Y[n, y[n]] = 1`` and 0 elsewhere.
    """
    C = _check_positive_int(num_classes, "num_classes")
    y = _check_labels(y, C)
    Y = np.zeros((y.shape[0], C))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def nll_loss(P, Y, reduction="mean"):
    """Negative log-likelihood of targets ``Y`` under probabilities ``P``.

    ``L = -sum_n sum_i Y[n, i] log P[n, i]``, divided by ``N`` when
    ``reduction="mean"``. With one-hot ``Y`` this is the cross-entropy.
    Derived in ``03_softmax_nll.ipynb``.

    How it stays finite where a probability is exactly 0: a term with
    ``Y[n, i] == 0`` contributes exactly 0 (the convention ``0 log 0 = 0``,
    the limit of ``y log p`` as both go to 0), and a probability that the
    target needs is clipped from below at the smallest positive normal float64,
    ``np.finfo(float).tiny`` (about 2.2e-308), so it costs about 708 instead
    of infinity. The loss is therefore always finite and >= 0.

    Parameters
    ----------
    P : ndarray of shape ``(N, C)``
        Predicted probabilities, each row summing to 1 (``softmax(h2)``).
    Y : ndarray of shape ``(N, C)``
        Targets, one-hot or rows of probabilities.
    reduction : {"mean", "sum"}
        Average over the ``N`` samples, or add them up (the post sums).

    Returns
    -------
    L : float
    """
    reduction = _check_reduction(reduction)
    P = _as_float_array(P, "P", ndim=2)
    Y = _as_float_array(Y, "Y", ndim=2)
    if P.shape != Y.shape:
        raise ValueError(
            f"P and Y must have the same shape (N, C), got P {P.shape} and Y {Y.shape}"
        )
    if P.shape[0] == 0 or P.shape[1] == 0:
        raise ValueError(f"P must hold at least one sample and one class, got shape {P.shape}")
    if np.any(P < 0) or np.any(P > 1 + 1e-9):
        raise ValueError(
            "P must hold probabilities in [0, 1], got values from "
            f"{P.min():.4g} to {P.max():.4g}: did you pass logits h2 instead of "
            "softmax(h2)?"
        )
    if np.any(Y < 0):
        raise ValueError("Y must hold non-negative targets, got a negative entry")
    return _nll(P, Y, reduction)


def _nll(P, Y, reduction):
    logP = np.log(np.clip(P, _TINY, 1.0))
    total = -np.sum(np.where(Y != 0, Y * logP, 0.0))
    if reduction == "mean":
        total /= P.shape[0]
    return float(total)


# ---------------------------------------------------------------------------
# 02: initialisation
# ---------------------------------------------------------------------------

def xavier_uniform(n_in, n_out, rng):
    """Xavier (Glorot) uniform weights, ``U(-a, a)`` with ``a = sqrt(6 / (n_in + n_out))``.

    The bound keeps ``Var(W) = 2 / (n_in + n_out)``, the compromise between
    preserving the variance forward (``1 / n_in``) and backward
    (``1 / n_out``). Derived in ``02_xavier_init.ipynb``.

    Parameters
    ----------
    n_in, n_out : int
        Fan-in and fan-out, e.g. ``D`` and ``H`` for ``W1``.
    rng : numpy.random.Generator
        The only source of randomness, passed down from the caller.

    Returns
    -------
    W : ndarray of shape ``(n_in, n_out)``
    """
    n_in = _check_positive_int(n_in, "n_in")
    n_out = _check_positive_int(n_out, "n_out")
    rng = _check_rng(rng)
    bound = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-bound, bound, size=(n_in, n_out))


def he_normal(n_in, n_out, rng):
    """He (Kaiming) normal weights, ``N(0, 2 / n_in)``, made for ReLU layers.

    ReLU zeroes half of its inputs on average, halving the variance each
    layer; the factor 2 makes up for it. Compared with Xavier in
    ``02_xavier_init.ipynb``.

    Parameters
    ----------
    n_in, n_out : int
        Fan-in and fan-out.
    rng : numpy.random.Generator

    Returns
    -------
    W : ndarray of shape ``(n_in, n_out)``
    """
    n_in = _check_positive_int(n_in, "n_in")
    n_out = _check_positive_int(n_out, "n_out")
    rng = _check_rng(rng)
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def init_params(in_dim, hidden_dim, out_dim, rng, weight_init=xavier_uniform):
    """Fresh parameters for the network: random weights, zero biases.

    The biases are sized from the arguments (the post hard-codes 20 and 3,
    erratum 4). Introduced in ``01_network.ipynb``, justified in
    ``02_xavier_init.ipynb``.

    Parameters
    ----------
    in_dim, hidden_dim, out_dim : int
        ``D``, ``H`` and ``C``.
    rng : numpy.random.Generator
    weight_init : callable, default :func:`xavier_uniform`
        Called as ``weight_init(n_in, n_out, rng)`` for each weight matrix.

    Returns
    -------
    params : dict
        ``{"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}``, float64.
    """
    D = _check_positive_int(in_dim, "in_dim")
    H = _check_positive_int(hidden_dim, "hidden_dim")
    C = _check_positive_int(out_dim, "out_dim")
    rng = _check_rng(rng)
    if not callable(weight_init):
        raise TypeError(f"weight_init must be callable, got {_describe(weight_init)}")
    params = {
        "W1": np.asarray(weight_init(D, H, rng), dtype=np.float64),
        "b1": np.zeros(H),
        "W2": np.asarray(weight_init(H, C, rng), dtype=np.float64),
        "b2": np.zeros(C),
    }
    for key, shape in (("W1", (D, H)), ("W2", (H, C))):
        if params[key].shape != shape:
            raise ValueError(
                f"weight_init must return an array of shape (n_in, n_out) = {shape} for "
                f"{key}, got {params[key].shape}"
            )
    return params


# ---------------------------------------------------------------------------
# 01 and 05: forward and backward passes
# ---------------------------------------------------------------------------

def _forward(X, params):
    h1 = X @ params["W1"] + params["b1"]
    a1 = np.maximum(h1, 0.0)
    h2 = a1 @ params["W2"] + params["b2"]
    P = _softmax(h2)
    return P, {"X": X, "h1": h1, "a1": a1, "h2": h2, "P": P}


def forward(X, params):
    """The forward pass: ``h1 = X W1 + b1``, ``a1 = relu(h1)``, ``h2 = a1 W2 + b2``, ``P = softmax(h2)``.

    Derived in ``01_network.ipynb``.

    Parameters
    ----------
    X : ndarray of shape ``(N, D)``
    params : dict
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``.

    Returns
    -------
    P : ndarray of shape ``(N, C)``
        Class probabilities; each row sums to 1.
    cache : dict
        What :func:`backward` needs: ``X (N, D)``, ``h1 (N, H)``,
        ``a1 (N, H)``, ``h2 (N, C)`` and ``P (N, C)``.
    """
    D, _, _ = _check_params(params)
    X = _check_X(X, D)
    return _forward(X, _params_arrays(params))


def _backward(Y, cache, params, reduction):
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = P - Y                          # (N, C): softmax + NLL, rows of Y sum to 1
    if reduction == "mean":
        dh2 = dh2 / X.shape[0]
    dW2 = a1.T @ dh2                     # (H, N) @ (N, C) -> (H, C)
    db2 = dh2.sum(axis=0)                # (C,): b2 was added to every sample
    da1 = dh2 @ params["W2"].T           # (N, C) @ (C, H) -> (N, H)
    dh1 = da1 * (h1 > 0)                 # gradient flows only where ReLU fired
    dW1 = X.T @ dh1                      # (D, N) @ (N, H) -> (D, H)
    db1 = dh1.sum(axis=0)                # (H,)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def backward(Y, cache, params, reduction="mean"):
    """Gradients of ``nll_loss(P, Y, reduction)`` with respect to every parameter.

    Derived in ``05_backprop.ipynb`` (the softmax part in
    ``04_softmax_jacobian.ipynb``)::

        dh2 = P - Y            (divided by N for the mean)   (N, C)
        dW2 = a1^T dh2                                        (H, C)
        db2 = sum over n of dh2                               (C,)
        dh1 = (dh2 W2^T) * 1(h1 > 0)                          (N, H)
        dW1 = X^T dh1                                         (D, H)
        db1 = sum over n of dh1                               (H,)

    Parameters
    ----------
    Y : ndarray of shape ``(N, C)``
        Targets whose rows sum to 1 (one-hot labels, see :func:`one_hot`).
    cache : dict
        The second value returned by :func:`forward`.
    params : dict
        The parameters that forward used.
    reduction : {"mean", "sum"}
        Must match the loss being differentiated.

    Returns
    -------
    grads : dict
        ``dW1 (D, H)``, ``db1 (H,)``, ``dW2 (H, C)``, ``db2 (C,)`` under the
        keys ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"``.
    """
    reduction = _check_reduction(reduction)
    D, H, C = _check_params(params)
    if not isinstance(cache, dict):
        raise TypeError(f"cache must be the dict returned by forward, got {_describe(cache)}")
    missing = [k for k in ("X", "h1", "a1", "P") if k not in cache]
    if missing:
        raise ValueError(
            f"cache must be the dict returned by forward, but keys {missing} are missing"
        )
    X = _check_X(cache["X"], D)
    N = X.shape[0]
    for key, shape in (("h1", (N, H)), ("a1", (N, H)), ("P", (N, C))):
        if np.shape(cache[key]) != shape:
            raise ValueError(
                f"cache['{key}'] must have shape {shape} to match X and params, got "
                f"{np.shape(cache[key])}: was the cache made with these params?"
            )
    Y = _check_Y(Y, N, C)
    return _backward(Y, cache, _params_arrays(params), reduction)


# ---------------------------------------------------------------------------
# 05: gradient checking
# ---------------------------------------------------------------------------

def numerical_gradient(f, x, eps=1e-6):
    """Central finite differences of a scalar function, one entry at a time.

    ``grad[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``, whose error
    shrinks like ``eps**2``. ``f`` is called with a perturbed float64 copy
    of ``x``; ``x`` itself is never changed. Introduced in
    ``03_softmax_nll.ipynb``, used for every gradient from then on.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : ndarray of any shape
        The point at which to differentiate.
    eps : float, default 1e-6
        The step.

    Returns
    -------
    grad : ndarray of the same shape as ``x``
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {_describe(f)}")
    x = _as_float_array(x, "x").copy()
    eps = _check_positive_number(eps, "eps")
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = _scalar(f(x))
        flat[i] = old - eps
        f_minus = _scalar(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _scalar(value):
    """The value of f as a float; f must return one number."""
    if np.ndim(value) != 0:
        raise TypeError(f"f must return a scalar, got {_describe(np.asarray(value))}")
    return float(value)


def rel_error(a, b):
    """Relative error between two arrays, ``||a - b|| / (||a|| + ||b||)``.

    Measured on whole arrays (Euclidean norms), so an entry that is 0 in one
    and 1e-11 in the other, as finite differences give for a dead ReLU unit,
    does not blow up. 0 when both are exactly 0. Introduced in
    ``03_softmax_nll.ipynb``.

    Parameters
    ----------
    a, b : ndarray of the same shape

    Returns
    -------
    err : float
        Between 0 (identical) and 1 (unrelated or opposite).
    """
    a = _as_float_array(a, "a")
    b = _as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0))
    if scale == 0.0:
        return 0.0
    a, b = a / scale, b / scale          # scaled first, so the norms neither overflow nor underflow
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def load_iris_split(test_size=0.2, seed=0):
    """The Iris data set, split into stratified train and test parts.

    Read from the copy bundled with scikit-learn: nothing is downloaded.
    150 flowers, 4 features (sepal length, sepal width, petal length, petal
    width, in cm), 3 classes (setosa, versicolor, virginica), 50 of each.
    Introduced in ``01_network.ipynb``.

    Parameters
    ----------
    test_size : float, default 0.2
        Fraction held out for testing, in (0, 1); 0.2 gives 120 / 30.
    seed : int, default 0
        ``random_state`` of the split; the same seed gives the same split.

    Returns
    -------
    X_train : ndarray of shape ``(N_train, 4)``
    X_test : ndarray of shape ``(N_test, 4)``
    y_train : ndarray of shape ``(N_train,)``, int64
    y_test : ndarray of shape ``(N_test,)``, int64
    """
    from sklearn.datasets import load_iris

    return _stratified_split(load_iris(), test_size, seed)


def load_digits_split(test_size=0.2, seed=0):
    """The digits data set, split into stratified train and test parts.

    Read from the copy bundled with scikit-learn: nothing is downloaded.
    1797 images of handwritten digits, 8 x 8 pixels with values 0 .. 16,
    flattened to ``D = 64`` features; 10 classes. Introduced in
    ``07_going_further.ipynb``.

    Parameters
    ----------
    test_size : float, default 0.2
        Fraction held out for testing, in (0, 1).
    seed : int, default 0
        ``random_state`` of the split.

    Returns
    -------
    X_train : ndarray of shape ``(N_train, 64)``
    X_test : ndarray of shape ``(N_test, 64)``
    y_train : ndarray of shape ``(N_train,)``, int64
    y_test : ndarray of shape ``(N_test,)``, int64
    """
    from sklearn.datasets import load_digits

    return _stratified_split(load_digits(), test_size, seed)


def _stratified_split(data, test_size, seed):
    from sklearn.model_selection import train_test_split

    if isinstance(test_size, bool) or not isinstance(test_size, (float, np.floating)):
        raise TypeError(f"test_size must be a float in (0, 1), got {_describe(test_size)}")
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be a float in (0, 1), got {test_size}")
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be a non-negative integer, got {_describe(seed)}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    n, n_classes = len(data.target), len(np.unique(data.target))
    n_test = int(np.ceil(test_size * n))
    if n_test < n_classes or n - n_test < n_classes:
        raise ValueError(
            f"test_size must leave at least {n_classes} samples (one per class) in each part of the "
            f"{n} samples, got test_size = {test_size}: {n_test} test and {n - n_test} training samples")
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=test_size, random_state=int(seed),
        stratify=data.target,
    )
    return (X_train.astype(np.float64), X_test.astype(np.float64),
            y_train.astype(np.int64), y_test.astype(np.int64))


# ---------------------------------------------------------------------------
# Saving and loading trained parameters
# ---------------------------------------------------------------------------

def save_params(path, params):
    """Save parameters to an ``.npz`` file, as plain float64 arrays.

    Introduced in ``06_training.ipynb``.

    Parameters
    ----------
    path : str or pathlib.Path
        Where to write; ``.npz`` is appended by numpy if missing.
    params : dict
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``.

    Returns
    -------
    path : pathlib.Path
        The file written.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a path, got {_describe(path)}")
    _check_params(params)
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    np.savez(path, **_params_arrays(params))
    return path


def load_params(path):
    """Load parameters saved by :func:`save_params`, checking everything.

    The file is read with ``allow_pickle=False``, so it cannot run code. It
    must hold exactly the arrays ``W1, b1, W2, b2``, of floating dtype and
    of consistent shapes; anything else raises ``ValueError``.
    Introduced in ``06_training.ipynb``.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    params : dict
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``, float64.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a path, got {_describe(path)}")
    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"{path} must be an .npz archive of parameters, got a single array")
        with data:
            arrays = {}
            for key in data.files:
                try:
                    arrays[key] = data[key]
                except ValueError as err:
                    raise ValueError(
                        f"{path}: array {key!r} holds Python objects, which are not loaded "
                        f"(allow_pickle=False): {err}") from None
                if not isinstance(arrays[key], np.ndarray):
                    raise ValueError(f"{path}: member {key!r} is not a numpy array: this is a zip "
                                     "archive, but not one written by save_params")
    except (OSError, EOFError) as err:
        raise ValueError(f"{path} is not a readable .npz file: {err}") from None
    except ValueError as err:
        if str(err).startswith(str(path)):
            raise
        raise ValueError(f"{path} could not be loaded safely: {err}") from None
    for key, arr in arrays.items():
        if arr.dtype.kind != "f":
            raise ValueError(f"{path}: array {key!r} must have a float dtype, got {arr.dtype}")
    try:
        _check_params(arrays)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{path}: {err}") from None
    return {k: arrays[k].astype(np.float64) for k in PARAM_NAMES}


# ---------------------------------------------------------------------------
# 06: training
# ---------------------------------------------------------------------------

def minibatches(N, batch_size, rng):
    """An endless stream of mini-batch index arrays, reshuffled every epoch.

    Each epoch is a fresh permutation of ``0 .. N-1`` drawn from ``rng``,
    cut into consecutive batches; the last batch of an epoch is shorter when
    ``batch_size`` does not divide ``N``. Introduced in ``06_training.ipynb``.

    Parameters
    ----------
    N : int
        Number of training samples.
    batch_size : int
        Samples per batch, at most ``N``.
    rng : numpy.random.Generator

    Yields
    ------
    idx : ndarray of shape ``(batch_size,)`` (or shorter at an epoch's end)
        Row indices into ``X`` and ``y``.
    """
    N = _check_positive_int(N, "N")
    batch_size = _check_positive_int(batch_size, "batch_size")
    if batch_size > N:
        raise ValueError(f"batch_size must be at most N = {N}, got {batch_size}")
    rng = _check_rng(rng)
    while True:
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            yield order[start:start + batch_size]


def sgd_step(params, grads, lr):
    """One step of gradient descent, in place: ``theta <- theta - lr * dtheta``.

    Introduced in ``06_training.ipynb``.

    Parameters
    ----------
    params : dict
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``; updated in place.
    grads : dict
        Gradients with the same keys and shapes, as :func:`backward` returns.
    lr : float
        The learning rate, > 0.

    Returns
    -------
    params : dict
        The same dict, updated.
    """
    lr = _check_positive_number(lr, "lr")
    _sgd_step(params, _check_grads(params, grads), lr)
    return params


def _check_grads(params, grads):
    """Check params (updatable) and grads (same keys and shapes); return clean grads."""
    _check_params(params)
    _check_updatable(params)
    if not isinstance(grads, dict) or set(grads) != set(PARAM_NAMES):
        raise ValueError(
            f"grads must be a dict with keys {list(PARAM_NAMES)}, got {_describe(grads)}"
        )
    clean = {}
    for key in PARAM_NAMES:
        clean[key] = _as_float_array(grads[key], f"grads['{key}']")
        if clean[key].shape != params[key].shape:
            raise ValueError(
                f"grads['{key}'] must have the shape of params['{key}'], "
                f"{params[key].shape}, got {clean[key].shape}"
            )
    return clean


def _check_updatable(params):
    """Parameters updated in place must be float64 arrays, not lists or ints."""
    for key in PARAM_NAMES:
        if not (isinstance(params[key], np.ndarray) and params[key].dtype == np.float64):
            raise TypeError(
                f"params['{key}'] must be a float64 ndarray to be updated in place, "
                f"got {_describe(params[key])}"
            )


def _sgd_step(params, grads, lr):
    for key in PARAM_NAMES:
        params[key] -= lr * grads[key]


# ---------------------------------------------------------------------------
# 07: optimisers, one interface: opt.step(params, grads) updates in place
# ---------------------------------------------------------------------------

class _Optimizer:
    """The shared interface: ``step(params, grads)`` updates ``params`` in place."""

    def step(self, params, grads):
        """Apply one update to ``params`` (a dict of float64 arrays), in place.

        Parameters
        ----------
        params : dict
            ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``.
        grads : dict
            Gradients with the same keys and shapes (from :func:`backward`).

        Returns
        -------
        params : dict
            The same dict, updated.
        """
        grads = _check_grads(params, grads)
        self._check_state(params)
        self._step(params, grads)
        return params

    def _check_state(self, params):
        """The state (velocities, averages) must fit these params: one optimizer per net."""
        state = getattr(self, "velocity", None) or getattr(self, "m", None)
        if not state:
            return
        for key in PARAM_NAMES:
            if state[key].shape != params[key].shape:
                raise ValueError(
                    f"params['{key}'] has shape {params[key].shape}, but this optimizer's state was "
                    f"made for shape {state[key].shape}: use a new optimizer for each network")

    def _state(self, params):
        return {k: np.zeros_like(params[k]) for k in PARAM_NAMES}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._hyper.items())
        return f"{type(self).__name__}({args})"


class SGD(_Optimizer):
    """Plain gradient descent, ``theta <- theta - lr * g``; the same update as :func:`sgd_step`.

    Introduced in ``07_going_further.ipynb``.

    Parameters
    ----------
    lr : float
        Learning rate, > 0.
    """

    def __init__(self, lr):
        self.lr = _check_positive_number(lr, "lr")
        self._hyper = {"lr": self.lr}

    def _step(self, params, grads):
        _sgd_step(params, grads, self.lr)


class Momentum(_Optimizer):
    """Gradient descent with momentum: ``v <- mu v - lr g``, ``theta <- theta + v``.

    The velocity ``v`` (one array per parameter, starting at 0) is a running,
    exponentially decaying sum of past steps: along a direction where the
    gradient keeps its sign the step grows towards ``lr / (1 - mu)``; where it
    flips, the steps cancel. Derived in ``07_going_further.ipynb``.

    Parameters
    ----------
    lr : float
        Learning rate, > 0.
    momentum : float, default 0.9
        ``mu``, in [0, 1).
    """

    def __init__(self, lr, momentum=0.9):
        self.lr = _check_positive_number(lr, "lr")
        self.momentum = _check_decay(momentum, "momentum")
        self.velocity = None
        self._hyper = {"lr": self.lr, "momentum": self.momentum}

    def _step(self, params, grads):
        if self.velocity is None:
            self.velocity = self._state(params)
        for key in PARAM_NAMES:
            v = self.velocity[key]
            v *= self.momentum
            v -= self.lr * grads[key]
            params[key] += v


class Adam(_Optimizer):
    """Adam: momentum on the gradient, scaled per entry by its running RMS.

    ``m <- b1 m + (1 - b1) g``, ``s <- b2 s + (1 - b2) g**2``, then with the
    bias corrections ``m_hat = m / (1 - b1**t)``, ``s_hat = s / (1 - b2**t)``:
    ``theta <- theta - lr m_hat / (sqrt(s_hat) + eps)``. Each parameter
    entry moves about ``lr`` per step, whatever the scale of its gradient.
    Derived in ``07_going_further.ipynb``.

    Parameters
    ----------
    lr : float, default 0.001
    beta1, beta2 : float, default 0.9 and 0.999
        Decay rates of the two running averages, in [0, 1).
    eps : float, default 1e-8
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = _check_positive_number(lr, "lr")
        self.beta1, self.beta2 = _check_decay(beta1, "beta1"), _check_decay(beta2, "beta2")
        self.eps = _check_positive_number(eps, "eps")
        self.t = 0
        self.m = self.s = None
        self._hyper = {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def _step(self, params, grads):
        if self.m is None:
            self.m, self.s = self._state(params), self._state(params)
        self.t += 1
        c1 = 1.0 - self.beta1 ** self.t
        c2 = 1.0 - self.beta2 ** self.t
        for key in PARAM_NAMES:
            g, m, s = grads[key], self.m[key], self.s[key]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            s *= self.beta2
            s += (1.0 - self.beta2) * g * g
            params[key] -= self.lr * (m / c1) / (np.sqrt(s / c2) + self.eps)


# ---------------------------------------------------------------------------
# 07: feature scaling
# ---------------------------------------------------------------------------

def fit_standardizer(X):
    """Per-feature mean and standard deviation of the training samples.

    Fit on the training split only, then apply the same numbers to every
    split with :func:`standardize`: the test set must not leak into training.
    A feature that is constant in ``X`` gets standard deviation 1, so it is
    only centred (the digits data has always-blank pixels). Introduced in
    ``07_going_further.ipynb``.

    Parameters
    ----------
    X : ndarray of shape ``(N, D)``

    Returns
    -------
    mean : ndarray of shape ``(D,)``
    std : ndarray of shape ``(D,)``, all > 0
    """
    X = _check_X(X)
    std = X.std(axis=0)
    return X.mean(axis=0), np.where(std > 0, std, 1.0)


def standardize(X, mean, std):
    """``(X - mean) / std``, feature by feature.

    Introduced in ``07_going_further.ipynb``.

    Parameters
    ----------
    X : ndarray of shape ``(N, D)``
    mean, std : ndarray of shape ``(D,)``
        From :func:`fit_standardizer` on the training split.

    Returns
    -------
    X_scaled : ndarray of shape ``(N, D)``
    """
    X = _check_X(X)
    mean = _as_float_array(mean, "mean", ndim=1)
    std = _as_float_array(std, "std", ndim=1)
    for name, arr in (("mean", mean), ("std", std)):
        if arr.shape != (X.shape[1],):
            raise ValueError(
                f"{name} must have shape (D,) = ({X.shape[1]},) to match X, got {arr.shape}"
            )
    if np.any(std <= 0):
        raise ValueError("std must be > 0 in every feature, got a value <= 0")
    return (X - mean) / std


def predict(X, params):
    """The most probable class of each sample.

    Introduced in ``06_training.ipynb``.

    Parameters
    ----------
    X : ndarray of shape ``(N, D)``
    params : dict

    Returns
    -------
    y_pred : ndarray of shape ``(N,)``, int64
    """
    P, _ = forward(X, params)
    return P.argmax(axis=1)


def accuracy(y_true, y_pred):
    """The fraction of labels predicted right.

    Introduced in ``06_training.ipynb``.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape ``(N,)``
        Integer labels.

    Returns
    -------
    acc : float, in [0, 1]
    """
    y_true = _check_labels(y_true, name="y_true")
    y_pred = _check_labels(y_pred, name="y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and "
            f"{y_pred.shape}"
        )
    if y_true.size == 0:
        raise ValueError("y_true must hold at least one label, got an empty array")
    return float(np.mean(y_true == y_pred))


def train(X, y, params, rng, *, lr=None, optimizer=None, batch_size, steps,
          reduction="mean", weight_decay=0.0, X_test=None, y_test=None, eval_every=10):
    """Mini-batch gradient descent; records the loss and accuracies on the way.

    Each step draws a batch from :func:`minibatches`, runs :func:`forward`
    and :func:`backward` and updates the parameters: with :func:`sgd_step`
    at learning rate ``lr``, or with an ``optimizer`` (:class:`SGD`,
    :class:`Momentum`, :class:`Adam`). Give exactly one of the two.
    Introduced in ``06_training.ipynb``; optimisers and weight decay in
    ``07_going_further.ipynb``.

    Parameters
    ----------
    X : ndarray of shape ``(N, D)``
        Training samples.
    y : ndarray of shape ``(N,)``
        Their integer labels in ``0 .. C-1``.
    params : dict
        Initial parameters (see :func:`init_params`); updated in place.
    rng : numpy.random.Generator
        Drives the order of the batches.
    lr : float, optional
        Learning rate of plain gradient descent, > 0.
    optimizer : SGD, Momentum or Adam, optional
        Used instead of ``lr``; keeps its state (velocities, moments)
        across steps and calls.
    batch_size : int
        Samples per step, ``1 .. N``.
    steps : int
        Number of parameter updates (not epochs).
    reduction : {"mean", "sum"}
        Loss over a batch: averaged, or summed as in the post.
    weight_decay : float, default 0
        ``lambda`` of :func:`l2_penalty`: each step adds ``lambda * W`` to the
        gradients of ``W1`` and ``W2`` before the optimiser's step (with
        Adam that is L2-regularised Adam, not AdamW). The recorded loss stays
        the NLL alone.
    X_test : ndarray of shape ``(N_test, D)``, optional
    y_test : ndarray of shape ``(N_test,)``, optional
        If given, test accuracy is recorded too.
    eval_every : int or None, default 10
        Record the accuracies every this many steps (and after the last);
        ``None`` records them only after the last step.

    Returns
    -------
    history : dict of ndarrays
        ``"loss"`` of shape ``(steps,)``: the batch loss before each update,
        with the chosen ``reduction``; ``"eval_step"``: the steps after which
        accuracies were measured; ``"train_acc"`` and ``"test_acc"``
        (the latter only with a test set), of the same length.
    """
    D, H, C = _check_params(params)
    X = _check_X(X, D)
    y = _check_labels(y, C)
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"y must have one label per row of X, got X with N = {X.shape[0]} rows "
            f"and y with {y.shape[0]} labels"
        )
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test and y_test must be given together")
    if X_test is not None:
        X_test = _check_X(X_test, D)
        y_test = _check_labels(y_test, C, name="y_test")
        if y_test.shape[0] != X_test.shape[0]:
            raise ValueError(
                f"y_test must have one label per row of X_test, got {X_test.shape[0]} "
                f"rows and {y_test.shape[0]} labels"
            )
    if (lr is None) == (optimizer is None):
        raise ValueError("give exactly one of lr (plain gradient descent) and optimizer, "
                         f"got lr={lr!r} and optimizer={optimizer!r}")
    if optimizer is None:
        optimizer = SGD(lr)
    elif not isinstance(optimizer, _Optimizer):
        raise TypeError(f"optimizer must be an SGD, Momentum or Adam, got {_describe(optimizer)}")
    steps = _check_positive_int(steps, "steps")
    eval_every = steps if eval_every is None else _check_positive_int(eval_every, "eval_every")
    reduction = _check_reduction(reduction)
    weight_decay = _check_weight_decay(weight_decay)
    _check_updatable(params)
    Y = one_hot(y, C)
    batches = minibatches(X.shape[0], batch_size, rng)

    def acc(Xe, ye):
        return float(np.mean(_forward(Xe, params)[0].argmax(axis=1) == ye))

    losses = np.empty(steps)
    history = {"eval_step": [], "train_acc": []}
    if X_test is not None:
        history["test_acc"] = []
    for step in range(1, steps + 1):
        idx = next(batches)
        P, cache = _forward(X[idx], params)
        # The NLL of one-hot targets is -log P at the true class: the same number as
        # _nll(P, Y[idx], reduction), without touching the C - 1 zero targets.
        p_true = np.maximum(P[np.arange(len(idx)), y[idx]], _TINY)
        losses[step - 1] = -np.log(p_true).sum() / (len(idx) if reduction == "mean" else 1)
        grads = _backward(Y[idx], cache, params, reduction)
        if weight_decay:
            grads["W1"] += weight_decay * params["W1"]
            grads["W2"] += weight_decay * params["W2"]
        optimizer._step(params, grads)
        if step % eval_every == 0 or step == steps:
            history["eval_step"].append(step)
            history["train_acc"].append(acc(X, y))
            if X_test is not None:
                history["test_acc"].append(acc(X_test, y_test))
    history = {k: np.asarray(v) for k, v in history.items()}
    history["loss"] = losses
    return history


def _check_weight_decay(x):
    """A weight-decay strength: a finite number >= 0."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"weight_decay must be a number >= 0, got {_describe(x)}")
    if not np.isfinite(x) or x < 0:
        raise ValueError(f"weight_decay must be a finite number >= 0, got {x}")
    return float(x)


def l2_penalty(params, weight_decay):
    """The L2 penalty on the weights and its gradient (weight decay).

    Derived in ``07_going_further.ipynb``::

        R   = (lambda / 2) * (sum of W1**2 + sum of W2**2)
        dW1 = lambda * W1,   dW2 = lambda * W2,   db1 = 0,   db2 = 0

    The biases are not penalised: they shift the boundaries, they do not
    make them steeper. Added to the batch loss, the penalty pulls every
    weight towards zero by ``lambda`` times itself. ``lambda`` is meant for
    the mean loss (``reduction="mean"``); against the summed loss of a batch
    of ``B`` the same ``lambda`` weighs ``B`` times less.

    Parameters
    ----------
    params : dict
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``.
    weight_decay : float
        ``lambda``, a number >= 0.

    Returns
    -------
    penalty : float
        ``R``.
    grads : dict
        ``dW1 (D, H)``, ``db1 (H,)`` (zeros), ``dW2 (H, C)``, ``db2 (C,)``
        (zeros), under the keys of ``params``.
    """
    _check_params(params)
    weight_decay = _check_weight_decay(weight_decay)
    params = _params_arrays(params)
    penalty = 0.5 * weight_decay * float(np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    grads = {"W1": weight_decay * params["W1"], "b1": np.zeros_like(params["b1"]),
             "W2": weight_decay * params["W2"], "b2": np.zeros_like(params["b2"])}
    return penalty, grads


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

def save_figure(fig, name):
    """Save a matplotlib figure as ``figures/<name>.png`` and return its path.

    The PNG carries no software-version metadata, so re-running a notebook
    with the same libraries rewrites the same bytes. If the environment
    variable ``RAWNN_FIGURES_DIR`` is set (the test suite sets it), the
    figure goes there instead of :data:`FIGURES_DIR`. Used by every notebook, first in ``01_network.ipynb``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        File name without extension, e.g. ``"01_network"``.

    Returns
    -------
    path : pathlib.Path
    """
    if not callable(getattr(fig, "savefig", None)):
        raise TypeError(f"fig must be a matplotlib Figure (from plt.subplots), got {_describe(fig)}")
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as '01_network', got {_describe(name)}")
    if not name or "/" in name or "\\" in name:
        raise ValueError(f"name must be a plain file name such as '01_network', got {name!r}")
    folder = Path(os.environ.get("RAWNN_FIGURES_DIR") or FIGURES_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.savefig(path, dpi=100, bbox_inches="tight", metadata={"Software": None})
    return path


# ---------------------------------------------------------------------------
# Exercises: the checks print one pass line or raise an AssertionError that helps
# ---------------------------------------------------------------------------

def _short(a):
    return np.array2string(np.asarray(a), precision=4, threshold=12, edgeitems=2,
                           suppress_small=True).replace("\n", " ")


def check_answer(exercise, got, expected, *, hint, what=None, rtol=1e-6, atol=1e-9):
    """Compare an exercise's answer with an independently computed reference.

    Prints ``"<exercise>: passed"``, or raises ``AssertionError`` whose
    message says what was expected, what came and gives the hint. Used by
    the check cells of every notebook's exercises, first in
    ``01_network.ipynb``.

    Parameters
    ----------
    exercise : str
        The exercise's id, e.g. ``"ex03.1"``.
    got : array_like
        The learner's answer.
    expected : array_like
        The reference, computed another way (finite differences, scipy,
        scikit-learn, or a function of this module).
    hint : str
        One sentence that points towards the fix.
    what : str, optional
        Which part of the answer this is, when a check compares several.
    rtol, atol : float
        Tolerances of ``np.allclose``.
    """
    if what is not None:
        exercise = f"{exercise} ({what})"
    if got is None:
        raise AssertionError(f"{exercise}: your function returned None: did you forget `return`? "
                             f"Hint: {hint}")
    try:
        if np.iscomplexobj(got):
            raise TypeError
        got_arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(f"{exercise}: expected numbers, got {_describe(got)}. Hint: {hint}") from None
    expected = np.asarray(expected, dtype=np.float64)
    if got_arr.shape != expected.shape:
        raise AssertionError(f"{exercise}: expected an array of shape {expected.shape}, got shape "
                             f"{got_arr.shape}. Hint: {hint}")
    if not np.all(np.isfinite(got_arr)):
        raise AssertionError(f"{exercise}: your answer holds NaN or inf: {_short(got_arr)}. Hint: {hint}")
    if not np.allclose(got_arr, expected, rtol=rtol, atol=atol):
        diff = np.abs(got_arr - expected)
        where = np.unravel_index(np.argmax(diff), diff.shape) if diff.ndim else ()
        raise AssertionError(
            f"{exercise}: expected {_short(expected)}, got {_short(got_arr)} (largest difference "
            f"{diff.max():.3g}{f' at index {tuple(int(i) for i in where)}' if where else ''}). Hint: {hint}")
    print(f"{exercise}: passed")


def check_that(exercise, ok, what, *, hint):
    """Check a property of an exercise's answer; raise ``AssertionError`` if it does not hold.

    Used by the check cells of the exercises, first in ``01_network.ipynb``.

    Parameters
    ----------
    exercise : str
        The exercise's id, e.g. ``"ex02.1"``.
    ok : bool
        Whether the property holds.
    what : str
        The property, said so that the failure message reads "expected <what>".
    hint : str
    """
    if np.ndim(ok) != 0:
        raise TypeError(f"{exercise}: check_that needs one True or False as ok, got an array of "
                        f"shape {np.shape(ok)}: wrap it in np.all(...)")
    if not bool(ok):
        raise AssertionError(f"{exercise}: expected {what}. Hint: {hint}")
