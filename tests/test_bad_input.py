"""Bad input to the public helpers of ``rawnn_helpers``.

The module promises that bad input raises ``ValueError`` (or ``TypeError``
for a wrong type) with a message naming the argument, instead of returning
NaN or failing deep inside numpy. Each row of the table below is one bad
input: the call, the exact exception type expected and a regular expression
that the message must match, starting with the argument's name. The
exercise checks (``check_answer``, ``check_that``) are the exception: they
raise ``AssertionError`` naming the exercise, what was expected and the hint.

A row's id starts with the public name it calls (``"forward-X-nan"``,
``"Adam.step-grads-nan"``). The tests at the end hold the table to that:
every public callable in ``rawnn_helpers.__all__`` must have rows (a new
helper without bad-input cases fails the suite), and each row must really
call the helper its id names.
"""

import contextlib
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import rawnn_helpers as rh

D, H, C, N = 4, 5, 3, 12


def params(**changes):
    """A fresh valid parameter dict (D=4, H=5, C=3), with entries replaced."""
    p = rh.init_params(D, H, C, np.random.default_rng(0))
    p.update(changes)
    return p


def X(n=N, d=D):
    return np.random.default_rng(1).normal(size=(n, d))


def y(n=N):
    return np.arange(n) % C


def with_value(array, index, value):
    out = np.array(array, dtype=np.float64)
    out[index] = value
    return out


def cache(p=None, n=N, d=D):
    return rh.forward(X(n, d), p or params())[1]


def Y(n=N):
    return np.eye(C)[y(n)]


def probs(n=N):
    return rh.softmax(np.random.default_rng(2).normal(size=(n, C)))


def train(**overrides):
    kwargs = dict(X=X(), y=y(), params=params(), rng=np.random.default_rng(0),
                  lr=0.1, batch_size=4, steps=3)
    kwargs.update(overrides)
    return rh.train(kwargs.pop("X"), kwargs.pop("y"), kwargs.pop("params"),
                    kwargs.pop("rng"), **kwargs)


def first_batch(n, batch_size, rng):
    # minibatches is a generator: its checks run at the first next().
    return next(rh.minibatches(n, batch_size, rng))


def sgd(p=None, g=None, lr=0.1):
    p = p if p is not None else params()
    g = g if g is not None else {k: np.zeros(np.shape(v)) for k, v in params().items()}
    return rh.sgd_step(p, g, lr)


class _FigureStandIn:
    """Has savefig, as a Figure does; these cases fail on the name before anything is saved."""

    def savefig(self, *args, **kwargs):
        raise AssertionError("save_figure should have rejected the name first")


def save(name):
    return rh.save_figure(_FigureStandIn(), name)


def grads(**changes):
    """Zero gradients matching ``params()``, with entries replaced."""
    g = {k: np.zeros(np.shape(v)) for k, v in params().items()}
    g.update(changes)
    return g


def without(d, key):
    return {k: v for k, v in d.items() if k != key}


def step(make_optimizer, p=None, g=None):
    """One ``.step`` of a fresh optimizer on ``params()`` and ``grads()`` unless given."""
    return make_optimizer().step(params() if p is None else p, grads() if g is None else g)


def step_on_another_net(make_optimizer):
    """Step an optimizer on one net, then on a net with one more class (other shapes)."""
    opt = make_optimizer()
    opt.step(params(), grads())
    other = rh.init_params(D, H, C + 1, np.random.default_rng(5))
    return opt.step(other, {k: np.ones(v.shape) for k, v in other.items()})


OPTIMIZERS = [("SGD", lambda: rh.SGD(0.1)),
              ("Momentum", lambda: rh.Momentum(0.1)),
              ("Adam", lambda: rh.Adam(0.1))]

# A path under a regular file: nothing can be read there, and a write would fail
# with NotADirectoryError, so a case that expects ValueError also proves that
# nothing was written.
INSIDE_A_FILE = Path(__file__).resolve() / "params.npz"


def objects(shape):
    out = np.empty(shape, dtype=object)
    out[...] = None
    return out


def check(got, expected=(1.0, 1.0, 1.0), **kwargs):
    """``check_answer`` for exercise ex03.1; its pass line (printed only if it wrongly passes) is swallowed."""
    kwargs.setdefault("hint", "subtract the row maximum")
    with contextlib.redirect_stdout(io.StringIO()):
        return rh.check_answer("ex03.1", got, np.asarray(expected), **kwargs)


POSITIVE_INT = r"must be a positive integer, got"
RNG = r"rng must be a numpy Generator such as np\.random\.default_rng\(0\)"
REDUCTION = r"reduction must be 'mean' or 'sum', got 'avg'"

