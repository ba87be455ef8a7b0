"""The code of the rawnn notebooks, in the order the notebooks derive it.

Each section is headed by the notebook that derives its functions; a later
notebook imports them by name, so each idea has one definition. The symbols
are the notebooks' own:

======  =========  ===============================================
name    shape      meaning
======  =========  ===============================================
``X``   ``(N, D)``  a batch of ``N`` samples with ``D`` features
``y``   ``(N,)``    integer class labels in ``0 .. C-1``
``Y``   ``(N, C)``  the same labels, one-hot (each row sums to 1)
``W1``  ``(D, H)``  input-to-hidden weights; ``b1`` ``(H,)`` biases
``h1``  ``(N, H)``  hidden pre-activations ``X W1 + b1``
``a1``  ``(N, H)``  hidden activations ``relu(h1)``
``W2``  ``(H, C)``  hidden-to-output weights; ``b2`` ``(C,)`` biases
``h2``  ``(N, C)``  logits ``a1 W2 + b2``
``P``   ``(N, C)``  class probabilities ``softmax(h2)``
======  =========  ===============================================

A gradient is ``d`` followed by the name: ``dW1`` is dL/dW1, shaped like ``W1``;
``backward`` returns the gradients under the parameters' keys: ``grads["W1"]`` is ``dW1``.

Input checks. Every public function checks its arguments in one line, by
calling a checker from the last section of this file, and raises a
``ValueError`` (or ``TypeError`` for a wrong type) naming the argument, what
was expected and what came. ``forward``, ``softmax``, ``nll_loss``,
``backward`` and the optimisers' ``step`` take ``check=False`` to skip that
line: ``train`` checks its inputs once, then calls them unchecked.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from numbers import Integral, Real
from pathlib import Path

import numpy as np

__all__ = [
    "PARAM_NAMES", "FIGURES_DIR",
    "load_iris_split", "one_hot", "relu", "forward",                     # 01
    "xavier_uniform", "he_normal", "init_params",                        # 02
    "softmax", "log_softmax", "nll_loss", "numerical_gradient", "rel_error",  # 03
    "softmax_jacobian",                                                  # 04
    "relu_grad", "affine_forward", "affine_backward", "relu_backward",  # 05
    "softmax_nll_backward", "backward",
    "minibatches", "SGD", "predict", "accuracy", "train",                # 06
    "save_params", "load_params",
    "Momentum", "Adam", "AdamW", "l2_penalty", "fit_standardizer", "standardize",  # 07
    "load_digits_split",
    "save_figure", "compare", "check_answer", "check_that", "forbidding",                         # every notebook
]

#: The keys of a parameter dict, in the order of the forward pass.
PARAM_NAMES = ("W1", "b1", "W2", "b2")

#: The stored figures that the notebooks' captions show: ``figures/`` at the project's top.
#: Only ``./run execute`` writes them (see :func:`save_figure`).
FIGURES_DIR = Path(__file__).resolve().parent / "figures"


# ===========================================================================
# 01_network.ipynb: the data and the forward pass
# ===========================================================================

def load_iris_split(test_size=0.2, seed=0):
    """The Iris flowers, split into stratified train and test parts.

    150 flowers, 4 features in cm (sepal length and width, petal length and
    width), 3 classes of 50, from the copy bundled with scikit-learn: nothing
    is downloaded. Introduced in ``01_network.ipynb``.

    Parameters
    ----------
    test_size : float in (0, 1), default 0.2
        The fraction held out; 0.2 gives 120 training and 30 test flowers.
    seed : int, default 0
        The split's ``random_state``: the same seed gives the same split.

    Returns
    -------
    X_train : ndarray of shape ``(N_train, 4)``
    X_test : ndarray of shape ``(N_test, 4)``
    y_train : ndarray of shape ``(N_train,)``, int64
    y_test : ndarray of shape ``(N_test,)``, int64
    """
    from sklearn.datasets import load_iris

    return _split(load_iris(), test_size, seed)


def one_hot(y, num_classes):
    """Integer labels as one-hot rows: ``Y[n, y[n]] = 1``, 0 elsewhere.

    Introduced in ``01_network.ipynb``.

    Parameters
    ----------
    y : ndarray of shape ``(N,)``
        Integer labels in ``0 .. num_classes - 1``.
    num_classes : int
        ``C``.

    Returns
    -------
    Y : ndarray of shape ``(N, C)``, float64
    """
    y = _labels(y, _count(num_classes, "num_classes"))
    Y = np.zeros((len(y), num_classes))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def relu(h):
    """The rectified linear unit, ``max(0, h)`` elementwise.

    Introduced in ``01_network.ipynb``.

    Parameters
    ----------
    h : ndarray of any shape, e.g. ``(N, H)``

    Returns
    -------
    a : ndarray of the same shape
    """
    return np.maximum(h, 0.0)


def forward(X, params, *, check=True):
    """The forward pass, from a batch of samples to class probabilities.

    ``h1 = X W1 + b1``, ``a1 = relu(h1)``, ``h2 = a1 W2 + b2``,
    ``P = softmax(h2)``. Derived in ``01_network.ipynb``.

    Parameters
    ----------
    X : ndarray of shape ``(N, D)``
    params : dict
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``.
    check : bool, default True
        Check the input first (``train`` checks once and passes False).

    Returns
    -------
    P : ndarray of shape ``(N, C)``
        Each row sums to 1.
    cache : dict
        What :func:`backward` needs: ``X``, ``h1``, ``a1``, ``h2``, ``P``.
    """
    if check: X, params = _check_forward(X, params)
    h1 = X @ params["W1"] + params["b1"]      # (N, D) @ (D, H) + (H,) -> (N, H)
    a1 = relu(h1)                             # (N, H)
    h2 = a1 @ params["W2"] + params["b2"]     # (N, H) @ (H, C) + (C,) -> (N, C)
    P = softmax(h2, check=False)              # (N, C), derived in 03
    return P, {"X": X, "h1": h1, "a1": a1, "h2": h2, "P": P}


# ===========================================================================
# 02_xavier_init.ipynb: initialisation
# ===========================================================================

def xavier_uniform(n_in, n_out, rng):
    """Xavier (Glorot) uniform weights, ``U(-a, a)`` with ``a = sqrt(6 / (n_in + n_out))``.

    Then ``Var(W) = a**2 / 3 = 2 / (n_in + n_out)``, between the ``1 / n_in``
    that keeps the variance forward and the ``1 / n_out`` that keeps it
    backward. Derived in ``02_xavier_init.ipynb``.

    Parameters
    ----------
    n_in, n_out : int
        Fan-in and fan-out: ``D`` and ``H`` for ``W1``.
    rng : numpy.random.Generator
        The only source of randomness, passed down by the caller.

    Returns
    -------
    W : ndarray of shape ``(n_in, n_out)``
    """
    _check_fans(n_in, n_out, rng)
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_in, n_out))


def he_normal(n_in, n_out, rng):
    """He (Kaiming) normal weights, ``N(0, 2 / n_in)``, made for ReLU layers.

    ReLU zeroes about half of its inputs, halving the variance at each layer;
    the factor 2 makes up for it. Compared with Xavier in ``02_xavier_init.ipynb``.

    Parameters
    ----------
    n_in, n_out : int
    rng : numpy.random.Generator

    Returns
    -------
    W : ndarray of shape ``(n_in, n_out)``
    """
    _check_fans(n_in, n_out, rng)
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def init_params(in_dim, hidden_dim, out_dim, rng, weight_init=xavier_uniform):
    """Fresh parameters: random weights, zero biases.

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
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``, float64.
    """
    D, H, C = _check_init(in_dim, hidden_dim, out_dim, rng, weight_init)
    return {"W1": np.asarray(weight_init(D, H, rng), dtype=np.float64), "b1": np.zeros(H),
            "W2": np.asarray(weight_init(H, C, rng), dtype=np.float64), "b2": np.zeros(C)}


# ===========================================================================
# 03_softmax_nll.ipynb: softmax, the loss, and checking a gradient
# ===========================================================================

def softmax(h, *, check=True):
    """Row-wise softmax, ``P[n, i] = exp(h[n, i]) / sum_k exp(h[n, k])``.

    Each row's maximum is subtracted first: that changes nothing
    mathematically and keeps every ``exp`` at most 1, so large logits cannot
    overflow. Derived in ``03_softmax_nll.ipynb``.

    Parameters
    ----------
    h : ndarray of shape ``(N, C)``, or ``(C,)`` for one sample
        Logits.
    check : bool, default True

    Returns
    -------
    P : ndarray of the same shape; each row sums to 1
    """
    if check: h = _logits(h)
    z = h - h.max(axis=-1, keepdims=True)     # every z <= 0, so exp(z) <= 1
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(h):
    """Row-wise ``log(softmax(h))``, without taking the log of 0.

    ``log P[n, i] = z[n, i] - log sum_k exp(z[n, k])`` with ``z = h - max_k h[n, k]``:
    finite for any finite logits, even where softmax underflows to 0.
    Derived in ``03_softmax_nll.ipynb``.

    Parameters
    ----------
    h : ndarray of shape ``(N, C)``, or ``(C,)``

    Returns
    -------
    logP : ndarray of the same shape
    """
    h = _logits(h)
    z = h - h.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def nll_loss(P, Y, reduction="mean", *, check=True):
    """The negative log-likelihood ``L = -sum_n sum_i Y[n, i] log P[n, i]``.

    Divided by ``N`` for ``reduction="mean"``. For any targets ``Y`` it is
    the cross-entropy between ``Y`` and ``P``; for one-hot ``Y`` it is also the
    negative log of the likelihood of the labels, ``prod_n P[n, y_n]``. A term with ``Y[n, i] = 0`` counts 0 even where
    ``P[n, i] = 0`` (``0 log 0 = 0``), and a needed probability of 0 is
    raised to the smallest normal float (about 2.2e-308), so ``L`` stays
    finite (at most about 708 per sample). Derived in ``03_softmax_nll.ipynb``.

    Parameters
    ----------
    P : ndarray of shape ``(N, C)``
        Probabilities, ``softmax(h2)``.
    Y : ndarray of shape ``(N, C)``
        Targets: one-hot, or rows of probabilities.
    reduction : {"mean", "sum"}
        Average over the ``N`` samples, or add them up (the post sums).
    check : bool, default True

    Returns
    -------
    L : float
    """
    if check: P, Y = _check_nll(P, Y, reduction)
    logP = np.log(np.clip(P, np.finfo(np.float64).tiny, 1.0))
    L = -np.sum(np.where(Y != 0, Y * logP, 0.0))
    return float(L / len(P) if reduction == "mean" else L)


def numerical_gradient(f, x, eps=1e-6):
    """Central finite differences of a scalar function, one entry at a time.

    ``grad[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``: the error
    shrinks like ``eps**2``. ``f`` gets a perturbed copy of ``x``; ``x`` itself
    is never changed. Introduced in ``03_softmax_nll.ipynb``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : ndarray of any shape
    eps : float, default 1e-6

    Returns
    -------
    grad : ndarray of the shape of ``x``
    """
    x = _array(x, "x").copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = _scalar(f(x))
        x[i] = old - eps
        f_minus = _scalar(f(x))
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a, b):
    """The relative error of two arrays, ``||a - b|| / (||a|| + ||b||)``.

    Whole-array (Euclidean) norms, so an entry that is 0 in one and 1e-11 in
    the other, as finite differences give for a dead ReLU unit, does not blow
    up; 0 when both are 0. Introduced in ``03_softmax_nll.ipynb``.

    Parameters
    ----------
    a, b : ndarray of the same shape

    Returns
    -------
    err : float
        From 0 (identical) to 1 (opposite, or one of them 0); two
        orthogonal arrays of equal norm give ``1/sqrt(2) = 0.707``.
    """
    a, b = _same_shape(a, b)
    scale = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0))
    if scale == 0.0:
        return 0.0
    a, b = a / scale, b / scale      # so that the norms neither overflow nor underflow
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


# ===========================================================================
# 04_softmax_jacobian.ipynb: the softmax Jacobian
# ===========================================================================

def softmax_jacobian(p):
    """The Jacobian of softmax for one sample, ``J = diag(p) - p p^T``.

    ``J[i, j] = dp_i / dh_j = p_i (delta_ij - p_j)``. Derived in
    ``04_softmax_jacobian.ipynb``.

    Parameters
    ----------
    p : ndarray of shape ``(C,)``
        The softmax output of one sample (not its logits).

    Returns
    -------
    J : ndarray of shape ``(C, C)``
        Symmetric; each row and each column sums to 0.
    """
    p = _probability_vector(p)
    return np.diag(p) - np.outer(p, p)


# ===========================================================================
# 05_backprop.ipynb: the backward pass
# ===========================================================================

def relu_grad(h):
    """The derivative of :func:`relu`: 1 where ``h > 0``, else 0 (0 at ``h = 0`` too).

    Derived in ``05_backprop.ipynb``.

    Parameters
    ----------
    h : ndarray of any shape, e.g. ``(N, H)``

    Returns
    -------
    mask : ndarray of the same shape, float64 0s and 1s
    """
    return (np.asarray(h) > 0).astype(np.float64)


def affine_forward(X, W, b, *, check=True):
    """An affine layer, ``h = X W + b``, and the cache its backward needs.

    ``b`` is added to every row: ``h = X W + 1 b^T`` with ``1`` a column of
    ``N`` ones. Derived in ``05_backprop.ipynb``.

    Parameters
    ----------
    X : ndarray of shape ``(N, K)``
    W : ndarray of shape ``(K, M)``
    b : ndarray of shape ``(M,)``
    check : bool, default True

    Returns
    -------
    h : ndarray of shape ``(N, M)``
    cache : tuple ``(X, W)``
    """
    if check: X, W, b = _check_affine(X, W, b)
    return X @ W + b, (X, W)


def affine_backward(dh, cache, *, check=True):
    """The backward pass of :func:`affine_forward`: from ``dL/dh`` to ``dL/dX, dL/dW, dL/db``.

    From the chain rule, summed over every path: ``dX = dh W^T``,
    ``dW = X^T dh``, ``db = 1^T dh`` (the sum over the ``N`` rows). Derived in
    ``05_backprop.ipynb``.

    Parameters
    ----------
    dh : ndarray of shape ``(N, M)``
    cache : tuple ``(X, W)``, the second value :func:`affine_forward` returned
    check : bool, default True

    Returns
    -------
    dX : ndarray of shape ``(N, K)``
    dW : ndarray of shape ``(K, M)``
    db : ndarray of shape ``(M,)``
    """
    if check: dh = _check_affine_backward(dh, cache)
    X, W = cache
    dX = dh @ W.T                        # (N, M) @ (M, K) -> (N, K)
    dW = X.T @ dh                        # (K, N) @ (N, M) -> (K, M)
    db = dh.sum(axis=0)                  # (M,): b was added to every row
    return dX, dW, db


def relu_backward(da, h, *, check=True):
    """The backward pass of :func:`relu`: ``dL/dh = dL/da * 1(h > 0)``.

    ReLU acts entry by entry, so its Jacobian is diagonal and the product is
    elementwise: the gradient passes only where the unit fired. Derived in
    ``05_backprop.ipynb``.

    Parameters
    ----------
    da : ndarray, ``dL/da``, of the shape of ``h``
    h : ndarray, the input of the ReLU
    check : bool, default True

    Returns
    -------
    dh : ndarray of the shape of ``h``
    """
    if check: da, h = _check_relu_backward(da, h)
    return da * relu_grad(h)


def softmax_nll_backward(P, Y, reduction="mean", *, check=True):
    """The gradient of ``nll_loss(softmax(h), Y, reduction)`` with respect to the logits ``h``.

    ``P - Y`` for the summed loss, ``(P - Y) / N`` for the mean; it needs rows
    of ``Y`` that sum to 1. Derived in ``04_softmax_jacobian.ipynb``; a layer
    of ``05_backprop.ipynb``.

    Parameters
    ----------
    P : ndarray of shape ``(N, C)``, ``softmax(h)``
    Y : ndarray of shape ``(N, C)``, targets whose rows sum to 1
    reduction : {"mean", "sum"}
    check : bool, default True

    Returns
    -------
    dh : ndarray of shape ``(N, C)``
    """
    if check: P, Y = _check_softmax_nll(P, Y, reduction)
    dh = P - Y                           # (N, C)
    return dh / len(P) if reduction == "mean" else dh


def backward(Y, cache, params, reduction="mean", *, check=True):
    """The gradients of ``nll_loss(P, Y, reduction)`` for every parameter.

    The layers of the forward pass, backwards, each one's backward fed the
    gradient of its output. Derived in ``05_backprop.ipynb``.

    Parameters
    ----------
    Y : ndarray of shape ``(N, C)``
        Targets whose rows sum to 1, such as ``one_hot(y, C)``.
    cache : dict
        The second value returned by :func:`forward`.
    params : dict
        The parameters that ``forward`` used.
    reduction : {"mean", "sum"}
        That of the loss being differentiated.
    check : bool, default True

    Returns
    -------
    grads : dict
        ``dW1 (D, H)``, ``db1 (H,)``, ``dW2 (H, C)``, ``db2 (C,)`` under the
        keys ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"``.
    """
    if check: Y, params = _check_backward(Y, cache, params, reduction)
    X, h1, a1, P = cache["X"], cache["h1"], cache["a1"], cache["P"]
    dh2 = softmax_nll_backward(P, Y, reduction, check=False)                 # (N, C)
    da1, dW2, db2 = affine_backward(dh2, (a1, params["W2"]), check=False)     # h2 = a1 W2 + b2
    dh1 = relu_backward(da1, h1, check=False)                                 # a1 = relu(h1)
    _, dW1, db1 = affine_backward(dh1, (X, params["W1"]), check=False)       # h1 = X W1 + b1
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


# ===========================================================================
# 06_training.ipynb: mini-batch gradient descent
# ===========================================================================

def minibatches(n_samples, batch_size, rng):
    """An endless stream of mini-batch index arrays, reshuffled every epoch.

    Each epoch is a fresh permutation of ``0 .. n_samples-1`` drawn from
    ``rng``, cut into consecutive batches; the last one of an epoch is shorter
    when ``batch_size`` does not divide ``n_samples``. Introduced in
    ``06_training.ipynb``, where the batch size is the ``N`` of ``X (N, D)``.

    Parameters
    ----------
    n_samples : int
        The number of training samples, ``len(X_train)``.
    batch_size : int
        Samples per batch, ``1 .. n_samples``.
    rng : numpy.random.Generator

    Yields
    ------
    idx : ndarray of shape ``(batch_size,)`` (shorter at an epoch's end)
        Row indices into ``X`` and ``y``.
    """
    _check_batches(n_samples, batch_size, rng)
    while True:
        order = rng.permutation(n_samples)
        for start in range(0, n_samples, batch_size):
            yield order[start:start + batch_size]


class _Optimizer:
    """What the optimisers share: a readable ``repr``."""

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._hyper.items())})"


class SGD(_Optimizer):
    """Plain gradient descent, ``theta <- theta - lr * dtheta``.

    Introduced in ``06_training.ipynb``; the other optimisers of
    ``07_going_further.ipynb`` have the same ``step``.

    Parameters
    ----------
    lr : float
        The learning rate ``eta``, > 0.
    """

    def __init__(self, lr):
        self.lr = _positive(lr, "lr")
        self._hyper = {"lr": self.lr}

    def step(self, params, grads, *, check=True):
        """Update ``params`` (a dict of float64 arrays) in place, and return it.

        ``grads`` holds the gradients under the same keys, as :func:`backward` returns them.
        """
        if check: grads = _check_step(self, params, grads)
        for k in PARAM_NAMES:
            params[k] -= self.lr * grads[k]
        return params


def predict(X, params):
    """The most probable class of each sample, ``argmax_i P[n, i]``.

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
    acc : float in [0, 1]
    """
    y_true, y_pred = _check_accuracy(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def train(X, y, params, rng, *, optimizer, batch_size, steps, reduction="mean",
          weight_decay=0.0, X_test=None, y_test=None, eval_every=10):
    """Mini-batch training: forward, loss, backward and an optimiser step, ``steps`` times.

    Introduced in ``06_training.ipynb``; other optimisers and weight decay in
    ``07_going_further.ipynb``.

    Parameters
    ----------
    X : ndarray of shape ``(N, D)``
    y : ndarray of shape ``(N,)``
        Integer labels in ``0 .. C-1``.
    params : dict of float64 arrays
        The initial parameters (:func:`init_params`); updated in place.
    rng : numpy.random.Generator
        Drives the order of the batches (:func:`minibatches`).
    optimizer : SGD, Momentum, Adam or AdamW
        Keeps its state (velocities, moments) across steps and calls.
    batch_size : int
        Samples per step, ``1 .. N``.
    steps : int
        The number of updates (not epochs).
    reduction : {"mean", "sum"}
        The batch loss: averaged, or summed as in the post.
    weight_decay : float >= 0, default 0
        ``lambda``: adds the gradient of :func:`l2_penalty`, ``lambda * W``, to
        ``dW1`` and ``dW2`` before each step (with Adam: L2 in Adam, not AdamW).
    X_test : ndarray of shape ``(N_test, D)``, optional
    y_test : ndarray of shape ``(N_test,)``, optional
        Given together, the test accuracy is recorded too.
    eval_every : int or None, default 10
        Record the accuracies every this many steps and after the last
        (``None``: after the last only).

    Returns
    -------
    history : dict of ndarrays
        ``"loss"`` ``(steps,)``: each batch's NLL (without the penalty) before
        its update; ``"eval_step"``: the steps after which accuracy was
        measured; ``"train_acc"`` and, with a test set, ``"test_acc"``.
    """
    X, y, X_test, y_test = _check_train(X, y, params, optimizer, steps, reduction,
                                        weight_decay, X_test, y_test, eval_every)
    Y = one_hot(y, params["W2"].shape[1])
    batches = minibatches(len(X), batch_size, rng)
    tests = {"train_acc": (X, y)} if X_test is None else {"train_acc": (X, y), "test_acc": (X_test, y_test)}
    history = {"loss": [], "eval_step": [], **{name: [] for name in tests}}
    every = eval_every or steps                          # None: only after the last step
    for step in range(1, steps + 1):
        idx = next(batches)
        P, cache = forward(X[idx], params, check=False)
        history["loss"].append(nll_loss(P, Y[idx], reduction, check=False))
        grads = backward(Y[idx], cache, params, reduction, check=False)
        if weight_decay:                                  # the gradient of l2_penalty (07)
            grads["W1"] += weight_decay * params["W1"]
            grads["W2"] += weight_decay * params["W2"]
        optimizer.step(params, grads, check=False)
        if step % every == 0 or step == steps:
            history["eval_step"].append(step)
            for name, (Xe, ye) in tests.items():
                history[name].append(np.mean(forward(Xe, params, check=False)[0].argmax(axis=1) == ye))
    return {k: np.asarray(v) for k, v in history.items()}


def save_params(path, params):
    """Save parameters to an ``.npz`` file of four plain float64 arrays.

    Introduced in ``06_training.ipynb``.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.npz`` is appended if the name does not end with it.
    params : dict
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``.

    Returns
    -------
    path : pathlib.Path
        The file written.
    """
    params = _check_save(path, params)
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    np.savez(path, **params)
    return path


def load_params(path):
    """Load parameters saved by :func:`save_params`, checking everything.

    The file is read with ``allow_pickle=False``, so it cannot run code. It
    must hold exactly the float arrays ``W1, b1, W2, b2`` of consistent
    shapes; anything else raises ``ValueError`` naming the file.
    Introduced in ``06_training.ipynb``.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    params : dict
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``, float64.
    """
    _path(path)
    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError("it holds a single array, not an .npz archive of parameters")
        with data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, EOFError, ValueError) as err:
        raise ValueError(f"{path} is not an .npz file of parameters that can be loaded safely: {err}") from None
    if not all(isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in arrays.values()):
        raise ValueError(f"{path}: every array must have a float dtype, got "
                         f"{ {k: str(getattr(a, 'dtype', type(a).__name__)) for k, a in arrays.items()} }")
    try:
        return _params(arrays)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{path}: {err}") from None


# ===========================================================================
# 07_going_further.ipynb: optimisers, weight decay, scaling, a bigger data set
# ===========================================================================

class Momentum(_Optimizer):
    """Gradient descent with momentum: ``v <- mu v - lr g``, ``theta <- theta + v``.

    The velocity ``v`` (one array per parameter, from 0) sums past steps with
    decaying weights: where the gradient keeps its sign the step grows towards
    ``lr / (1 - mu)``; where it flips, steps cancel. Derived in
    ``07_going_further.ipynb``.

    Parameters
    ----------
    lr : float
        The learning rate, > 0.
    momentum : float in [0, 1), default 0.9
        ``mu``.
    """

    def __init__(self, lr, momentum=0.9):
        self.lr, self.momentum = _positive(lr, "lr"), _decay(momentum, "momentum")
        self.velocity = None
        self._hyper = {"lr": self.lr, "momentum": self.momentum}

    def step(self, params, grads, *, check=True):
        """Update ``params`` in place by one momentum step, and return it."""
        if check: grads = _check_step(self, params, grads)
        if self.velocity is None:
            self.velocity = {k: np.zeros_like(params[k]) for k in PARAM_NAMES}
        for k in PARAM_NAMES:
            v = self.velocity[k]
            v *= self.momentum
            v -= self.lr * grads[k]
            params[k] += v
        return params


class Adam(_Optimizer):
    """Adam: momentum on the gradient, scaled per entry by its running RMS.

    ``m <- beta1 m + (1 - beta1) g``, ``s <- beta2 s + (1 - beta2) g**2``; with
    the bias corrections ``m_hat = m / (1 - beta1**t)``, ``s_hat = s / (1 - beta2**t)``:
    ``theta <- theta - lr m_hat / (sqrt(s_hat) + eps)``. Derived in
    ``07_going_further.ipynb``.

    Parameters
    ----------
    lr : float, default 0.001
    beta1, beta2 : float in [0, 1), default 0.9 and 0.999
        The decay rates of the two running averages.
    eps : float, default 1e-8
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.eps = _positive(lr, "lr"), _positive(eps, "eps")
        self.beta1, self.beta2 = _decay(beta1, "beta1"), _decay(beta2, "beta2")
        self.t, self.m, self.s = 0, None, None
        self._hyper = {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def step(self, params, grads, *, check=True):
        """Update ``params`` in place by one Adam step, and return it."""
        if check: grads = _check_step(self, params, grads)
        if self.m is None:
            self.m = {k: np.zeros_like(params[k]) for k in PARAM_NAMES}
            self.s = {k: np.zeros_like(params[k]) for k in PARAM_NAMES}
        self.t += 1
        for k in PARAM_NAMES:
            g, m, s = grads[k], self.m[k], self.s[k]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            s *= self.beta2
            s += (1.0 - self.beta2) * g * g
            m_hat, s_hat = m / (1.0 - self.beta1 ** self.t), s / (1.0 - self.beta2 ** self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(s_hat) + self.eps)
        return params


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

    Before Adam's step, every weight shrinks by its own fraction ``lr * lambda``,
    apart from the gradient: ``W <- W - lr lambda W``, then the Adam step of
    :class:`Adam`. The biases are not decayed, as in :func:`l2_penalty`.
    ``lr * lambda`` is PyTorch's convention; the paper multiplies ``lambda`` by
    a schedule factor instead of the learning rate. Derived in
    ``07_going_further.ipynb``.

    Parameters
    ----------
    lr : float, default 0.001
    weight_decay : float >= 0, default 0.01
        ``lambda``.
    beta1, beta2, eps : as for :class:`Adam`.
    """

    def __init__(self, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr, beta1, beta2, eps)
        self.weight_decay = _nonnegative(weight_decay, "weight_decay")
        self._hyper = {"lr": self.lr, "weight_decay": self.weight_decay, **self._hyper}

    def step(self, params, grads, *, check=True):
        """Update ``params`` in place: decay the weights, then one Adam step; return it."""
        if check: grads = _check_step(self, params, grads)
        for k in ("W1", "W2"):
            params[k] -= self.lr * self.weight_decay * params[k]
        return super().step(params, grads, check=False)


def l2_penalty(params, weight_decay):
    """The L2 penalty on the weights, and its gradient (weight decay).

    ``R = (lambda / 2) (sum W1**2 + sum W2**2)``; ``dW1 = lambda W1``,
    ``dW2 = lambda W2``, ``db1 = db2 = 0``: the biases are not penalised.
    ``lambda`` is meant for the mean loss; against the sum over a batch of
    ``N`` samples it weighs ``N`` times less. Derived in ``07_going_further.ipynb``.

    Parameters
    ----------
    params : dict
        ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, C)``, ``b2 (C,)``.
    weight_decay : float >= 0
        ``lambda``.

    Returns
    -------
    R : float
    grads : dict
        ``dW1``, ``db1`` (zeros), ``dW2``, ``db2`` (zeros), under the keys of ``params``.
    """
    params, lam = _check_l2(params, weight_decay)
    W1, W2 = params["W1"], params["W2"]
    R = 0.5 * lam * float(np.sum(W1**2) + np.sum(W2**2))
    grads = {"W1": lam * W1, "b1": np.zeros_like(params["b1"]),
             "W2": lam * W2, "b2": np.zeros_like(params["b2"])}
    return R, grads


def fit_standardizer(X):
    """The per-feature mean and standard deviation of the training samples.

    Fit on the training split only, then :func:`standardize` every split with
    the same numbers: the test set must not leak into training. A constant
    feature gets std 1, so it is only centred (the digits have always-blank
    pixels). Introduced in ``07_going_further.ipynb``.

    Parameters
    ----------
    X : ndarray of shape ``(N, D)``

    Returns
    -------
    mean : ndarray of shape ``(D,)``
    std : ndarray of shape ``(D,)``, all > 0
    """
    X = _array(X, "X", ndim=2)
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
    X, mean, std = _check_standardize(X, mean, std)
    return (X - mean) / std


def load_digits_split(test_size=0.2, seed=0):
    """The handwritten digits, split into stratified train and test parts.

    1797 images of 8 x 8 pixels (values 0 .. 16) flattened to ``D = 64``
    features, 10 classes, from the copy bundled with scikit-learn.
    Introduced in ``07_going_further.ipynb``.

    Parameters
    ----------
    test_size : float in (0, 1), default 0.2
    seed : int, default 0

    Returns
    -------
    X_train : ndarray of shape ``(N_train, 64)``
    X_test : ndarray of shape ``(N_test, 64)``
    y_train : ndarray of shape ``(N_train,)``, int64
    y_test : ndarray of shape ``(N_test,)``, int64
    """
    from sklearn.datasets import load_digits

    return _split(load_digits(), test_size, seed)


def _split(data, test_size, seed):
    from sklearn.model_selection import train_test_split

    _check_split(data.target, test_size, seed)
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=test_size, random_state=seed, stratify=data.target)
    return (X_train.astype(np.float64), X_test.astype(np.float64),
            y_train.astype(np.int64), y_test.astype(np.int64))


# ===========================================================================
# Every notebook: saving figures, checking exercises
# ===========================================================================

def save_figure(fig, name):
    """Save a matplotlib figure as ``<name>.png`` and return the path.

    Into the folder that the environment variable ``RAWNN_FIGURES_DIR`` names:
    ``./run execute`` names :data:`FIGURES_DIR`, the tests a temporary folder.
    Without it (a learner's own run) into ``rawnn-figures`` in the system's
    temporary folder, so running a notebook never writes into the project,
    which may be read-only. The PNG carries no software-version metadata, so
    the same libraries write the same bytes. Used by every notebook, first in
    ``01_network.ipynb``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        A file name without extension, e.g. ``"01_network"``.

    Returns
    -------
    path : pathlib.Path
    """
    _check_figure(fig, name)
    folder = Path(os.environ.get("RAWNN_FIGURES_DIR") or Path(tempfile.gettempdir()) / "rawnn-figures")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.savefig(path, dpi=100, bbox_inches="tight", metadata={"Software": None})
    return path


def compare(what, got, expected, tol=1e-7):
    """Print how far ``got`` is from ``expected``, and the verdict.

    The relative error :func:`rel_error` ``= ||got - expected|| / (||got|| +
    ||expected||)``, then ``pass`` when it is below ``tol``, else ``FAIL``:
    ``"dW1: relative error 2.4e-11 < 1e-07: pass"``. The size of the error
    depends on the machine in its last digits; the verdict does not. Used
    by every notebook's checks, first in ``01_network.ipynb``.

    Parameters
    ----------
    what : str
        What is compared, e.g. ``"dW1 against finite differences"``.
    got, expected : ndarray of the same shape
    tol : float, default 1e-7
        The series' threshold for a gradient against finite differences
        (``03_softmax_nll.ipynb``); ``1e-12`` for two exact computations.
    """
    _check_compare(what, tol)
    err = rel_error(got, expected)
    ok = err < tol
    print(f"{what}: relative error {err:.1e} {'<' if ok else '>='} {tol:.0e}: {'pass' if ok else 'FAIL'}")


class ExerciseFailed(AssertionError):
    """A failed exercise check. A notebook shows its message alone, without the traceback
    through this module, so the message and its hint are the first thing a learner reads."""

    def _render_traceback_(self):                 # IPython's hook for how an exception is shown
        return [f"{type(self).__name__}: {self}"]


def check_answer(exercise, got, expected, *, hint, what=None, rtol=1e-6, atol=1e-9):
    """Compare an exercise's answer with a reference computed another way.

    Prints ``"<exercise>: passed"``, or raises :class:`ExerciseFailed` (an ``AssertionError``) saying what
    was expected, what came, and the hint. Used by the exercises' check cells,
    first in ``01_network.ipynb``.

    Parameters
    ----------
    exercise : str
        The exercise's id, e.g. ``"ex03.1"``.
    got : array_like
        The learner's answer.
    expected : array_like
        The reference (finite differences, scipy, scikit-learn, this module).
    hint : str
        One sentence that points towards the fix.
    what : str, optional
        Which part of the answer this is, when a check compares several.
    rtol, atol : float
        The tolerances of ``np.allclose``.
    """
    name = exercise if what is None else f"{exercise} ({what})"

    def fail(problem, values=""):        # what is wrong and the hint first; the numbers after
        raise ExerciseFailed(f"{name}: {problem} Hint: {hint.rstrip('. ')}." + (f" {values}" if values else ""))

    if got is None:
        fail("your function returned None: did you forget `return`?")
    try:
        if np.iscomplexobj(got):
            raise TypeError
        got_arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        fail(f"expected numbers, got {_what(got)}.")
    expected = np.asarray(expected, dtype=np.float64)
    if got_arr.shape != expected.shape:
        fail(f"expected an array of shape {expected.shape}, got shape {got_arr.shape}.")
    if not np.all(np.isfinite(got_arr)):
        fail("your answer holds NaN or inf.", f"Got {_short(got_arr)}.")
    if not np.allclose(got_arr, expected, rtol=rtol, atol=atol):
        diff = np.abs(got_arr - expected)
        where = f" at index {tuple(int(i) for i in np.unravel_index(diff.argmax(), diff.shape))}" if diff.ndim else ""
        factor = _factor(got_arr, expected)
        problem = ("your answer has the opposite sign: a minus too many or missing?" if factor == -1 else
                   f"your answer is {factor:.4g} times the expected one: a factor (N, C, ...) too many or missing?"
                   if factor is not None else f"wrong values, largest difference {diff.max():.3g}{where}.")
        fail(problem, f"Expected {_short(expected)}, got {_short(got_arr)}.")
    print(f"{name}: passed")


def check_that(exercise, ok, what, *, hint):
    """Check a property of an exercise's answer; raise :class:`ExerciseFailed` if it fails.

    Used by the exercises' check cells, first in ``01_network.ipynb``.

    Parameters
    ----------
    exercise : str
        The exercise's id, e.g. ``"ex02.1"``.
    ok : bool
        Whether the property holds.
    what : str
        The property, so that the failure reads "expected <what>".
    hint : str
    """
    if np.ndim(ok) != 0:
        raise TypeError(f"{exercise}: check_that needs one True or False as ok, got an array of "
                        f"shape {np.shape(ok)}: wrap it in np.all(...)")
    if not bool(ok):
        raise ExerciseFailed(f"{exercise}: expected {what}. Hint: {hint}")


def _factor(got, expected):
    """k if got is k times expected (k not 1, the same k for every entry), else None."""
    scale = np.abs(expected).max(initial=0.0)
    if scale == 0 or not np.array_equal(got == 0, np.abs(expected) <= 1e-12 * scale):
        return None
    nonzero = expected != 0
    k = got[nonzero] / expected[nonzero]
    return float(k[0]) if np.allclose(k, k[0], rtol=1e-6) and not np.isclose(k[0], 1.0) else None


@contextlib.contextmanager
def forbidding(exercise, *names):
    """Inside the block, calling ``rn.<name>`` for each name fails the exercise.

    An exercise asks the learner to write what one of these helpers does; its
    check calls the learner's function inside this block, so an answer that
    calls the helper instead fails, saying which. Used by the exercises' check
    cells, first in ``01_network.ipynb``.

    Parameters
    ----------
    exercise : str
        The exercise's id, e.g. ``"ex03.1"``.
    *names : str
        Public functions of this module, e.g. ``"softmax"``.
    """
    _check_forbidding(exercise, names)
    learners = sys.modules.get("rawnn_helpers")           # the module the learner's code calls, if not this one
    main = vars(sys.modules["__main__"])                  # a notebook's names: `from rawnn_helpers import softmax`
    spaces = {id(ns): ns for ns in (globals(), vars(learners) if learners else None) if ns is not None}

    def refuse(name):
        def call(*args, **kwargs):
            raise ExerciseFailed(f"{exercise}: your answer calls rn.{name}, which is what this exercise asks you "
                                 f"to write. Hint: write it without rn.{name}; numpy, and any helper the "
                                 "exercise names, are allowed.")
        return call

    saved = [(ns, name, ns[name]) for ns in spaces.values() for name in names]
    originals = {id(ns[name]): name for ns, name, _ in saved}
    saved += [(main, key, value) for key, value in list(main.items()) if id(value) in originals and main is not globals()]
    try:
        for ns, name, original in saved:
            ns[name] = refuse(originals[id(original)])
        yield
    finally:
        for ns, name, original in saved:
            ns[name] = original


def _short(a):
    return np.array2string(np.asarray(a), precision=4, threshold=12, edgeitems=2,
                           suppress_small=True).replace("\n", " ")


# ===========================================================================
# Input checks, out of the way of the math. Each guards against a mistake
# learners make, and says which argument, what was expected and what came.
# ===========================================================================

def _what(x):
    """What came, in a few words."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"[:120]


def _array(x, name, ndim=None):
    """``x`` as a float64 array: numeric, ``ndim``-D (an int or a tuple), no NaN or inf."""
    a = None if x is None or isinstance(x, (str, bytes)) else np.asarray(x)
    if a is None or a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a numeric array, got {_what(x)}")
    allowed = ndim if isinstance(ndim, tuple) else (ndim,)
    if ndim is not None and a.ndim not in allowed:
        raise ValueError(f"{name} must be {' or '.join(f'{d}-D' for d in allowed)}, "
                         f"got a {a.ndim}-D array of shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must hold only finite numbers, but it holds NaN or inf")
    return a.astype(np.float64, copy=False)


def _count(n, name):
    if isinstance(n, bool) or not isinstance(n, Integral):
        raise TypeError(f"{name} must be a positive integer, got {_what(n)}")
    if n <= 0:
        raise ValueError(f"{name} must be a positive integer, got {n}")
    return int(n)


def _scalar(value):
    """The value of ``f`` in :func:`numerical_gradient`: one number, not an array."""
    if np.ndim(value) != 0:
        raise TypeError(f"f must return one number (the loss), got {_what(np.asarray(value))}")
    return float(value)


def _positive(x, name):
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{name} must be a positive number, got {_what(x)}")
    if not (np.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a positive finite number, got {x}")
    return float(x)


def _decay(x, name):
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {_what(x)}")
    if not 0.0 <= x < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {x!r}")
    return float(x)


def _rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0), got {_what(rng)}")


def _reduction(reduction):
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")


def _labels(y, C=None, name="y"):
    """Integer labels of shape (N,) in 0 .. C-1 (integer-valued floats accepted)."""
    a = None if y is None or isinstance(y, (str, bytes)) else np.asarray(y)
    if a is None or a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of integer labels, got {_what(y)}")
    if a.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of integer labels, got a {a.ndim}-D array of "
                         f"shape {a.shape}" + (": pass the labels, not one-hot rows" if a.ndim == 2 else ""))
    if a.dtype.kind == "f" and not np.all(np.isfinite(a) & (a == np.round(a))):
        raise ValueError(f"{name} must hold integer class labels, got values such as "
                         f"{float(a[~(np.isfinite(a) & (a == np.round(a)))][0])!r}")
    if a.size and (a.min() < 0 or (C is not None and a.max() >= C)):
        raise ValueError(f"{name} must hold labels in 0 .. {'C-1' if C is None else C - 1}, "
                         f"got labels from {a.min():g} to {a.max():g}")
    return a.astype(np.int64)


def _params(params):
    """A parameter dict with the four keys, consistent shapes and finite numbers, as float64."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict with keys {list(PARAM_NAMES)}, got {_what(params)}")
    if set(params) != set(PARAM_NAMES):
        raise ValueError(f"params must have exactly the keys {list(PARAM_NAMES)}, got {sorted(params)}")
    p = {k: _array(params[k], f"params['{k}']", ndim=2 if k[0] == "W" else None) for k in PARAM_NAMES}
    (D, H), C = p["W1"].shape, len(p["b2"]) if p["b2"].ndim == 1 else p["W2"].shape[1]
    for k, shape in {"b1": (H,), "W2": (H, C), "b2": (C,)}.items():
        if p[k].shape != shape:
            raise ValueError(f"params['{k}'] must have shape {shape} to match W1 of shape {(D, H)}, "
                             f"got shape {p[k].shape}")
    return p


def _check_forward(X, params):
    p = _params(params)
    if np.ndim(X) == 1:
        raise ValueError(f"X must be 2-D (N, D), got a 1-D array of shape {np.shape(X)}: for one sample "
                         "pass X[None], a batch of one")
    X = _array(X, "X", ndim=2)
    if X.shape[1] != p["W1"].shape[0]:
        raise ValueError(f"X must have D = {p['W1'].shape[0]} columns to match params['W1'] of shape "
                         f"{p['W1'].shape}, got X of shape {X.shape}")
    return X, p


def _check_fans(n_in, n_out, rng):
    _count(n_in, "n_in"), _count(n_out, "n_out"), _rng(rng)


def _check_init(D, H, C, rng, weight_init):
    _rng(rng)
    if not callable(weight_init):
        raise TypeError(f"weight_init must be a function such as rn.xavier_uniform, got {_what(weight_init)}")
    return _count(D, "in_dim"), _count(H, "hidden_dim"), _count(C, "out_dim")


def _logits(h):
    h = _array(h, "h", ndim=(1, 2))
    if h.shape[-1] == 0:
        raise ValueError(f"h must have at least one class (column), got shape {h.shape}")
    return h


def _targets(Y, shape):
    """Targets of the given (N, C) shape whose rows are probability vectors."""
    Y = _array(Y, "Y")
    if Y.shape != shape:
        raise ValueError(f"Y must have shape (N, C) = {shape}, got {Y.shape}"
                         + (": pass one_hot(y, C), not the labels y" if Y.ndim == 1 else ""))
    if np.any(Y < 0) or np.any(np.abs(Y.sum(axis=1) - 1.0) > 1e-8):
        raise ValueError("each row of Y must be a probability vector (entries >= 0 summing to 1), "
                         "such as a one-hot label: P - Y is the gradient only then (notebook 04)")
    return Y


def _check_nll(P, Y, reduction):
    _reduction(reduction)
    P = _array(P, "P", ndim=2)
    if P.size == 0 or np.any(P < 0) or np.any(P > 1 + 1e-9):
        raise ValueError(f"P must hold probabilities in [0, 1], got shape {P.shape} with values from "
                         f"{P.min(initial=0):.4g} to {P.max(initial=0):.4g}: did you pass the logits "
                         "h2 instead of softmax(h2)?")
    Y = _array(Y, "Y")
    if Y.shape != P.shape:
        raise ValueError(f"Y must have the shape of P, (N, C) = {P.shape}, got {Y.shape}"
                         + (": pass one_hot(y, C), not the labels y" if Y.ndim == 1 else ""))
    if np.any(Y < 0):
        raise ValueError("Y must hold non-negative targets, got a negative entry")
    return P, Y


def _same_shape(a, b):
    a, b = _array(a, "a"), _array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return a, b


def _probability_vector(p):
    p = _array(p, "p", ndim=1)
    if np.any(p < 0) or not np.isclose(p.sum(), 1.0):
        raise ValueError("p must be a probability vector (softmax output, entries >= 0 summing to 1), "
                         f"got entries summing to {p.sum():.6g}: did you pass logits?")
    return p


def _check_affine(X, W, b):
    X, W = _array(X, "X", ndim=2), _array(W, "W", ndim=2)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X (N, K) and W (K, M) must share K, got X {X.shape} and W {W.shape}")
    b = _array(b, "b")
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape (M,) = ({W.shape[1]},), one bias per column of W, got {b.shape}")
    return X, W, b


def _check_affine_backward(dh, cache):
    if not (isinstance(cache, tuple) and len(cache) == 2 and all(isinstance(c, np.ndarray) for c in cache)):
        raise TypeError("cache must be the tuple (X, W) that affine_forward returns second "
                        f"(h, cache = affine_forward(X, W, b)), got {_what(cache)}")
    dh = _array(dh, "dh", ndim=2)
    (N, _), (_, M) = np.shape(cache[0]), np.shape(cache[1])
    if dh.shape != (N, M):
        raise ValueError(f"dh must have the shape of h = X W, (N, M) = {(N, M)}, got {dh.shape}")
    return dh


def _check_relu_backward(da, h):
    da, h = _array(da, "da"), _array(h, "h")
    if da.shape != h.shape:
        raise ValueError(f"da must have the shape of h, {h.shape}, got {da.shape}")
    return da, h


def _check_softmax_nll(P, Y, reduction):
    P, Y = _check_nll(P, Y, reduction)
    return P, _targets(Y, P.shape)


def _check_compare(what, tol):
    if not isinstance(what, str):
        raise TypeError(f"what must be a str saying what is compared, got {_what(what)}: "
                        "compare(what, got, expected)")
    _positive(tol, "tol")


def _check_backward(Y, cache, params, reduction):
    _reduction(reduction)
    p = _params(params)
    if not isinstance(cache, dict):
        raise TypeError(f"cache must be the dict that forward returns second (P, cache = forward(X, params)), "
                        f"got {type(cache).__name__}")
    if not {"X", "h1", "a1", "P"} <= set(cache):
        raise ValueError(f"cache must be the dict returned by forward, with keys X, h1, a1, P; got {sorted(cache)}")
    N, (D, H), C = len(cache["X"]), p["W1"].shape, p["W2"].shape[1]
    for k, shape in {"X": (N, D), "h1": (N, H), "a1": (N, H), "P": (N, C)}.items():
        if np.shape(cache[k]) != shape:
            raise ValueError(f"cache['{k}'] must have shape {shape} to match params, got "
                             f"{np.shape(cache[k])}: was the cache made with these params?")
    return _targets(Y, (N, C)), p


def _check_batches(n_samples, batch_size, rng):
    _rng(rng)
    if _count(batch_size, "batch_size") > _count(n_samples, "n_samples"):
        raise ValueError(f"batch_size must be at most the number of samples, {n_samples}, got {batch_size}")


def _updatable(params):
    """Parameters updated in place must be float64 arrays, not lists or ints."""
    _params(params)
    for k in PARAM_NAMES:
        if not (isinstance(params[k], np.ndarray) and params[k].dtype == np.float64):
            raise TypeError(f"params['{k}'] must be a float64 ndarray to be updated in place, "
                            f"got {_what(params[k])}")


def _check_step(optimizer, params, grads):
    """Params updatable, grads of the same keys and shapes, the optimiser's state made for them."""
    _updatable(params)
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict with keys {list(PARAM_NAMES)}, got {_what(grads)}")
    if set(grads) != set(PARAM_NAMES):
        raise ValueError(f"grads must have exactly the keys {list(PARAM_NAMES)}, got {sorted(grads)}")
    g = {k: _array(grads[k], f"grads['{k}']") for k in PARAM_NAMES}
    state = getattr(optimizer, "velocity", None) or getattr(optimizer, "m", None) or {}
    for k in PARAM_NAMES:
        if g[k].shape != params[k].shape:
            raise ValueError(f"grads['{k}'] must have the shape of params['{k}'], {params[k].shape}, "
                             f"got {g[k].shape}")
        if k in state and state[k].shape != params[k].shape:
            raise ValueError(f"params['{k}'] has shape {params[k].shape}, but this optimizer's state was "
                             f"made for shape {state[k].shape}: use a new optimizer for each network")
    return g


def _nonnegative(x, name):
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{name} must be a number >= 0, got {_what(x)}")
    if not (np.isfinite(x) and x >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {x}")
    return float(x)


def _check_train(X, y, params, optimizer, steps, reduction, weight_decay, X_test, y_test, eval_every):
    _updatable(params)
    X, _ = _check_forward(X, params)
    y = _labels(y, params["W2"].shape[1])
    if len(y) != len(X):
        raise ValueError(f"y must have one label per row of X, got X with N = {len(X)} rows and "
                         f"y with {len(y)} labels")
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test and y_test must be given together")
    if X_test is not None:
        X_test, _ = _check_forward(X_test, params)
        y_test = _labels(y_test, params["W2"].shape[1], name="y_test")
        if len(y_test) != len(X_test):
            raise ValueError(f"y_test must have one label per row of X_test, got {len(X_test)} rows "
                             f"and {len(y_test)} labels")
    if not isinstance(optimizer, _Optimizer):
        raise TypeError(f"optimizer must be an SGD, Momentum, Adam or AdamW, such as rn.SGD(lr=0.1), "
                        f"got {_what(optimizer)}")
    _count(steps, "steps"), _reduction(reduction), _nonnegative(weight_decay, "weight_decay")
    if eval_every is not None:
        _count(eval_every, "eval_every")
    return X, y, X_test, y_test


def _check_accuracy(y_true, y_pred):
    y_true, y_pred = _labels(y_true, name="y_true"), _labels(y_pred, name="y_pred")
    if y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(f"y_true and y_pred must have the same non-zero length, got shapes "
                         f"{y_true.shape} and {y_pred.shape}")
    return y_true, y_pred


def _path(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a path, got {_what(path)}")


def _check_save(path, params):
    _path(path)
    return _params(params)


def _check_l2(params, weight_decay):
    return _params(params), _nonnegative(weight_decay, "weight_decay")


def _check_standardize(X, mean, std):
    X = _array(X, "X", ndim=2)
    mean, std = _array(mean, "mean", ndim=1), _array(std, "std", ndim=1)
    if mean.shape != (X.shape[1],) or std.shape != (X.shape[1],):
        raise ValueError(f"mean and std must have shape (D,) = ({X.shape[1]},) to match X, got "
                         f"{mean.shape} and {std.shape}")
    if np.any(std <= 0):
        raise ValueError("std must be > 0 in every feature, got a value <= 0")
    return X, mean, std


def _check_split(target, test_size, seed):
    if not isinstance(test_size, (float, np.floating)):
        raise TypeError(f"test_size must be a float in (0, 1), the fraction held out, got {_what(test_size)}")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be a float in (0, 1), got {test_size}")
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be a non-negative integer, got {_what(seed)}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    n, n_classes = len(target), len(np.unique(target))
    n_test = int(np.ceil(test_size * n))
    if min(n_test, n - n_test) < n_classes:
        raise ValueError(f"test_size must leave at least {n_classes} samples (one per class) in each part "
                         f"of the {n} samples, got test_size = {test_size}: {n_test} test and "
                         f"{n - n_test} training samples")


def _check_figure(fig, name):
    if not callable(getattr(fig, "savefig", None)):
        raise TypeError(f"fig must be a matplotlib Figure (from plt.subplots), got {_what(fig)}")
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise ValueError(f"name must be a plain file name such as '01_network', got {name!r}")


def _check_forbidding(exercise, names):
    unknown = [n for n in names if n not in __all__ or not callable(globals()[n])]
    if not isinstance(exercise, str) or unknown or not names:
        raise ValueError(f"forbidding needs an exercise id and names of functions of rawnn_helpers, got "
                         f"{exercise!r} and {list(names)}" + (f" ({', '.join(unknown)} unknown)" if unknown else ""))
