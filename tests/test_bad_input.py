"""Bad input to the public helpers of ``rawnn_helpers``.

The module promises that bad input raises ``ValueError`` (or ``TypeError``
for a wrong type) with a message naming the argument, instead of returning
NaN or failing deep inside numpy. Each row of the table below is one bad
input: the call, the exact exception type expected and a regular expression
that the message must match, starting with the argument's name.
"""

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


def save(name):
    return rh.save_figure(object(), name)


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
