"""Bad input to the public helpers: one case per mistake learners really make.

The module promises a ``ValueError`` (or ``TypeError`` for a wrong type) whose
message names the argument, what was expected and what came, instead of NaN
or a failure deep inside numpy. Each row of the table is one such mistake:
the call, the exact exception type, and a regular expression the message
must match. The exercise checks (``check_answer``, ``check_that``) raise
``AssertionError`` naming the exercise, what was expected and the hint.

A row's id starts with the public name it calls (``"forward-X-1d"``,
``"Adam.step-grads-nan"``); the tests at the end hold the table to that, and
to covering every public callable but the few that only do numpy's work.
"""

import contextlib
import io
import warnings

import numpy as np
import pytest

import rawnn_helpers as rn

D, H, C, N = 4, 5, 3, 12


def params(**changes):
    """A fresh valid parameter dict (D=4, H=5, C=3), with entries replaced."""
    p = rn.init_params(D, H, C, np.random.default_rng(0))
    p.update(changes)
    return p


def X(n=N, d=D):
    return np.random.default_rng(1).normal(size=(n, d))


def y(n=N):
    return np.arange(n) % C


def Y(n=N):
    return np.eye(C)[y(n)]


def nan_at(array, index):
    out = np.array(array, dtype=np.float64)
    out[index] = np.nan
    return out


def cache(n=N):
    return rn.forward(X(n), params())[1]


def probs(n=N):
    return rn.softmax(np.random.default_rng(2).normal(size=(n, C)))


def grads(**changes):
    g = {k: np.zeros(np.shape(v)) for k, v in params().items()}
    g.update(changes)
    return g


def train(**overrides):
    kwargs = dict(X=X(), y=y(), params=params(), rng=np.random.default_rng(0),
                  optimizer=rn.SGD(0.1), batch_size=4, steps=3)
    kwargs.update(overrides)
    return rn.train(kwargs.pop("X"), kwargs.pop("y"), kwargs.pop("params"), kwargs.pop("rng"), **kwargs)


def step_on_another_net(make_optimizer):
    """Step an optimizer on one net, then on a net with one more class (other shapes)."""
    opt = make_optimizer()
    opt.step(params(), grads())
    other = rn.init_params(D, H, C + 1, np.random.default_rng(5))
    return opt.step(other, {k: np.ones(v.shape) for k, v in other.items()})


def check(got, expected=(1.0, 1.0, 1.0), **kwargs):
    """``check_answer`` for exercise ex03.1; its pass line (printed only if it wrongly passes) is swallowed."""
    kwargs.setdefault("hint", "subtract the row maximum")
    with contextlib.redirect_stdout(io.StringIO()):
        return rn.check_answer("ex03.1", got, np.asarray(expected), **kwargs)


class FigureStandIn:
    def savefig(self, *args, **kwargs):
        raise AssertionError("save_figure should have rejected the name first")


RNG = r"rng must be a numpy Generator such as np\.random\.default_rng\(0\), got int 0"
REDUCTION = r"reduction must be 'mean' or 'sum', got 'avg'"
LOGITS = r"P must hold probabilities in \[0, 1\], .*did you pass the logits h2 instead of softmax\(h2\)\?"
LABELS_NOT_ONE_HOT = r"Y must have .*: pass one_hot\(y, C\), not the labels y"
case = pytest.param