CASES = [
    # --- X --------------------------------------------------------------
    pytest.param(lambda: rh.forward(np.ones(D), params()), ValueError,
                 r"X must be 2-D, got a 1-D array", id="forward-X-1d"),
    pytest.param(lambda: rh.forward(np.ones((2, D, 1)), params()), ValueError,
                 r"X must be 2-D, got a 3-D array", id="forward-X-3d"),
    pytest.param(lambda: rh.predict(np.ones(D), params()), ValueError,
                 r"X must be 2-D", id="predict-X-1d"),
    pytest.param(lambda: train(X=np.ones(N)), ValueError,
                 r"X must be 2-D", id="train-X-1d"),
    pytest.param(lambda: rh.forward(X(d=3), params()), ValueError,
                 r"X must have D = 4 columns to match params\['W1'\]", id="forward-X-width"),
    pytest.param(lambda: train(X=X(d=5)), ValueError,
                 r"X must have D = 4 columns", id="train-X-width"),
    pytest.param(lambda: rh.forward(with_value(X(), (0, 0), np.nan), params()), ValueError,
                 r"X must hold only finite numbers, but it holds NaN", id="forward-X-nan"),
    pytest.param(lambda: rh.forward(with_value(X(), (3, 1), np.inf), params()), ValueError,
                 r"X must hold only finite numbers, but it holds inf", id="forward-X-inf"),
    pytest.param(lambda: rh.forward(with_value(X(), (3, 1), -np.inf), params()), ValueError,
                 r"X must hold only finite numbers, but it holds inf", id="forward-X-minus-inf"),
    pytest.param(lambda: train(X=with_value(X(), (0, 0), np.nan)), ValueError,
                 r"X must hold only finite numbers, but it holds NaN", id="train-X-nan"),
    pytest.param(lambda: rh.forward(np.ones((0, D)), params()), ValueError,
                 r"X must hold at least one sample, got an empty batch", id="forward-X-empty"),
    pytest.param(lambda: rh.forward("1 2 3 4", params()), TypeError,
                 r"X must be a numeric array, got str", id="forward-X-string"),
    pytest.param(lambda: rh.forward(np.array([["a"] * D]), params()), TypeError,
                 r"X must be a numeric array, got an array of dtype <U1", id="forward-X-str-array"),
    pytest.param(lambda: rh.forward(None, params()), TypeError,
                 r"X must be a numeric array, got NoneType", id="forward-X-none"),

    # --- labels -----------------------------------------------------------
    pytest.param(lambda: rh.one_hot(np.array([0.0, 1.5]), 3), ValueError,
                 r"y must hold integer class labels, got non-integer values such as .*1\.5",
                 id="one_hot-y-fraction"),
    pytest.param(lambda: rh.one_hot(np.array([0.0, np.nan]), 3), ValueError,
                 r"y must hold integer class labels, got non-integer values", id="one_hot-y-nan"),
    pytest.param(lambda: rh.one_hot(np.array([0, -1]), 3), ValueError,
                 r"y must hold labels >= 0, got -1", id="one_hot-y-negative"),
    pytest.param(lambda: rh.one_hot(np.array([0, 3]), 3), ValueError,
                 r"y must hold labels < num_classes = 3, got 3", id="one_hot-y-too-large"),
    pytest.param(lambda: rh.one_hot(np.array(["0", "1"]), 3), TypeError,
                 r"y must hold integer class labels, got an array of dtype <U1",
                 id="one_hot-y-string-array"),
    pytest.param(lambda: rh.one_hot("012", 3), TypeError,
                 r"y must be an array of integer labels, got str", id="one_hot-y-string"),
    pytest.param(lambda: rh.one_hot(np.array([[0], [1]]), 3), ValueError,
                 r"y must be a 1-D array of integer labels, got a 2-D array", id="one_hot-y-2d"),
    pytest.param(lambda: train(y=y() + 0.5), ValueError,
                 r"y must hold integer class labels, got non-integer", id="train-y-fraction"),
    pytest.param(lambda: train(y=-y() - 1), ValueError,
                 r"y must hold labels >= 0", id="train-y-negative"),
    pytest.param(lambda: train(y=y() + 1), ValueError,
                 r"y must hold labels < num_classes = 3, got 3", id="train-y-too-large"),
    pytest.param(lambda: train(y=np.array(["a"] * N)), TypeError,
                 r"y must hold integer class labels, got an array of dtype", id="train-y-strings"),
    pytest.param(lambda: rh.accuracy([0, 1.5], [0, 1]), ValueError,
                 r"y_true must hold integer class labels", id="accuracy-y_true-fraction"),
    pytest.param(lambda: rh.accuracy([0, 1], [0, -2]), ValueError,
                 r"y_pred must hold labels >= 0, got -2", id="accuracy-y_pred-negative"),
    pytest.param(lambda: rh.accuracy(["a", "b"], [0, 1]), TypeError,
                 r"y_true must hold integer class labels, got an array of dtype",
                 id="accuracy-y_true-strings"),

    # --- nll_loss: P and Y --------------------------------------------------
    pytest.param(lambda: rh.nll_loss(probs(), Y()[:, :2]), ValueError,
                 r"P and Y must have the same shape \(N, C\), got P \(12, 3\) and Y \(12, 2\)",
                 id="nll_loss-shape-mismatch-C"),
    pytest.param(lambda: rh.nll_loss(probs(), Y(N - 1)), ValueError,
                 r"P and Y must have the same shape", id="nll_loss-shape-mismatch-N"),
    pytest.param(lambda: rh.nll_loss(np.random.default_rng(3).normal(size=(N, C)), Y()),
                 ValueError,
                 r"P must hold probabilities in \[0, 1\].*did you pass logits h2",
                 id="nll_loss-P-logits"),
    pytest.param(lambda: rh.nll_loss(np.array([[2.0, 0.0]]), np.array([[1.0, 0.0]])),
                 ValueError, r"P must hold probabilities in \[0, 1\]", id="nll_loss-P-above-one"),
    pytest.param(lambda: rh.nll_loss(with_value(probs(), (0, 0), np.nan), Y()), ValueError,
                 r"P must hold only finite numbers, but it holds NaN", id="nll_loss-P-nan"),
    pytest.param(lambda: rh.nll_loss(probs()[0], Y()[0]), ValueError,
                 r"P must be 2-D", id="nll_loss-P-1d"),
    pytest.param(lambda: rh.nll_loss(np.ones((0, C)), np.ones((0, C))), ValueError,
                 r"P must hold at least one sample", id="nll_loss-empty"),
    pytest.param(lambda: rh.nll_loss(probs(), -Y()), ValueError,
                 r"Y must hold non-negative targets", id="nll_loss-Y-negative"),

    # --- reduction ----------------------------------------------------------
    pytest.param(lambda: rh.nll_loss(probs(), Y(), "avg"), ValueError, REDUCTION,
                 id="nll_loss-reduction"),
    pytest.param(lambda: rh.nll_loss(probs(), Y(), None), ValueError,
                 r"reduction must be 'mean' or 'sum', got None", id="nll_loss-reduction-none"),
    pytest.param(lambda: rh.backward(Y(), cache(), params(), "avg"), ValueError, REDUCTION,
                 id="backward-reduction"),
    pytest.param(lambda: train(reduction="avg"), ValueError, REDUCTION, id="train-reduction"),

    # --- dimensions that are not positive integers --------------------------
    *[pytest.param(call, exc, name + " " + POSITIVE_INT, id=f"{label}-{bad_id}")
      for label, name, make in [
          ("init_params-in_dim", "in_dim", lambda v: rh.init_params(v, 2, 2, np.random.default_rng(0))),
          ("init_params-hidden_dim", "hidden_dim", lambda v: rh.init_params(2, v, 2, np.random.default_rng(0))),
          ("init_params-out_dim", "out_dim", lambda v: rh.init_params(2, 2, v, np.random.default_rng(0))),
          ("one_hot-num_classes", "num_classes", lambda v: rh.one_hot(np.array([0]), v)),
          ("xavier_uniform-n_in", "n_in", lambda v: rh.xavier_uniform(v, 2, np.random.default_rng(0))),
          ("xavier_uniform-n_out", "n_out", lambda v: rh.xavier_uniform(2, v, np.random.default_rng(0))),
          ("he_normal-n_in", "n_in", lambda v: rh.he_normal(v, 2, np.random.default_rng(0))),
          ("he_normal-n_out", "n_out", lambda v: rh.he_normal(2, v, np.random.default_rng(0))),
      ]
      for bad_id, bad, exc in [("0", 0, ValueError), ("minus1", -1, ValueError),
                               ("2.5", 2.5, TypeError), ("str3", "3", TypeError),
                               ("True", True, TypeError), ("None", None, TypeError)]
      for call in [(lambda make=make, bad=bad: make(bad))]],

    # --- rng ----------------------------------------------------------------
    *[pytest.param(call, TypeError, RNG + ", got " + got, id=f"{label}-{bad_id}")
      for label, make in [
          ("xavier_uniform", lambda r: rh.xavier_uniform(2, 3, r)),
          ("he_normal", lambda r: rh.he_normal(2, 3, r)),
          ("init_params", lambda r: rh.init_params(2, 3, 2, r)),
          ("minibatches", lambda r: first_batch(10, 2, r)),
          ("train", lambda r: train(rng=r)),
      ]
      for bad_id, bad, got in [("int-seed", 0, "int 0"),
                               ("RandomState", np.random.RandomState(0), "RandomState"),
                               ("None", None, "NoneType")]
      for call in [(lambda make=make, bad=bad: make(bad))]],

    # --- params -------------------------------------------------------------
    pytest.param(lambda: rh.forward(X(), {k: v for k, v in params().items() if k != "b2"}),
                 ValueError,
                 r"params must have keys \['W1', 'b1', 'W2', 'b2'\], but \['b2'\] missing",
                 id="forward-params-missing-key"),
    pytest.param(lambda: rh.forward(X(), params(W3=np.ones((3, 3)))), ValueError,
                 r"params must have exactly the keys .*, got extra keys \['W3'\]",
                 id="forward-params-extra-key"),
    pytest.param(lambda: rh.forward(X(), params(b1=np.zeros(H + 1))), ValueError,
                 r"params\['b1'\] must have shape \(5,\) to match W1 \(4, 5\), got shape \(6,\)",
                 id="forward-params-b1-shape"),
    pytest.param(lambda: rh.forward(X(), params(b1=np.zeros((1, H)))), ValueError,
                 r"params\['b1'\] must have shape \(5,\)", id="forward-params-b1-2d"),
    pytest.param(lambda: rh.forward(X(), params(W2=np.zeros((H + 1, C)))), ValueError,
                 r"params\['W2'\] must have shape \(5, 3\) to match W1", id="forward-params-W2-shape"),
    pytest.param(lambda: rh.forward(X(), params(W2=np.zeros(H))), ValueError,
                 r"params\['W2'\] must be 2-D", id="forward-params-W2-1d"),
    pytest.param(lambda: rh.forward(X(), params(b2=np.zeros(C + 1))), ValueError,
                 r"params\['b2'\] must have shape \(3,\)", id="forward-params-b2-shape"),
    pytest.param(lambda: rh.forward(X(), params(W1=np.zeros(D))), ValueError,
                 r"params\['W1'\] must be 2-D", id="forward-params-W1-1d"),
    pytest.param(lambda: rh.forward(X(), params(b2=np.array([0.0, np.nan, 0.0]))), ValueError,
                 r"params\['b2'\] must hold only finite numbers", id="forward-params-b2-nan"),
    pytest.param(lambda: rh.forward(X(), list(params().values())), TypeError,
                 r"params must be a dict with keys \['W1', 'b1', 'W2', 'b2'\], got list",
                 id="forward-params-not-dict"),
    pytest.param(lambda: rh.forward(X(), None), TypeError,
                 r"params must be a dict", id="forward-params-none"),
    pytest.param(lambda: rh.predict(X(), params(b1=np.zeros(H + 1))), ValueError,
                 r"params\['b1'\] must have shape", id="predict-params-b1-shape"),
    pytest.param(lambda: rh.backward(Y(), cache(), {k: v for k, v in params().items() if k != "W1"}),
                 ValueError, r"params must have keys .* \['W1'\] missing",
                 id="backward-params-missing-key"),
    pytest.param(lambda: rh.backward(Y(), cache(), params(extra=1)), ValueError,
                 r"params must have exactly the keys .* extra keys \['extra'\]",
                 id="backward-params-extra-key"),
    pytest.param(lambda: rh.sgd_step({"W1": 1}, {}, 0.1), ValueError,
                 r"params must have keys", id="sgd_step-params-missing-key"),
    pytest.param(lambda: sgd(p=params(b2=np.zeros(C + 1))), ValueError,
                 r"params\['b2'\] must have shape \(3,\)", id="sgd_step-params-b2-shape"),
    pytest.param(lambda: train(params=params(W2=np.zeros((H, C + 1)))), ValueError,
                 r"params\['b2'\] must have shape \(4,\)", id="train-params-W2-changes-C"),
    pytest.param(lambda: train(params="params"), TypeError,
                 r"params must be a dict", id="train-params-not-dict"),
    pytest.param(lambda: train(params=params(b1=[0.0] * H)), TypeError,
                 r"params\['b1'\] must be a float64 ndarray to be updated in place, got list",
                 id="train-params-list"),
    pytest.param(lambda: train(params=params(W1=np.ones((D, H), dtype=np.float32))), TypeError,
                 r"params\['W1'\] must be a float64 ndarray", id="train-params-float32"),

    # --- backward: Y and cache -----------------------------------------------
    pytest.param(lambda: rh.backward(2 * Y(), cache(), params()), ValueError,
                 r"each row of Y must be a probability vector \(entries >= 0 summing to 1\)",
                 id="backward-Y-rows-sum-to-2"),
    pytest.param(lambda: rh.backward(np.zeros((N, C)), cache(), params()), ValueError,
                 r"each row of Y must be a probability vector", id="backward-Y-zero-rows"),
    pytest.param(lambda: rh.backward(np.array([[1.5, -0.5, 0.0]] * N), cache(), params()),
                 ValueError, r"each row of Y must be a probability vector",
                 id="backward-Y-negative-entry"),
    pytest.param(lambda: rh.backward(Y()[:, :2], cache(), params()), ValueError,
                 r"Y must have shape \(N, C\) = \(12, 3\), got \(12, 2\)", id="backward-Y-shape"),
    pytest.param(lambda: rh.backward(Y(), cache(p=rh.init_params(D, H + 2, C, np.random.default_rng(0))),
                                     params()), ValueError,
                 r"cache\['h1'\] must have shape \(12, 5\) to match X and params, got \(12, 7\)"
                 r".*was the cache made with these params\?",
                 id="backward-cache-other-hidden-size"),
    pytest.param(lambda: rh.backward(Y(), cache(p=rh.init_params(D, H, C + 1, np.random.default_rng(0))),
                                     params()), ValueError,
                 r"cache\['P'\] must have shape \(12, 3\)", id="backward-cache-other-class-count"),
    pytest.param(lambda: rh.backward(Y(), cache(p=rh.init_params(D + 1, H, C, np.random.default_rng(0)), d=D + 1),
                                     params()), ValueError,
                 r"X must have D = 4 columns", id="backward-cache-other-input-size"),
    pytest.param(lambda: rh.backward(Y(), [1, 2], params()), TypeError,
                 r"cache must be the dict returned by forward, got list", id="backward-cache-not-dict"),
    pytest.param(lambda: rh.backward(Y(), {"X": X()}, params()), ValueError,
                 r"cache must be the dict returned by forward, but keys \['h1', 'a1', 'P'\] are missing",
                 id="backward-cache-missing-keys"),

    # --- softmax family -----------------------------------------------------------
    pytest.param(lambda: rh.softmax(np.zeros((2, 2, 2))), ValueError,
                 r"h must be 1-D or 2-D, got a 3-D array", id="softmax-h-3d"),
    pytest.param(lambda: rh.softmax(np.array([[0.0, np.inf]])), ValueError,
                 r"h must hold only finite numbers, but it holds inf", id="softmax-h-inf"),
    pytest.param(lambda: rh.log_softmax(np.array([[0.0, np.nan]])), ValueError,
                 r"h must hold only finite numbers, but it holds NaN", id="log_softmax-h-nan"),
    pytest.param(lambda: rh.softmax_jacobian(np.array([1.0, 2.0, 3.0])), ValueError,
                 r"p must be a probability vector .* summing to 6: did you pass logits\?",
                 id="softmax_jacobian-p-logits"),
    pytest.param(lambda: rh.softmax_jacobian(np.array([1.5, -0.5])), ValueError,
                 r"p must be a probability vector", id="softmax_jacobian-p-negative"),
    pytest.param(lambda: rh.softmax_jacobian(np.full((2, 2), 0.25)), ValueError,
                 r"p must be 1-D", id="softmax_jacobian-p-2d"),

    # --- numerical_gradient, rel_error ----------------------------------------------
    pytest.param(lambda: rh.numerical_gradient(3.0, np.ones(2)), TypeError,
                 r"f must be callable, got float 3\.0", id="numerical_gradient-f-not-callable"),
    pytest.param(lambda: rh.numerical_gradient(np.sum, np.ones(2), eps=0.0), ValueError,
                 r"eps must be a positive finite number, got 0\.0", id="numerical_gradient-eps-zero"),
    pytest.param(lambda: rh.numerical_gradient(np.sum, np.array([1.0, np.nan])), ValueError,
                 r"x must hold only finite numbers", id="numerical_gradient-x-nan"),
    pytest.param(lambda: rh.rel_error(np.ones(3), np.ones(4)), ValueError,
                 r"a and b must have the same shape, got \(3,\) and \(4,\)",
                 id="rel_error-shape-mismatch"),
    pytest.param(lambda: rh.rel_error(np.ones((2, 3)), np.ones((3, 2))), ValueError,
                 r"a and b must have the same shape", id="rel_error-transposed"),
    pytest.param(lambda: rh.rel_error(np.array([np.nan]), np.ones(1)), ValueError,
                 r"a must hold only finite numbers", id="rel_error-a-nan"),

    # --- train -----------------------------------------------------------------------
    pytest.param(lambda: train(lr=0.0), ValueError,
                 r"lr must be a positive finite number, got 0\.0", id="train-lr-zero"),
    pytest.param(lambda: train(lr=-0.1), ValueError,
                 r"lr must be a positive finite number, got -0\.1", id="train-lr-negative"),
    pytest.param(lambda: train(lr=float("nan")), ValueError,
                 r"lr must be a positive finite number, got nan", id="train-lr-nan"),
    pytest.param(lambda: train(lr="0.1"), TypeError,
                 r"lr must be a positive number, got str", id="train-lr-string"),
    pytest.param(lambda: train(batch_size=0), ValueError,
                 r"batch_size must be a positive integer, got 0", id="train-batch_size-zero"),
    pytest.param(lambda: train(batch_size=N + 1), ValueError,
                 r"batch_size must be at most N = 12, got 13", id="train-batch_size-above-N"),
    pytest.param(lambda: train(batch_size=4.0), TypeError,
                 r"batch_size must be a positive integer, got float", id="train-batch_size-float"),
    pytest.param(lambda: train(steps=0), ValueError,
                 r"steps must be a positive integer, got 0", id="train-steps-zero"),
    pytest.param(lambda: train(eval_every=0), ValueError,
                 r"eval_every must be a positive integer, got 0", id="train-eval_every-zero"),
    pytest.param(lambda: train(y=y(N - 1)), ValueError,
                 r"y must have one label per row of X, got X with N = 12 rows and y with 11 labels",
                 id="train-y-length"),
    pytest.param(lambda: train(X_test=X(5)), ValueError,
                 r"X_test and y_test must be given together", id="train-X_test-without-y_test"),
    pytest.param(lambda: train(X_test=X(5), y_test=y(4)), ValueError,
                 r"y_test must have one label per row of X_test", id="train-y_test-length"),
    pytest.param(lambda: train(X_test=X(5, D + 1), y_test=y(5)), ValueError,
                 r"X must have D = 4 columns", id="train-X_test-width"),
    pytest.param(lambda: train(X_test=X(5), y_test=y(5) + 3), ValueError,
                 r"y_test must hold labels < num_classes = 3", id="train-y_test-too-large"),

    pytest.param(lambda: train(weight_decay=-0.01), ValueError,
                 r"weight_decay must be a finite number >= 0, got -0\.01", id="train-weight_decay-negative"),
    pytest.param(lambda: train(weight_decay=float("inf")), ValueError,
                 r"weight_decay must be a finite number >= 0, got inf", id="train-weight_decay-inf"),
    pytest.param(lambda: train(weight_decay="0.01"), TypeError,
                 r"weight_decay must be a number >= 0, got str", id="train-weight_decay-string"),
    pytest.param(lambda: train(weight_decay=None), TypeError,
                 r"weight_decay must be a number >= 0, got NoneType", id="train-weight_decay-None"),

    # --- l2_penalty ---------------------------------------------------------------------------
    pytest.param(lambda: rh.l2_penalty(params(), -1.0), ValueError,
                 r"weight_decay must be a finite number >= 0, got -1\.0", id="l2_penalty-weight_decay-negative"),
    pytest.param(lambda: rh.l2_penalty(params(), float("nan")), ValueError,
                 r"weight_decay must be a finite number >= 0, got nan", id="l2_penalty-weight_decay-nan"),
    pytest.param(lambda: rh.l2_penalty(params(), True), TypeError,
                 r"weight_decay must be a number >= 0, got bool", id="l2_penalty-weight_decay-bool"),
    pytest.param(lambda: rh.l2_penalty("params", 0.1), TypeError,
                 r"params must be a dict", id="l2_penalty-params-not-dict"),
    pytest.param(lambda: rh.l2_penalty(params(W1=with_value(np.ones((D, H)), (0, 0), np.nan)), 0.1),
                 ValueError, r"params\['W1'\] must hold only finite numbers", id="l2_penalty-params-nan"),
    pytest.param(lambda: rh.l2_penalty({"W1": np.ones((D, H))}, 0.1), ValueError,
                 r"params must have keys \[.W1., .b1., .W2., .b2.\], but \[.b1., .W2., .b2.\] missing",
                 id="l2_penalty-params-missing-keys"),

    # --- minibatches, sgd_step ----------------------------------------------------------
    pytest.param(lambda: first_batch(0, 1, np.random.default_rng(0)), ValueError,
                 r"N must be a positive integer, got 0", id="minibatches-N-zero"),
    pytest.param(lambda: first_batch(10, 0, np.random.default_rng(0)), ValueError,
                 r"batch_size must be a positive integer, got 0", id="minibatches-batch_size-zero"),
    pytest.param(lambda: first_batch(10, 11, np.random.default_rng(0)), ValueError,
                 r"batch_size must be at most N = 10, got 11", id="minibatches-batch_size-above-N"),
    pytest.param(lambda: sgd(lr=0), ValueError,
                 r"lr must be a positive finite number, got 0", id="sgd_step-lr-zero"),
    pytest.param(lambda: sgd(g={"W1": np.zeros((D, H))}), ValueError,
                 r"grads must be a dict with keys \['W1', 'b1', 'W2', 'b2'\]",
                 id="sgd_step-grads-missing-keys"),
    pytest.param(lambda: sgd(g={k: np.zeros(np.shape(v) + (1,)) for k, v in params().items()}),
                 ValueError, r"grads\['W1'\] must have the shape of params\['W1'\], \(4, 5\)",
                 id="sgd_step-grads-shape"),
    pytest.param(lambda: sgd(g={k: np.full(np.shape(v), np.nan) for k, v in params().items()}),
                 ValueError, r"grads\['W1'\] must hold only finite numbers",
                 id="sgd_step-grads-nan"),

    # --- accuracy ---------------------------------------------------------------------------
    pytest.param(lambda: rh.accuracy(np.array([0, 1, 2]), np.array([0, 1])), ValueError,
                 r"y_true and y_pred must have the same shape, got \(3,\) and \(2,\)",
                 id="accuracy-length-mismatch"),
    pytest.param(lambda: rh.accuracy(np.array([], dtype=int), np.array([], dtype=int)), ValueError,
                 r"y_true must hold at least one label", id="accuracy-empty"),

    # --- load_iris_split ----------------------------------------------------------------------
    pytest.param(lambda: rh.load_iris_split(test_size=0), TypeError,
                 r"test_size must be a float in \(0, 1\), got int 0", id="load_iris_split-test_size-int-0"),
    pytest.param(lambda: rh.load_iris_split(test_size=0.0), ValueError,
                 r"test_size must be a float in \(0, 1\), got 0\.0", id="load_iris_split-test_size-0.0"),
    pytest.param(lambda: rh.load_iris_split(test_size=1.5), ValueError,
                 r"test_size must be a float in \(0, 1\), got 1\.5", id="load_iris_split-test_size-1.5"),
    pytest.param(lambda: rh.load_iris_split(test_size=1.0), ValueError,
                 r"test_size must be a float in \(0, 1\), got 1\.0", id="load_iris_split-test_size-1.0"),
    pytest.param(lambda: rh.load_iris_split(seed=-1), ValueError,
                 r"seed must be a non-negative integer, got -1", id="load_iris_split-seed-negative"),

    # --- init_params, save_figure ---------------------------------------------------------------
    pytest.param(lambda: rh.init_params(2, 3, 2, np.random.default_rng(0), weight_init="xavier"),
                 TypeError, r"weight_init must be callable, got str", id="init_params-weight_init"),
    pytest.param(lambda: save("sub/name"), ValueError,
                 r"name must be a plain file name such as '01_network', got 'sub/name'",
                 id="save_figure-name-slash"),
    pytest.param(lambda: save("..\\name"), ValueError,
                 r"name must be a plain file name", id="save_figure-name-backslash"),
    pytest.param(lambda: save(""), ValueError,
                 r"name must be a plain file name .* got ''", id="save_figure-name-empty"),

    # --- relu, relu_grad -----------------------------------------------------------------------
    *[pytest.param(call, TypeError, r"h must be a numeric array, got " + got, id=f"{name}-h-{bad_id}")
      for name in ("relu", "relu_grad")
      for bad_id, bad, got in [("string", "1.0", "str"), ("None", None, "NoneType"),
                               ("objects", objects((2, 3)), "an array of dtype object"),
                               ("complex", np.array([1 + 2j]), "an array of dtype complex128")]
      for call in [(lambda name=name, bad=bad: getattr(rh, name)(bad))]],

    # --- softmax family, more --------------------------------------------------------------------
    pytest.param(lambda: rh.softmax(np.array([[0.0, np.nan]])), ValueError,
                 r"h must hold only finite numbers, but it holds NaN", id="softmax-h-nan"),
    pytest.param(lambda: rh.softmax("1 2 3"), TypeError,
                 r"h must be a numeric array, got str", id="softmax-h-string"),
    pytest.param(lambda: rh.softmax(objects((2, 3))), TypeError,
                 r"h must be a numeric array, got an array of dtype object", id="softmax-h-objects"),
    pytest.param(lambda: rh.softmax(np.zeros((N, 0))), ValueError,
                 r"h must have at least one class \(column\), got shape \(12, 0\)",
                 id="softmax-h-no-classes"),
    pytest.param(lambda: rh.softmax(3.0), ValueError,
                 r"h must be 1-D or 2-D, got a 0-D array", id="softmax-h-scalar"),
    pytest.param(lambda: rh.log_softmax(np.zeros((2, 2, 2))), ValueError,
                 r"h must be 1-D or 2-D, got a 3-D array", id="log_softmax-h-3d"),
    pytest.param(lambda: rh.log_softmax(np.array([[0.0, -np.inf]])), ValueError,
                 r"h must hold only finite numbers, but it holds inf", id="log_softmax-h-inf"),
    pytest.param(lambda: rh.log_softmax(None), TypeError,
                 r"h must be a numeric array, got NoneType", id="log_softmax-h-none"),
    pytest.param(lambda: rh.log_softmax(np.zeros(0)), ValueError,
                 r"h must have at least one class", id="log_softmax-h-empty"),
    pytest.param(lambda: rh.softmax_jacobian(np.array([0.5, np.nan])), ValueError,
                 r"p must hold only finite numbers, but it holds NaN", id="softmax_jacobian-p-nan"),
    pytest.param(lambda: rh.softmax_jacobian("0.5 0.5"), TypeError,
                 r"p must be a numeric array, got str", id="softmax_jacobian-p-string"),

    # --- one_hot, nll_loss, more -------------------------------------------------------------------
    pytest.param(lambda: rh.one_hot(objects(3), 3), TypeError,
                 r"y must hold integer class labels, got an array of dtype object", id="one_hot-y-objects"),
    pytest.param(lambda: rh.one_hot(np.array([0.0, np.inf]), 3), ValueError,
                 r"y must hold integer class labels, got non-integer values such as inf",
                 id="one_hot-y-inf"),
    pytest.param(lambda: rh.one_hot(None, 3), TypeError,
                 r"y must be an array of integer labels, got NoneType", id="one_hot-y-none"),
    pytest.param(lambda: rh.nll_loss(probs(), with_value(Y(), (0, 0), np.nan)), ValueError,
                 r"Y must hold only finite numbers, but it holds NaN", id="nll_loss-Y-nan"),
    pytest.param(lambda: rh.nll_loss(probs(), with_value(Y(), (0, 0), np.inf)), ValueError,
                 r"Y must hold only finite numbers, but it holds inf", id="nll_loss-Y-inf"),
    pytest.param(lambda: rh.nll_loss(with_value(probs(), (1, 1), np.inf), Y()), ValueError,
                 r"P must hold only finite numbers, but it holds inf", id="nll_loss-P-inf"),
    pytest.param(lambda: rh.nll_loss(probs(), Y()[:, 0]), ValueError,
                 r"Y must be 2-D, got a 1-D array", id="nll_loss-Y-1d"),
    pytest.param(lambda: rh.nll_loss("P", Y()), TypeError,
                 r"P must be a numeric array, got str", id="nll_loss-P-string"),
    pytest.param(lambda: rh.nll_loss(probs(), objects((N, C))), TypeError,
                 r"Y must be a numeric array, got an array of dtype object", id="nll_loss-Y-objects"),

    # --- init_params, forward, backward, more -------------------------------------------------------
    pytest.param(lambda: rh.init_params(2, 3, 2, np.random.default_rng(0),
                                        weight_init=lambda n_in, n_out, rng: np.zeros((n_out, n_in))),
                 ValueError,
                 r"weight_init must return an array of shape \(n_in, n_out\) = \(2, 3\) for W1, got \(3, 2\)",
                 id="init_params-weight_init-transposed"),
    pytest.param(lambda: rh.forward(objects((N, D)), params()), TypeError,
                 r"X must be a numeric array, got an array of dtype object", id="forward-X-objects"),
    pytest.param(lambda: rh.forward(X(), params(W1="W1")), TypeError,
                 r"params\['W1'\] must be a numeric array, got str", id="forward-params-W1-string"),
    pytest.param(lambda: rh.forward(X(), params(b1=np.full(H, np.inf))), ValueError,
                 r"params\['b1'\] must hold only finite numbers, but it holds inf", id="forward-params-b1-inf"),
    pytest.param(lambda: rh.backward(Y(N - 1), cache(), params()), ValueError,
                 r"Y must have shape \(N, C\) = \(12, 3\), got \(11, 3\)", id="backward-Y-other-N"),
    pytest.param(lambda: rh.backward(with_value(Y(), (2, 1), np.nan), cache(), params()), ValueError,
                 r"Y must hold only finite numbers, but it holds NaN", id="backward-Y-nan"),
    pytest.param(lambda: rh.backward(y(), cache(), params()), ValueError,
                 r"Y must be 2-D, got a 1-D array", id="backward-Y-labels-not-one-hot"),
    pytest.param(lambda: rh.backward(Y(), {**cache(), "X": with_value(X(), (0, 0), np.nan)}, params()),
                 ValueError, r"X must hold only finite numbers", id="backward-cache-X-nan"),
    pytest.param(lambda: rh.backward(Y(), cache(), params(b2=np.zeros(C + 1))), ValueError,
                 r"params\['b2'\] must have shape \(3,\)", id="backward-params-b2-shape"),

    # --- numerical_gradient, rel_error, more ---------------------------------------------------------
    pytest.param(lambda: rh.numerical_gradient(lambda x: x * 2, np.ones(2)), TypeError,
                 r"f must return a scalar, got an array of shape \(2,\)", id="numerical_gradient-f-returns-array"),
    pytest.param(lambda: rh.numerical_gradient(np.sum, "1 2"), TypeError,
                 r"x must be a numeric array, got str", id="numerical_gradient-x-string"),
    pytest.param(lambda: rh.numerical_gradient(np.sum, np.array([1.0, np.inf])), ValueError,
                 r"x must hold only finite numbers, but it holds inf", id="numerical_gradient-x-inf"),
    pytest.param(lambda: rh.numerical_gradient(np.sum, np.ones(2), eps=-1e-6), ValueError,
                 r"eps must be a positive finite number, got -1e-06", id="numerical_gradient-eps-negative"),
    pytest.param(lambda: rh.numerical_gradient(np.sum, np.ones(2), eps="1e-6"), TypeError,
                 r"eps must be a positive number, got str", id="numerical_gradient-eps-string"),
    pytest.param(lambda: rh.rel_error(np.ones(2), np.array([1.0, np.inf])), ValueError,
                 r"b must hold only finite numbers, but it holds inf", id="rel_error-b-inf"),
    pytest.param(lambda: rh.rel_error("1", np.ones(1)), TypeError,
                 r"a must be a numeric array, got str", id="rel_error-a-string"),
    pytest.param(lambda: rh.rel_error(np.ones(2), objects(2)), TypeError,
                 r"b must be a numeric array, got an array of dtype object", id="rel_error-b-objects"),

    # --- minibatches, sgd_step, more ---------------------------------------------------------------------
    pytest.param(lambda: first_batch(2.5, 1, np.random.default_rng(0)), TypeError,
                 r"N must be a positive integer, got float 2\.5", id="minibatches-N-float"),
    pytest.param(lambda: first_batch(10, -2, np.random.default_rng(0)), ValueError,
                 r"batch_size must be a positive integer, got -2", id="minibatches-batch_size-negative"),
    pytest.param(lambda: first_batch(10, "4", np.random.default_rng(0)), TypeError,
                 r"batch_size must be a positive integer, got str", id="minibatches-batch_size-string"),
    pytest.param(lambda: first_batch(True, 1, np.random.default_rng(0)), TypeError,
                 r"N must be a positive integer, got bool", id="minibatches-N-bool"),
    pytest.param(lambda: sgd(lr=-0.1), ValueError,
                 r"lr must be a positive finite number, got -0\.1", id="sgd_step-lr-negative"),
    pytest.param(lambda: sgd(lr="0.1"), TypeError,
                 r"lr must be a positive number, got str", id="sgd_step-lr-string"),
    pytest.param(lambda: sgd(p=params(W1=np.ones((D, H), dtype=np.int64))), TypeError,
                 r"params\['W1'\] must be a float64 ndarray to be updated in place, got an array "
                 r"of shape \(4, 5\) and dtype int64", id="sgd_step-params-int"),
    pytest.param(lambda: sgd(p=params(b2=[0.0] * C)), TypeError,
                 r"params\['b2'\] must be a float64 ndarray to be updated in place, got list",
                 id="sgd_step-params-list"),
    pytest.param(lambda: sgd(p=params(W3=np.ones(2))), ValueError,
                 r"params must have exactly the keys .*extra keys \['W3'\]", id="sgd_step-params-extra-key"),
    pytest.param(lambda: sgd(g=grads(W3=np.ones(2))), ValueError,
                 r"grads must be a dict with keys \['W1', 'b1', 'W2', 'b2'\]", id="sgd_step-grads-extra-key"),
    pytest.param(lambda: sgd(g=grads(b1=np.full(H, np.inf))), ValueError,
                 r"grads\['b1'\] must hold only finite numbers, but it holds inf", id="sgd_step-grads-inf"),

    # --- SGD, Momentum, Adam: constructors ------------------------------------------------------------------
    *[pytest.param(call, exc, message, id=f"{name}-lr-{bad_id}")
      for name, make in [("SGD", lambda v: rh.SGD(v)), ("Momentum", lambda v: rh.Momentum(v)),
                         ("Adam", lambda v: rh.Adam(lr=v))]
      for bad_id, bad, exc, message in [
          ("zero", 0.0, ValueError, r"lr must be a positive finite number, got 0\.0"),
          ("negative", -0.01, ValueError, r"lr must be a positive finite number, got -0\.01"),
          ("nan", float("nan"), ValueError, r"lr must be a positive finite number, got nan"),
          ("inf", float("inf"), ValueError, r"lr must be a positive finite number, got inf"),
          ("string", "0.1", TypeError, r"lr must be a positive number, got str '0\.1'"),
          ("None", None, TypeError, r"lr must be a positive number, got NoneType"),
          ("True", True, TypeError, r"lr must be a positive number, got bool")]
      for call in [(lambda make=make, bad=bad: make(bad))]],
    *[pytest.param(call, ValueError, re.escape(f"{arg} must be a number in [0, 1), got {bad!r}"),
                   id=f"{name}-{arg}-{bad_id}")
      for name, arg, make in [("Momentum", "momentum", lambda v: rh.Momentum(0.1, momentum=v)),
                              ("Adam", "beta1", lambda v: rh.Adam(0.1, beta1=v)),
                              ("Adam", "beta2", lambda v: rh.Adam(0.1, beta2=v))]
      for bad_id, bad in [("one", 1.0), ("above-one", 1.5), ("negative", -0.1), ("nan", float("nan")),
                          ("string", "0.9"), ("True", True), ("None", None)]
      for call in [(lambda make=make, bad=bad: make(bad))]],
    pytest.param(lambda: rh.Adam(0.1, eps=0.0), ValueError,
                 r"eps must be a positive finite number, got 0\.0", id="Adam-eps-zero"),
    pytest.param(lambda: rh.Adam(0.1, eps=-1e-8), ValueError,
                 r"eps must be a positive finite number, got -1e-08", id="Adam-eps-negative"),
    pytest.param(lambda: rh.Adam(0.1, eps=float("nan")), ValueError,
                 r"eps must be a positive finite number, got nan", id="Adam-eps-nan"),
    pytest.param(lambda: rh.Adam(0.1, eps="1e-8"), TypeError,
                 r"eps must be a positive number, got str", id="Adam-eps-string"),

    # --- SGD, Momentum, Adam: .step ------------------------------------------------------------------------
    *[pytest.param(call, exc, message, id=f"{name}.step-{bad_id}")
      for name, make in OPTIMIZERS
      for bad_id, p, g, exc, message in [
          ("params-missing-key", lambda: without(params(), "b2"), None, ValueError,
           r"params must have keys \['W1', 'b1', 'W2', 'b2'\], but \['b2'\] missing"),
          ("params-extra-key", lambda: params(W3=np.ones((2, 2))), None, ValueError,
           r"params must have exactly the keys .*, got extra keys \['W3'\]"),
          ("params-b1-shape", lambda: params(b1=np.zeros(H + 1)), None, ValueError,
           r"params\['b1'\] must have shape \(5,\) to match W1 \(4, 5\), got shape \(6,\)"),
          ("params-int", lambda: params(W1=np.ones((D, H), dtype=np.int64)), None, TypeError,
           r"params\['W1'\] must be a float64 ndarray to be updated in place, got an array of "
           r"shape \(4, 5\) and dtype int64"),
          ("params-lists", lambda: {k: v.tolist() for k, v in params().items()}, None, TypeError,
           r"params\['W1'\] must be a float64 ndarray to be updated in place, got list"),
          ("params-not-dict", lambda: list(params().values()), None, TypeError,
           r"params must be a dict with keys"),
          ("params-nan", lambda: params(b2=np.full(C, np.nan)), None, ValueError,
           r"params\['b2'\] must hold only finite numbers, but it holds NaN"),
          ("grads-b1-shape", None, lambda: grads(b1=np.zeros(H + 1)), ValueError,
           r"grads\['b1'\] must have the shape of params\['b1'\], \(5,\), got \(6,\)"),
          ("grads-W1-transposed", None, lambda: grads(W1=np.zeros((H, D))), ValueError,
           r"grads\['W1'\] must have the shape of params\['W1'\], \(4, 5\), got \(5, 4\)"),
          ("grads-nan", None, lambda: grads(W2=with_value(np.zeros((H, C)), (0, 0), np.nan)), ValueError,
           r"grads\['W2'\] must hold only finite numbers, but it holds NaN"),
          ("grads-inf", None, lambda: grads(b2=np.full(C, -np.inf)), ValueError,
           r"grads\['b2'\] must hold only finite numbers, but it holds inf"),
          ("grads-missing-key", None, lambda: without(grads(), "W1"), ValueError,
           r"grads must be a dict with keys \['W1', 'b1', 'W2', 'b2'\]"),
          ("grads-string", None, lambda: grads(b2="0 0 0"), TypeError,
           r"grads\['b2'\] must be a numeric array, got str"),
      ]
      for call in [(lambda make=make, p=p, g=g: step(make, p and p(), g and g()))]],
    *[pytest.param(lambda make=make: step_on_another_net(make), ValueError,
                   r"params\['W2'\].*\(5, 4\)", id=f"{name}.step-params-of-another-net")
      for name, make in OPTIMIZERS if name != "SGD"],

    # --- fit_standardizer, standardize ----------------------------------------------------------------------
    pytest.param(lambda: rh.fit_standardizer(with_value(X(), (0, 0), np.nan)), ValueError,
                 r"X must hold only finite numbers, but it holds NaN", id="fit_standardizer-X-nan"),
    pytest.param(lambda: rh.fit_standardizer(with_value(X(), (2, 3), np.inf)), ValueError,
                 r"X must hold only finite numbers, but it holds inf", id="fit_standardizer-X-inf"),
    pytest.param(lambda: rh.fit_standardizer(np.ones(D)), ValueError,
                 r"X must be 2-D, got a 1-D array", id="fit_standardizer-X-1d"),
    pytest.param(lambda: rh.fit_standardizer(np.ones((2, 8, 8))), ValueError,
                 r"X must be 2-D, got a 3-D array of shape \(2, 8, 8\)", id="fit_standardizer-X-images-3d"),
    pytest.param(lambda: rh.fit_standardizer(np.ones((0, D))), ValueError,
                 r"X must hold at least one sample, got an empty batch", id="fit_standardizer-X-empty"),
    pytest.param(lambda: rh.fit_standardizer("X"), TypeError,
                 r"X must be a numeric array, got str", id="fit_standardizer-X-string"),
    pytest.param(lambda: rh.fit_standardizer(objects((N, D))), TypeError,
                 r"X must be a numeric array, got an array of dtype object", id="fit_standardizer-X-objects"),
    pytest.param(lambda: rh.standardize(with_value(X(), (0, 0), np.nan), np.zeros(D), np.ones(D)),
                 ValueError, r"X must hold only finite numbers, but it holds NaN", id="standardize-X-nan"),
    pytest.param(lambda: rh.standardize(np.ones(D), np.zeros(D), np.ones(D)), ValueError,
                 r"X must be 2-D, got a 1-D array", id="standardize-X-1d"),
    pytest.param(lambda: rh.standardize(np.ones((0, D)), np.zeros(D), np.ones(D)), ValueError,
                 r"X must hold at least one sample, got an empty batch", id="standardize-X-empty"),
    pytest.param(lambda: rh.standardize(X(), np.zeros(D - 1), np.ones(D)), ValueError,
                 r"mean must have shape \(D,\) = \(4,\) to match X, got \(3,\)", id="standardize-mean-width"),
    pytest.param(lambda: rh.standardize(X(), np.zeros(D), np.ones(D + 1)), ValueError,
                 r"std must have shape \(D,\) = \(4,\) to match X, got \(5,\)", id="standardize-std-width"),
    pytest.param(lambda: rh.standardize(X(d=D + 1), np.zeros(D), np.ones(D)), ValueError,
                 r"mean must have shape \(D,\) = \(5,\) to match X, got \(4,\)", id="standardize-X-width"),
    pytest.param(lambda: rh.standardize(X(), np.zeros((1, D)), np.ones(D)), ValueError,
                 r"mean must be 1-D, got a 2-D array of shape \(1, 4\)", id="standardize-mean-2d"),
    pytest.param(lambda: rh.standardize(X(), np.zeros(D), np.array([1.0, 0.0, 1.0, 1.0])), ValueError,
                 r"std must be > 0 in every feature, got a value <= 0", id="standardize-std-zero"),
    pytest.param(lambda: rh.standardize(X(), np.zeros(D), -np.ones(D)), ValueError,
                 r"std must be > 0 in every feature", id="standardize-std-negative"),
    pytest.param(lambda: rh.standardize(X(), np.full(D, np.nan), np.ones(D)), ValueError,
                 r"mean must hold only finite numbers, but it holds NaN", id="standardize-mean-nan"),
    pytest.param(lambda: rh.standardize(X(), np.zeros(D), np.full(D, np.inf)), ValueError,
                 r"std must hold only finite numbers, but it holds inf", id="standardize-std-inf"),
    pytest.param(lambda: rh.standardize(X(), np.zeros(D), "1"), TypeError,
                 r"std must be a numeric array, got str", id="standardize-std-string"),

    # --- load_digits_split, load_iris_split, more ------------------------------------------------------------
    *[pytest.param(call, exc, message, id=f"{name}-{bad_id}")
      for name, load in [("load_digits_split", lambda **kw: rh.load_digits_split(**kw)),
                         ("load_iris_split", lambda **kw: rh.load_iris_split(**kw))]
      for bad_id, kwargs, exc, message in [
          ("test_size-0.0", dict(test_size=0.0), ValueError, r"test_size must be a float in \(0, 1\), got 0\.0"),
          ("test_size-1.0", dict(test_size=1.0), ValueError, r"test_size must be a float in \(0, 1\), got 1\.0"),
          ("test_size-negative", dict(test_size=-0.2), ValueError,
           r"test_size must be a float in \(0, 1\), got -0\.2"),
          ("test_size-percent", dict(test_size=20.0), ValueError,
           r"test_size must be a float in \(0, 1\), got 20\.0"),
          ("test_size-nan", dict(test_size=float("nan")), ValueError,
           r"test_size must be a float in \(0, 1\), got nan"),
          ("test_size-int-1", dict(test_size=1), TypeError, r"test_size must be a float in \(0, 1\), got int 1"),
          ("test_size-string", dict(test_size="0.2"), TypeError,
           r"test_size must be a float in \(0, 1\), got str"),
          ("seed-float", dict(seed=1.5), TypeError, r"seed must be a non-negative integer, got float 1\.5"),
          ("seed-string", dict(seed="0"), TypeError, r"seed must be a non-negative integer, got str"),
          ("seed-None", dict(seed=None), TypeError, r"seed must be a non-negative integer, got NoneType"),
          ("seed-True", dict(seed=True), TypeError, r"seed must be a non-negative integer, got bool"),
          ("seed-negative", dict(seed=-3), ValueError, r"seed must be a non-negative integer, got -3"),
      ]
      # the iris split's test_size 0.0 and 1.0 and a negative seed are in the table above
      if not (name == "load_iris_split" and bad_id in ("test_size-0.0", "test_size-1.0", "seed-negative"))
      for call in [(lambda load=load, kwargs=kwargs: load(**kwargs))]],
    pytest.param(lambda: rh.load_digits_split(test_size=0.001), ValueError,
                 r"test_size must leave at least 10 samples \(one per class\) in each part.*2 test",
                 id="load_digits_split-test_size-fewer-test-samples-than-classes"),
    pytest.param(lambda: rh.load_digits_split(test_size=0.995), ValueError, r"test_size must leave at least 10.*8 training",
                 id="load_digits_split-test_size-fewer-train-samples-than-classes"),

    # --- save_params, load_params (the file contents are tested in test_save_load.py) ----------------------------
    pytest.param(lambda: rh.save_params(3, params()), TypeError,
                 r"path must be a str or a path, got int 3", id="save_params-path-int"),
    pytest.param(lambda: rh.save_params(None, params()), TypeError,
                 r"path must be a str or a path, got NoneType", id="save_params-path-none"),
    pytest.param(lambda: rh.save_params(INSIDE_A_FILE, without(params(), "W2")), ValueError,
                 r"params must have keys .*\['W2'\] missing", id="save_params-params-missing-key"),
    pytest.param(lambda: rh.save_params(INSIDE_A_FILE, params(W3=np.ones(2))), ValueError,
                 r"params must have exactly the keys .*extra keys \['W3'\]", id="save_params-params-extra-key"),
    pytest.param(lambda: rh.save_params(INSIDE_A_FILE, params(b1=np.zeros(H + 1))), ValueError,
                 r"params\['b1'\] must have shape \(5,\)", id="save_params-params-b1-shape"),
    pytest.param(lambda: rh.save_params(INSIDE_A_FILE, params(W1=with_value(np.ones((D, H)), (0, 0), np.nan))),
                 ValueError, r"params\['W1'\] must hold only finite numbers", id="save_params-params-nan"),
    pytest.param(lambda: rh.save_params(INSIDE_A_FILE, "params"), TypeError,
                 r"params must be a dict", id="save_params-params-string"),
    pytest.param(lambda: rh.load_params(INSIDE_A_FILE), ValueError,
                 re.escape(str(INSIDE_A_FILE)) + r" is not a readable \.npz file", id="load_params-path-nonexistent"),
    pytest.param(lambda: rh.load_params(3), TypeError,
                 r"path must be a str or a path, got int 3", id="load_params-path-int"),
    pytest.param(lambda: rh.load_params(None), TypeError,
                 r"path must be a str or a path, got NoneType", id="load_params-path-none"),

    # --- train, more ---------------------------------------------------------------------------------------------
    pytest.param(lambda: train(optimizer=rh.SGD(0.1)), ValueError,
                 r"give exactly one of lr \(plain gradient descent\) and optimizer, got lr=0\.1 and "
                 r"optimizer=SGD\(lr=0\.1\)", id="train-lr-and-optimizer"),
    pytest.param(lambda: train(lr=None), ValueError,
                 r"give exactly one of lr .* got lr=None and optimizer=None", id="train-neither-lr-nor-optimizer"),
    pytest.param(lambda: train(lr=None, optimizer="adam"), TypeError,
                 r"optimizer must be an SGD, Momentum or Adam, got str 'adam'", id="train-optimizer-string"),
    pytest.param(lambda: train(lr=None, optimizer=rh.Adam), TypeError,
                 r"optimizer must be an SGD, Momentum or Adam, got type", id="train-optimizer-class-not-instance"),
    pytest.param(lambda: train(lr=None, optimizer=rh.sgd_step), TypeError,
                 r"optimizer must be an SGD, Momentum or Adam, got function", id="train-optimizer-function"),
    pytest.param(lambda: train(lr=float("inf")), ValueError,
                 r"lr must be a positive finite number, got inf", id="train-lr-inf"),
    pytest.param(lambda: train(batch_size=-4), ValueError,
                 r"batch_size must be a positive integer, got -4", id="train-batch_size-negative"),
    pytest.param(lambda: train(steps=-1), ValueError,
                 r"steps must be a positive integer, got -1", id="train-steps-negative"),
    pytest.param(lambda: train(steps=2.5), TypeError,
                 r"steps must be a positive integer, got float 2\.5", id="train-steps-float"),
    pytest.param(lambda: train(X=X(N + 1)), ValueError,
                 r"y must have one label per row of X, got X with N = 13 rows and y with 12 labels",
                 id="train-X-longer-than-y"),
    pytest.param(lambda: train(X=np.ones((0, D)), y=np.zeros(0, dtype=int)), ValueError,
                 r"X must hold at least one sample, got an empty batch", id="train-X-empty"),
    pytest.param(lambda: train(X=with_value(X(), (4, 2), np.inf)), ValueError,
                 r"X must hold only finite numbers, but it holds inf", id="train-X-inf"),
    pytest.param(lambda: train(X=objects((N, D))), TypeError,
                 r"X must be a numeric array, got an array of dtype object", id="train-X-objects"),
    pytest.param(lambda: train(y_test=y(5)), ValueError,
                 r"X_test and y_test must be given together", id="train-y_test-without-X_test"),
    pytest.param(lambda: train(X_test=with_value(X(5), (0, 0), np.nan), y_test=y(5)), ValueError,
                 r"X must hold only finite numbers, but it holds NaN", id="train-X_test-nan"),
    pytest.param(lambda: train(X_test=np.ones((0, D)), y_test=np.zeros(0, dtype=int)), ValueError,
                 r"X must hold at least one sample", id="train-X_test-empty"),
    pytest.param(lambda: train(params=without(params(), "b1")), ValueError,
                 r"params must have keys .*\['b1'\] missing", id="train-params-missing-key"),
    pytest.param(lambda: train(params=params(extra=np.ones(2))), ValueError,
                 r"params must have exactly the keys .*extra keys \['extra'\]", id="train-params-extra-key"),
    pytest.param(lambda: train(optimizer=rh.Adam(0.01), lr=None, params=params(b2=[0.0] * C)), TypeError,
                 r"params\['b2'\] must be a float64 ndarray to be updated in place, got list",
                 id="train-optimizer-params-list"),

    # --- predict, accuracy, more ------------------------------------------------------------------------------
    pytest.param(lambda: rh.predict(with_value(X(), (0, 0), np.nan), params()), ValueError,
                 r"X must hold only finite numbers, but it holds NaN", id="predict-X-nan"),
    pytest.param(lambda: rh.predict(with_value(X(), (0, 0), -np.inf), params()), ValueError,
                 r"X must hold only finite numbers, but it holds inf", id="predict-X-inf"),
    pytest.param(lambda: rh.predict(X(d=D + 1), params()), ValueError,
                 r"X must have D = 4 columns to match params\['W1'\]", id="predict-X-width"),
    pytest.param(lambda: rh.predict(np.ones((0, D)), params()), ValueError,
                 r"X must hold at least one sample, got an empty batch", id="predict-X-empty"),
    pytest.param(lambda: rh.predict("X", params()), TypeError,
                 r"X must be a numeric array, got str", id="predict-X-string"),
    pytest.param(lambda: rh.predict(objects((N, D)), params()), TypeError,
                 r"X must be a numeric array, got an array of dtype object", id="predict-X-objects"),
    pytest.param(lambda: rh.predict(X(), without(params(), "W1")), ValueError,
                 r"params must have keys .*\['W1'\] missing", id="predict-params-missing-key"),
    pytest.param(lambda: rh.predict(X(), params(W0=np.ones(2))), ValueError,
                 r"params must have exactly the keys .*extra keys \['W0'\]", id="predict-params-extra-key"),
    pytest.param(lambda: rh.accuracy(np.zeros((3, 1), dtype=int), np.zeros(3, dtype=int)), ValueError,
                 r"y_true must be a 1-D array of integer labels, got a 2-D array", id="accuracy-y_true-2d"),
    pytest.param(lambda: rh.accuracy(np.arange(3), np.array([0.0, np.nan, 2.0])), ValueError,
                 r"y_pred must hold integer class labels, got non-integer values such as nan",
                 id="accuracy-y_pred-nan"),
    pytest.param(lambda: rh.accuracy(np.arange(3), np.array([0.0, np.inf, 2.0])), ValueError,
                 r"y_pred must hold integer class labels, got non-integer values such as inf",
                 id="accuracy-y_pred-inf"),
    pytest.param(lambda: rh.accuracy(objects(3), np.arange(3)), TypeError,
                 r"y_true must hold integer class labels, got an array of dtype object",
                 id="accuracy-y_true-objects"),
    pytest.param(lambda: rh.accuracy(np.arange(3), None), TypeError,
                 r"y_pred must be an array of integer labels, got NoneType", id="accuracy-y_pred-none"),
    pytest.param(lambda: rh.accuracy(np.arange(3), rh.one_hot(np.arange(3), 3)), ValueError,
                 r"y_pred must be a 1-D array of integer labels, got a 2-D array of shape \(3, 3\)",
                 id="accuracy-y_pred-one-hot"),

    # --- save_figure, more -----------------------------------------------------------
    pytest.param(lambda: save(3), TypeError,
                 r"name must be a str such as '01_network', got int 3", id="save_figure-name-int"),
    pytest.param(lambda: save(None), TypeError,
                 r"name must be a str such as '01_network', got NoneType", id="save_figure-name-none"),
    pytest.param(lambda: rh.save_figure(object(), "not-a-figure"), TypeError,
                 r"fig must be a matplotlib Figure", id="save_figure-fig-not-a-figure"),

    # --- check_answer, check_that: AssertionError, for the exercises ------------------------------------------------
    pytest.param(lambda: check(np.ones(2)), AssertionError,
                 r"^ex03\.1: expected an array of shape \(3,\), got shape \(2,\)\. Hint: subtract the row maximum$",
                 id="check_answer-got-wrong-shape"),
    pytest.param(lambda: check(np.ones((3, 1))), AssertionError,
                 r"^ex03\.1: expected an array of shape \(3,\), got shape \(3, 1\)\. Hint: subtract",
                 id="check_answer-got-column-instead-of-row"),
    pytest.param(lambda: check(None), AssertionError,
                 r"^ex03\.1: your function returned None: did you forget `return`\? "
                 r"Hint: subtract the row maximum$", id="check_answer-got-none"),
    pytest.param(lambda: check([1.0, np.nan, 1.0]), AssertionError,
                 r"^ex03\.1: your answer holds NaN or inf: \[ *1\. +nan +1\.\]\. Hint: subtract the row maximum$",
                 id="check_answer-got-nan"),
    pytest.param(lambda: check([1.0, 1.0, np.inf]), AssertionError,
                 r"^ex03\.1: your answer holds NaN or inf: .*inf.*\. Hint: subtract the row maximum$",
                 id="check_answer-got-inf"),
    pytest.param(lambda: check([1.0, 1.0, 2.0]), AssertionError,
                 r"^ex03\.1: expected \[1\. 1\. 1\.\], got \[1\. 1\. 2\.\] \(largest difference 1 at "
                 r"index \(2,\)\)\. Hint: subtract the row maximum$", id="check_answer-got-differs"),
    pytest.param(lambda: check(2.0, expected=1.0), AssertionError,
                 r"^ex03\.1: expected 1\., got 2\. \(largest difference 1\)\. Hint: subtract",
                 id="check_answer-got-scalar-differs"),
    pytest.param(lambda: check("1 1 1"), AssertionError,
                 r"^ex03\.1: expected numbers, got str '1 1 1'\. Hint: subtract the row maximum$",
                 id="check_answer-got-string"),
    pytest.param(lambda: check([[1.0, 1.0], [1.0]]), AssertionError,
                 r"^ex03\.1: expected numbers, got list .*Hint: subtract", id="check_answer-got-ragged"),
    pytest.param(lambda: check(np.ones(2), what="dW1"), AssertionError,
                 r"^ex03\.1 \(dW1\): expected an array of shape \(3,\), got shape \(2,\)\. Hint:",
                 id="check_answer-what-names-the-part"),
    pytest.param(lambda: check(np.array([1.0 + 1.0j, 1.0, 1.0])), AssertionError,
                 r"^ex03\.1: .*Hint: subtract the row maximum$", id="check_answer-got-complex",
                 marks=[pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")]),
    pytest.param(lambda: rh.check_that("ex02.1", False, "shape (300, 500)", hint="n_in rows"),
                 AssertionError, r"^ex02\.1: expected shape \(300, 500\)\. Hint: n_in rows$",
                 id="check_that-false"),
    pytest.param(lambda: rh.check_that("ex02.1", np.False_, "mean 0", hint="symmetric"),
                 AssertionError, r"^ex02\.1: expected mean 0\. Hint: symmetric$", id="check_that-numpy-false"),
    pytest.param(lambda: rh.check_that("ex02.2", 0, "a non-zero count", hint="count"),
                 AssertionError, r"^ex02\.2: expected a non-zero count\. Hint: count$", id="check_that-zero"),
    pytest.param(lambda: rh.check_that("ex02.2", None, "a bool", hint="return True or False"),
                 AssertionError, r"^ex02\.2: expected a bool\. Hint: return True or False$", id="check_that-none"),
    pytest.param(lambda: rh.check_that("ex01.2", np.array([True, False]), "every row one-hot", hint="argmax"),
                 TypeError, r"ex01\.2", id="check_that-ok-is-an-array"),
]


@pytest.mark.parametrize("call, exc_type, message", CASES)
def test_bad_input_raises_named_error(call, exc_type, message):
    with pytest.raises(exc_type, match=message) as excinfo:
        call()
    assert excinfo.type is exc_type


def test_train_leaves_params_untouched_when_it_rejects_its_input():
    p = params()
    before = {k: v.copy() for k, v in p.items()}
    with pytest.raises(ValueError, match=r"batch_size must be at most N"):
        train(params=p, batch_size=N + 1)
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(p[key], before[key])


def test_sgd_step_leaves_params_untouched_when_a_gradient_has_the_wrong_shape():
    p = params()
    before = {k: v.copy() for k, v in p.items()}
    grads = {k: np.zeros(np.shape(v)) for k, v in p.items()}
    grads["b2"] = np.zeros(C + 1)
    with pytest.raises(ValueError, match=r"grads\['b2'\] must have the shape"):
        rh.sgd_step(p, grads, 0.1)
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(p[key], before[key])


@pytest.mark.parametrize("name, make", OPTIMIZERS, ids=[name for name, _ in OPTIMIZERS])
def test_optimizer_step_leaves_params_untouched_when_a_gradient_has_the_wrong_shape(name, make):
    p = params()
    before = {k: v.copy() for k, v in p.items()}
    with pytest.raises(ValueError, match=r"grads\['b2'\] must have the shape"):
        make().step(p, grads(b2=np.zeros(C + 1)))
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(p[key], before[key])


@pytest.mark.parametrize("name, make", [o for o in OPTIMIZERS if o[0] != "SGD"],
                         ids=[name for name, _ in OPTIMIZERS if name != "SGD"])
def test_optimizer_step_leaves_params_untouched_when_they_do_not_fit_its_state(name, make):
    opt = make()
    opt.step(params(), grads())
    other = rh.init_params(D, H, C + 1, np.random.default_rng(5))
    before = {k: v.copy() for k, v in other.items()}
    with pytest.raises(ValueError):
        opt.step(other, {k: np.ones(v.shape) for k, v in other.items()})
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(other[key], before[key])


# ---------------------------------------------------------------------------
# The table itself: every public callable has cases, and each case reaches
# the helper its id names.
# ---------------------------------------------------------------------------

PUBLIC_CALLABLES = sorted(name for name in rh.__all__ if callable(getattr(rh, name)))


def target_of(case_id):
    """The public name a case id starts with: ``"SGD.step-grads-nan"`` -> ``"SGD"``."""
    return case_id.split("-", 1)[0].split(".", 1)[0]


def test_every_case_id_starts_with_a_public_callable():
    strays = sorted({case.id for case in CASES if target_of(case.id) not in PUBLIC_CALLABLES})
    assert strays == []


def test_every_public_callable_has_bad_input_cases():
    covered = {target_of(case.id) for case in CASES}
    assert [name for name in PUBLIC_CALLABLES if name not in covered] == []


def test_case_ids_are_unique():
    ids = [case.id for case in CASES]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("case_id, call", [pytest.param(case.id, case.values[0], id=case.id)
                                           for case in CASES])
def test_each_case_calls_the_helper_its_id_names(case_id, call, monkeypatch):
    name = target_of(case_id)
    real = getattr(rh, name)
    calls = []

    def spy(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(rh, name, spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call()
        except Exception:  # the exception itself is checked by test_bad_input_raises_named_error
            pass
    assert calls, f"case {case_id} never calls rh.{name}"