CASES = [
    # --- 01: data, labels, the forward pass ------------------------------------------------------------------
    case(lambda: rn.load_iris_split(test_size=30), TypeError, r"test_size must be a float in \(0, 1\), the fraction held out, got int 30",
         id="load_iris_split-test_size-a-count"),
    case(lambda: rn.load_iris_split(test_size=0.01), ValueError,
         r"test_size must leave at least 3 samples \(one per class\) in each part", id="load_iris_split-test_size-tiny"),
    case(lambda: rn.load_iris_split(seed=-1), ValueError, r"seed must be a non-negative integer, got -1",
         id="load_iris_split-seed-negative"),
    case(lambda: rn.one_hot([0, 1, 3], 3), ValueError, r"y must hold labels in 0 \.\. 2, got labels from 0 to 3",
         id="one_hot-y-label-equal-to-C"),
    case(lambda: rn.one_hot(np.array([1, 2, 3]), 3), ValueError, r"labels in 0 \.\. 2, got labels from 1 to 3",
         id="one_hot-y-counted-from-one"),
    case(lambda: rn.one_hot([0, -1], 3), ValueError, r"y must hold labels in 0 \.\. 2, got labels from -1 to 0",
         id="one_hot-y-negative"),
    case(lambda: rn.one_hot(Y(), 3), ValueError, r"y must be a 1-D array of integer labels, got a 2-D array of "
         r"shape \(12, 3\): pass the labels, not one-hot rows", id="one_hot-y-already-one-hot"),
    case(lambda: rn.one_hot([0.5, 1.0], 3), ValueError, r"y must hold integer class labels, got values such as 0\.5",
         id="one_hot-y-not-integers"),
    case(lambda: rn.one_hot(["a", "b"], 3), TypeError, r"y must be an array of integer labels, got list",
         id="one_hot-y-strings"),
    case(lambda: rn.one_hot(y(), 3.0), TypeError, r"num_classes must be a positive integer, got float 3\.0",
         id="one_hot-num_classes-float"),
    case(lambda: rn.forward(X()[0], params()), ValueError, r"X must be 2-D \(N, D\), got a 1-D array of shape \(4,\): for one sample pass X\[None\]",
         id="forward-X-one-sample-1d"),
    case(lambda: rn.forward(X(d=5), params()), ValueError,
         r"X must have D = 4 columns to match params\['W1'\] of shape \(4, 5\), got X of shape \(12, 5\)",
         id="forward-X-wrong-D"),
    case(lambda: rn.forward(X().T, params()), ValueError, r"X must have D = 4 columns .* got X of shape \(4, 12\)",
         id="forward-X-transposed"),
    case(lambda: rn.forward(nan_at(X(), (3, 1)), params()), ValueError,
         r"X must hold only finite numbers, but it holds NaN or inf", id="forward-X-nan"),
    case(lambda: rn.forward(X(), "params"), TypeError, r"params must be a dict with keys", id="forward-params-string"),
    case(lambda: rn.forward(X(), params(W3=np.ones(2))), ValueError,
         r"params must have exactly the keys \['W1', 'b1', 'W2', 'b2'\], got \['W1', 'W2', 'W3', 'b1', 'b2'\]",
         id="forward-params-extra-key"),
    case(lambda: rn.forward(X(), params(b1=np.zeros(20))), ValueError,
         r"params\['b1'\] must have shape \(5,\) to match W1 of shape \(4, 5\), got shape \(20,\)",
         id="forward-params-hard-coded-bias"),
    case(lambda: rn.forward(X(), params(W2=np.zeros((C, H)))), ValueError,
         r"params\['W2'\] must have shape \(5, 3\) .* got shape \(3, 5\)", id="forward-params-W2-transposed"),
    case(lambda: rn.forward(X(), params(W1=nan_at(params()["W1"], (0, 0)))), ValueError,
         r"params\['W1'\] must hold only finite numbers", id="forward-params-nan"),
    # --- 02: initialisation ----------------------------------------------------------------------------------
    case(lambda: rn.xavier_uniform(4, 5, 0), TypeError, RNG, id="xavier_uniform-rng-a-seed"),
    case(lambda: rn.xavier_uniform(4.0, 5, np.random.default_rng(0)), TypeError,
         r"n_in must be a positive integer, got float 4\.0", id="xavier_uniform-n_in-float"),
    case(lambda: rn.he_normal(0, 5, np.random.default_rng(0)), ValueError, r"n_in must be a positive integer, got 0",
         id="he_normal-n_in-zero"),
    case(lambda: rn.init_params(4, 20, 3, 0), TypeError, RNG, id="init_params-rng-a-seed"),
    case(lambda: rn.init_params((4,), 20, 3, np.random.default_rng(0)), TypeError,
         r"in_dim must be a positive integer, got tuple", id="init_params-in_dim-a-shape"),
    case(lambda: rn.init_params(4, 20, 3, np.random.default_rng(0), weight_init="xavier"), TypeError,
         r"weight_init must be a function such as rn\.xavier_uniform, got str 'xavier'",
         id="init_params-weight_init-a-name"),
    # --- 03: softmax, the loss, gradient checking -------------------------------------------------------------
    case(lambda: rn.softmax(nan_at(np.zeros((2, 3)), (0, 0))), ValueError, r"h must hold only finite numbers",
         id="softmax-h-nan"),
    case(lambda: rn.softmax(np.zeros((2, 3, 4))), ValueError, r"h must be 1-D or 2-D, got a 3-D array",
         id="softmax-h-3d"),
    case(lambda: rn.softmax(np.zeros((2, 0))), ValueError, r"h must have at least one class", id="softmax-h-no-class"),
    case(lambda: rn.softmax("1 2 3"), TypeError, r"h must be a numeric array, got str", id="softmax-h-string"),
    case(lambda: rn.log_softmax(np.array([1.0, np.inf])), ValueError, r"h must hold only finite numbers",
         id="log_softmax-h-inf"),
    case(lambda: rn.nll_loss(np.random.default_rng(0).normal(size=(N, C)), Y()), ValueError, LOGITS,
         id="nll_loss-P-logits"),
    case(lambda: rn.nll_loss(probs(), y()), ValueError, LABELS_NOT_ONE_HOT, id="nll_loss-Y-labels-not-one-hot"),
    case(lambda: rn.nll_loss(probs(), Y(), reduction="avg"), ValueError, REDUCTION, id="nll_loss-reduction-avg"),
    case(lambda: rn.nll_loss(probs(), -Y()), ValueError, r"Y must hold non-negative targets", id="nll_loss-Y-negative"),
    case(lambda: rn.numerical_gradient(lambda x: x**2, np.ones(3)), TypeError,
         r"f must return one number \(the loss\), got an array of shape \(3,\)", id="numerical_gradient-f-not-scalar"),
    case(lambda: rn.numerical_gradient(np.sum, [1.0, np.nan]), ValueError, r"x must hold only finite numbers",
         id="numerical_gradient-x-nan"),
    case(lambda: rn.rel_error(np.ones((3, 2)), np.ones((2, 3))), ValueError,
         r"a and b must have the same shape, got \(3, 2\) and \(2, 3\)", id="rel_error-b-transposed"),
    case(lambda: rn.rel_error(np.ones(3), None), TypeError, r"b must be a numeric array, got NoneType",
         id="rel_error-b-none"),
    # --- 04 and 05: the Jacobian, the backward pass ------------------------------------------------------------
    case(lambda: rn.softmax_jacobian(np.array([2.0, 1.0, 0.1])), ValueError,
         r"p must be a probability vector .*summing to 3\.1: did you pass logits\?", id="softmax_jacobian-p-logits"),
    case(lambda: rn.softmax_jacobian(probs()), ValueError, r"p must be 1-D, got a 2-D array",
         id="softmax_jacobian-p-a-batch"),
    case(lambda: rn.backward(y(), cache(), params()), ValueError, LABELS_NOT_ONE_HOT,
         id="backward-Y-labels-not-one-hot"),
    case(lambda: rn.backward(2 * Y(), cache(), params()), ValueError,
         r"each row of Y must be a probability vector .*P - Y is the gradient only then", id="backward-Y-rows-sum-to-2"),
    case(lambda: rn.backward(Y(), rn.forward(X(), params()), params()), TypeError,
         r"cache must be the dict that forward returns second \(P, cache = forward\(X, params\)\), got tuple", id="backward-cache-the-whole-tuple"),
    case(lambda: rn.backward(Y(), cache(), rn.init_params(D, H + 1, C, np.random.default_rng(0))), ValueError,
         r"cache\['h1'\] must have shape \(12, 6\) to match params, got \(12, 5\): was the cache made with "
         r"these params\?", id="backward-params-other-net"),
    case(lambda: rn.backward(Y(), cache(), params(), reduction="avg"), ValueError, REDUCTION,
         id="backward-reduction-avg"),
    case(lambda: rn.affine_forward(X(), params()["W1"].T, params()["b1"]), ValueError,
         r"X \(N, K\) and W \(K, M\) must share K, got X \(12, 4\) and W \(5, 4\)", id="affine_forward-W-transposed"),
    case(lambda: rn.affine_forward(X(), params()["W1"], params()["b2"]), ValueError,
         r"b must have shape \(M,\) = \(5,\), one bias per column of W, got \(3,\)", id="affine_forward-b-other-layer"),
    case(lambda: rn.affine_forward(X()[0], params()["W1"], params()["b1"]), ValueError,
         r"X must be 2-D, got a 1-D array", id="affine_forward-X-one-sample-1d"),
    case(lambda: rn.affine_backward(np.ones((N, H)), rn.affine_forward(X(), params()["W1"], params()["b1"])),
         TypeError, r"cache must be the tuple \(X, W\) that affine_forward returns second \(h, cache = affine_forward\(X, W, b\)\), got tuple",
         id="affine_backward-cache-the-whole-tuple"),
    case(lambda: rn.affine_backward(np.ones((N, H)).T, (X(), params()["W1"])), ValueError,
         r"dh must have the shape of h = X W, \(N, M\) = \(12, 5\), got \(5, 12\)", id="affine_backward-dh-transposed"),
    case(lambda: rn.relu_backward(np.ones((N, H)), np.ones((N, C))), ValueError,
         r"da must have the shape of h, \(12, 3\), got \(12, 5\)", id="relu_backward-h-other-layer"),
    case(lambda: rn.softmax_nll_backward(probs(), y()), ValueError, LABELS_NOT_ONE_HOT,
         id="softmax_nll_backward-Y-labels-not-one-hot"),
    case(lambda: rn.softmax_nll_backward(np.random.default_rng(2).normal(size=(N, C)), Y()), ValueError,
         r"P must hold probabilities in \[0, 1\].*did you pass the logits", id="softmax_nll_backward-P-logits"),
    case(lambda: rn.softmax_nll_backward(probs(), 2 * Y()), ValueError,
         r"each row of Y must be a probability vector", id="softmax_nll_backward-Y-rows-sum-to-2"),
    # --- 06: training ------------------------------------------------------------------------------------------
    case(lambda: next(rn.minibatches(N, N + 1, np.random.default_rng(0))), ValueError,
         r"batch_size must be at most the number of samples, 12, got 13", id="minibatches-batch_size-above-n_samples"),
    case(lambda: next(rn.minibatches(N, 4, 0)), TypeError, RNG, id="minibatches-rng-a-seed"),
    case(lambda: rn.SGD(-0.1), ValueError, r"lr must be a positive finite number, got -0\.1", id="SGD-lr-negative"),
    case(lambda: rn.SGD("0.1"), TypeError, r"lr must be a positive number, got str '0\.1'", id="SGD-lr-string"),
    case(lambda: rn.SGD(0.1).step(params(), grads(b2=np.zeros(C + 1))), ValueError,
         r"grads\['b2'\] must have the shape of params\['b2'\], \(3,\), got \(4,\)", id="SGD.step-grads-shape"),
    case(lambda: rn.SGD(0.1).step(params(), grads(W1=nan_at(np.zeros((D, H)), (0, 0)))), ValueError,
         r"grads\['W1'\] must hold only finite numbers", id="SGD.step-grads-nan"),
    case(lambda: rn.SGD(0.1).step(params(), [np.zeros(1)] * 4), TypeError,
         r"grads must be a dict with keys \['W1', 'b1', 'W2', 'b2'\], got list", id="SGD.step-grads-list"),
    case(lambda: rn.SGD(0.1).step({k: v.tolist() for k, v in params().items()}, grads()), TypeError,
         r"params\['W1'\] must be a float64 ndarray to be updated in place, got list", id="SGD.step-params-lists"),
    case(lambda: rn.predict(X()[0], params()), ValueError, r"X must be 2-D", id="predict-X-one-sample-1d"),
    case(lambda: rn.Momentum(0.1, momentum="0.9"), TypeError, r"momentum must be a number in \[0, 1\), got str",
         id="Momentum-momentum-string"),
    case(lambda: rn.accuracy(y(), y(N - 1)), ValueError,
         r"y_true and y_pred must have the same non-zero length, got shapes \(12,\) and \(11,\)",
         id="accuracy-y_pred-shorter"),
    case(lambda: rn.accuracy(y(), probs()), ValueError, r"y_pred must be a 1-D array of integer labels, got a 2-D",
         id="accuracy-y_pred-probabilities"),
    case(lambda: train(y=y(N - 1)), ValueError, r"y must have one label per row of X, got X with N = 12 rows and "
         r"y with 11 labels", id="train-y-shorter"),
    case(lambda: train(y=y() + 1), ValueError, r"y must hold labels in 0 \.\. 2, got labels from 1 to 3",
         id="train-y-label-equal-to-C"),
    case(lambda: train(X_test=X()), ValueError, r"X_test and y_test must be given together", id="train-y_test-missing"),
    case(lambda: train(X_test=X(d=3), y_test=y()), ValueError, r"X must have D = 4 columns",
         id="train-X_test-wrong-D"),
    case(lambda: train(optimizer=0.1), TypeError,
         r"optimizer must be an SGD, Momentum, Adam or AdamW, such as rn\.SGD\(lr=0\.1\), got float 0\.1",
         id="train-optimizer-a-learning-rate"),
    case(lambda: train(batch_size=N + 1), ValueError, r"batch_size must be at most the number of samples, 12, got 13", id="train-batch_size-above-the-samples"),
    case(lambda: train(steps=0), ValueError, r"steps must be a positive integer, got 0", id="train-steps-zero"),
    case(lambda: train(reduction="avg"), ValueError, REDUCTION, id="train-reduction-avg"),
    case(lambda: train(weight_decay=-0.1), ValueError, r"weight_decay must be a finite number >= 0, got -0\.1",
         id="train-weight_decay-negative"),
    case(lambda: train(params={k: v.astype(np.float32) for k, v in params().items()}), TypeError,
         r"params\['W1'\] must be a float64 ndarray to be updated in place, got an array of shape \(4, 5\) and "
         r"dtype float32", id="train-params-float32"),
    case(lambda: rn.save_params(3, params()), TypeError, r"path must be a str or a path, got int 3",
         id="save_params-path-int"),
    case(lambda: rn.save_params("never-written.npz", params(b1=np.zeros(20))), ValueError,
         r"params\['b1'\] must have shape \(5,\)", id="save_params-params-b1-shape"),
    case(lambda: rn.load_params(None), TypeError, r"path must be a str or a path, got NoneType",
         id="load_params-path-none"),
    case(lambda: rn.load_params("no/such/params.npz"), ValueError,
         r"no/such/params\.npz is not an \.npz file of parameters that can be loaded safely", id="load_params-path-missing"),
    # --- 07: optimisers, weight decay, scaling -----------------------------------------------------------------
    case(lambda: rn.Momentum(0.1, momentum=1.0), ValueError, r"momentum must be a number in \[0, 1\), got 1\.0",
         id="Momentum-momentum-one"),
    case(lambda: step_on_another_net(lambda: rn.Momentum(0.1)), ValueError,
         r"this optimizer's state was made for shape .*: use a new optimizer for each network",
         id="Momentum.step-params-another-net"),
    case(lambda: rn.Adam(lr=0.0), ValueError, r"lr must be a positive finite number, got 0\.0", id="Adam-lr-zero"),
    case(lambda: rn.AdamW(weight_decay=-0.01), ValueError, r"weight_decay must be a finite number >= 0, got -0\.01",
         id="AdamW-weight_decay-negative"),
    case(lambda: rn.Adam(beta2=0.999 + 0.001), ValueError, r"beta2 must be a number in \[0, 1\)", id="Adam-beta2-one"),
    case(lambda: step_on_another_net(rn.Adam), ValueError, r"use a new optimizer for each network",
         id="Adam.step-params-another-net"),
    case(lambda: rn.Adam().step(params(), grads(b1=np.full(H, np.inf))), ValueError,
         r"grads\['b1'\] must hold only finite numbers", id="Adam.step-grads-inf"),
    case(lambda: rn.l2_penalty(params(), -1e-3), ValueError, r"weight_decay must be a finite number >= 0",
         id="l2_penalty-weight_decay-negative"),
    case(lambda: rn.l2_penalty(params(), None), TypeError, r"weight_decay must be a number >= 0, got NoneType",
         id="l2_penalty-weight_decay-none"),
    case(lambda: rn.fit_standardizer(X()[0]), ValueError, r"X must be 2-D", id="fit_standardizer-X-1d"),
    case(lambda: rn.standardize(X(), *rn.fit_standardizer(X(d=3))), ValueError,
         r"mean and std must have shape \(D,\) = \(4,\) to match X, got \(3,\) and \(3,\)",
         id="standardize-mean-other-data"),
    case(lambda: rn.standardize(X(), np.zeros(D), np.zeros(D)), ValueError, r"std must be > 0 in every feature",
         id="standardize-std-zero"),
    case(lambda: rn.load_digits_split(test_size=1.0), ValueError, r"test_size must be a float in \(0, 1\), got 1\.0",
         id="load_digits_split-test_size-one"),
    # --- every notebook: figures and the exercise checks -------------------------------------------------------
    case(lambda: rn.save_figure(FigureStandIn(), "figures/01_network.png"), ValueError,
         r"name must be a plain file name such as '01_network', got 'figures/01_network\.png'",
         id="save_figure-name-a-path"),
    case(lambda: rn.save_figure(np.zeros(3), "x"), TypeError, r"fig must be a matplotlib Figure",
         id="save_figure-fig-not-a-figure"),
    case(lambda: rn.compare(np.ones(3), np.ones(3), np.ones(3)), TypeError,
         r"what must be a str saying what is compared, got an array", id="compare-what-forgotten"),
    case(lambda: rn.compare("dW1", np.ones((4, 5)), np.ones((5, 4))), ValueError,
         r"a and b must have the same shape, got \(4, 5\) and \(5, 4\)", id="compare-expected-transposed"),
    # --- check_answer, check_that: rn.ExerciseFailed, for the exercises ------------------------------------------------
    case(lambda: check(np.ones(2)), rn.ExerciseFailed,
                 r"^ex03\.1: expected an array of shape \(3,\), got shape \(2,\)\. Hint: subtract the row maximum\.$",
                 id="check_answer-got-wrong-shape"),
    case(lambda: check(np.ones((3, 1))), rn.ExerciseFailed,
                 r"^ex03\.1: expected an array of shape \(3,\), got shape \(3, 1\)\. Hint: subtract",
                 id="check_answer-got-column-instead-of-row"),
    case(lambda: check(None), rn.ExerciseFailed,
                 r"^ex03\.1: your function returned None: did you forget `return`\? "
                 r"Hint: subtract the row maximum\.$", id="check_answer-got-none"),
    case(lambda: check([1.0, np.nan, 1.0]), rn.ExerciseFailed,
                 r"^ex03\.1: your answer holds NaN or inf\. Hint: subtract the row maximum\. Got \[ *1\. +nan +1\.\]\.$",
                 id="check_answer-got-nan"),
    case(lambda: check([1.0, 1.0, np.inf]), rn.ExerciseFailed,
                 r"^ex03\.1: your answer holds NaN or inf\. Hint: subtract the row maximum\. Got .*inf.*\.$",
                 id="check_answer-got-inf"),
    case(lambda: check([1.0, 1.0, 2.0]), rn.ExerciseFailed,
                 r"^ex03\.1: wrong values, largest difference 1 at index \(2,\)\. Hint: subtract the row maximum\. "
                 r"Expected \[1\. 1\. 1\.\], got \[1\. 1\. 2\.\]\.$", id="check_answer-got-differs"),
    case(lambda: check([3.0, 3.0, 6.0], expected=[1.0, 1.0, 2.0]), rn.ExerciseFailed,
                 r"^ex03\.1: your answer is 3 times the expected one: a factor \(N, C, \.\.\.\) too many or missing\? "
                 r"Hint: subtract the row maximum\. Expected \[1\. 1\. 2\.\], got \[3\. 3\. 6\.\]\.$",
                 id="check_answer-got-a-factor-off"),
    case(lambda: check([-1.0, 0.0, 2.0], expected=[1.0, 0.0, -2.0]), rn.ExerciseFailed,
                 r"^ex03\.1: your answer has the opposite sign: a minus too many or missing\? Hint:",
                 id="check_answer-got-the-sign-flipped"),
    case(lambda: check(2.0, expected=1.0), rn.ExerciseFailed,
                 r"^ex03\.1: your answer is 2 times the expected one.*Hint: subtract.*Expected 1\., got 2\.\.?$",
                 id="check_answer-got-scalar-differs"),
    case(lambda: check("1 1 1"), rn.ExerciseFailed,
                 r"^ex03\.1: expected numbers, got str '1 1 1'\. Hint: subtract the row maximum\.$",
                 id="check_answer-got-string"),
    case(lambda: check([[1.0, 1.0], [1.0]]), rn.ExerciseFailed,
                 r"^ex03\.1: expected numbers, got list .*Hint: subtract", id="check_answer-got-ragged"),
    case(lambda: check(np.ones(2), what="dW1"), rn.ExerciseFailed,
                 r"^ex03\.1 \(dW1\): expected an array of shape \(3,\), got shape \(2,\)\. Hint:",
                 id="check_answer-what-names-the-part"),
    case(lambda: check(np.array([1.0 + 1.0j, 1.0, 1.0])), rn.ExerciseFailed,
                 r"^ex03\.1: .*Hint: subtract the row maximum\.$", id="check_answer-got-complex",
                 marks=[pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")]),
    case(lambda: rn.check_that("ex02.1", False, "shape (300, 500)", hint="n_in rows"),
                 rn.ExerciseFailed, r"^ex02\.1: expected shape \(300, 500\)\. Hint: n_in rows$",
                 id="check_that-false"),
    case(lambda: rn.forbidding("ex03.1", "softmaxx").__enter__(), ValueError,
         r"forbidding needs an exercise id and names of functions of rawnn_helpers, got 'ex03\.1' and "
         r"\['softmaxx'\] \(softmaxx unknown\)", id="forbidding-names-a-typo"),
    case(lambda: rn.check_that("ex02.1", np.False_, "mean 0", hint="symmetric"),
                 rn.ExerciseFailed, r"^ex02\.1: expected mean 0\. Hint: symmetric$", id="check_that-numpy-false"),
    case(lambda: rn.check_that("ex02.2", 0, "a non-zero count", hint="count"),
                 rn.ExerciseFailed, r"^ex02\.2: expected a non-zero count\. Hint: count$", id="check_that-zero"),
    case(lambda: rn.check_that("ex02.2", None, "a bool", hint="return True or False"),
                 rn.ExerciseFailed, r"^ex02\.2: expected a bool\. Hint: return True or False$", id="check_that-none"),
    case(lambda: rn.check_that("ex01.2", np.array([True, False]), "every row one-hot", hint="argmax"),
                 TypeError, r"ex01\.2", id="check_that-ok-is-an-array"),
]

# Public callables whose only work is numpy's: relu is np.maximum and relu_grad a comparison; numpy's own
# error for a wrong type is the clearest message there is.
NUMPY_ONLY = {"relu", "relu_grad"}


@pytest.mark.parametrize("call, exc_type, message", CASES)
def test_bad_input_raises_named_error(call, exc_type, message):
    with pytest.raises(exc_type, match=message) as excinfo:
        call()
    assert excinfo.type is exc_type


def test_train_leaves_params_untouched_when_it_rejects_its_input():
    p = params()
    before = {k: v.copy() for k, v in p.items()}
    with pytest.raises(ValueError, match=r"batch_size must be at most the number of samples"):
        train(params=p, batch_size=N + 1)
    assert all(np.array_equal(p[k], before[k]) for k in rn.PARAM_NAMES)


@pytest.mark.parametrize("make", [lambda: rn.SGD(0.1), lambda: rn.Momentum(0.1), lambda: rn.Adam(0.1)],
                         ids=["SGD", "Momentum", "Adam"])
def test_optimizer_step_leaves_params_untouched_when_it_rejects_its_input(make):
    p, opt = params(), make()
    before = {k: v.copy() for k, v in p.items()}
    with pytest.raises(ValueError, match=r"grads\['b2'\] must have the shape"):
        opt.step(p, grads(b2=np.zeros(C + 1)))
    opt.step(params(), grads())
    other = rn.init_params(D, H, C + 1, np.random.default_rng(5))
    other_before = {k: v.copy() for k, v in other.items()}
    if not isinstance(opt, rn.SGD):            # SGD keeps no state, so any net fits it
        with pytest.raises(ValueError, match="use a new optimizer"):
            opt.step(other, {k: np.ones(v.shape) for k, v in other.items()})
    assert all(np.array_equal(p[k], before[k]) and np.array_equal(other[k], other_before[k])
               for k in rn.PARAM_NAMES)


# --- the table itself: every public callable has cases, and each case reaches the helper its id names --------

PUBLIC_CALLABLES = sorted(name for name in rn.__all__ if callable(getattr(rn, name)))


def target_of(case_id):
    """The public name a case id starts with: ``"SGD.step-grads-nan"`` -> ``"SGD"``."""
    return case_id.split("-", 1)[0].split(".", 1)[0]


def test_every_case_id_starts_with_a_public_callable_and_is_unique():
    ids = [c.id for c in CASES]
    assert sorted({i for i in ids if target_of(i) not in PUBLIC_CALLABLES}) == []
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_every_public_callable_has_bad_input_cases():
    covered = {target_of(c.id) for c in CASES}
    assert [name for name in PUBLIC_CALLABLES if name not in covered | NUMPY_ONLY] == []


@pytest.mark.parametrize("case_id, call", [pytest.param(c.id, c.values[0], id=c.id) for c in CASES])
def test_each_case_calls_the_helper_its_id_names(case_id, call, monkeypatch):
    name = target_of(case_id)
    real, calls = getattr(rn, name), []

    def spy(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(rn, name, spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(Exception):     # the exception itself is checked above
            call()
    assert calls, f"case {case_id} never calls rn.{name}"
