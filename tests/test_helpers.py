"""Unit tests of every public helper in ``rawnn_helpers``.

Each helper is checked against a computation that does not reuse its own
formula: scipy's ``softmax`` / ``log_softmax``, scikit-learn's ``log_loss``,
``train_test_split`` and ``accuracy_score``, finite differences written out
in this file, per-sample Python loops, hand-computed small cases and the
empirical distribution of the random initialisers. The last section holds
edge cases that once gave wrong numbers (overflowing norms, unclipped
probabilities) or failed deep inside numpy.

The bad-input checks (exception type and message for each wrong argument)
are in ``test_bad_input.py``.
"""

import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import softmax as scipy_softmax
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

import rawnn_helpers as rh


# ---------------------------------------------------------------------------
# Shared helpers, written independently of the module under test.
# ---------------------------------------------------------------------------

def fd_grad(f, x, eps=1e-6):
    """Central finite differences of scalar ``f`` at ``x``, entry by entry."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp = x.copy()
        xm = x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        grad[idx] = (f(xp) - f(xm)) / (2 * eps)
    return grad


def relative_error(a, b):
    """``||a - b|| / (||a|| + ||b||)``, written out here for the gradient checks."""
    a = np.ravel(a)
    b = np.ravel(b)
    return math.sqrt(sum((a - b) ** 2)) / (math.sqrt(sum(a ** 2)) + math.sqrt(sum(b ** 2)))


def copy_params(params):
    return {k: np.array(v, dtype=np.float64, copy=True) for k, v in params.items()}


@pytest.fixture
def small_net():
    """A small float64 net (D=4, H=6, C=3) and a batch of N=5 samples.

    Seed 3 is chosen so that about half the hidden pre-activations are
    negative and none is within 1e-4 of the ReLU kink at 0; both facts are
    asserted here, since the gradient checks rely on them.
    """
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5, 4))
    params = {
        "W1": rng.normal(size=(4, 6)),
        "b1": rng.normal(size=6) * 0.5,
        "W2": rng.normal(size=(6, 3)),
        "b2": rng.normal(size=3) * 0.5,
    }
    y = np.array([0, 2, 1, 2, 0])
    Y = np.eye(3)[y]
    h1 = X @ params["W1"] + params["b1"]
    assert np.min(np.abs(h1)) > 1e-4
    assert np.sum(h1 < 0) >= 5 and np.sum(h1 > 0) >= 5
    return X, y, Y, params


def loss_of(X, Y, params, reduction):
    """The loss as a function of the parameters, via forward and nll_loss."""
    P, _ = rh.forward(X, params)
    return rh.nll_loss(P, Y, reduction)


def fd_param_grad(X, Y, params, key, reduction):
    """Finite-difference gradient of the loss with respect to ``params[key]``."""
    def f(value):
        trial = copy_params(params)
        trial[key] = value
        return loss_of(X, Y, trial, reduction)
    return fd_grad(f, params[key])


@pytest.fixture(scope="module")
def iris():
    return rh.load_iris_split(test_size=0.2, seed=0)


# ---------------------------------------------------------------------------
# Module constants
# ---------------------------------------------------------------------------

def test_every_name_in_all_is_defined():
    missing = [name for name in rh.__all__ if not hasattr(rh, name)]
    assert missing == []


def test_param_names_follow_the_forward_pass_order():
    assert rh.PARAM_NAMES == ("W1", "b1", "W2", "b2")


def test_figures_dir_is_figures_next_to_the_module():
    assert rh.FIGURES_DIR.name == "figures"
    assert rh.FIGURES_DIR.parent == Path(rh.__file__).resolve().parent


# ---------------------------------------------------------------------------
# relu, relu_grad
# ---------------------------------------------------------------------------

def test_relu_hand_case():
    h = np.array([[-2.0, -0.5, 0.0], [0.5, 3.0, -1e-9]])
    np.testing.assert_array_equal(rh.relu(h), [[0.0, 0.0, 0.0], [0.5, 3.0, 0.0]])


def test_relu_does_not_modify_its_input():
    h = np.array([-1.0, 2.0])
    rh.relu(h)
    np.testing.assert_array_equal(h, [-1.0, 2.0])


def test_relu_grad_is_one_where_positive_and_zero_elsewhere_including_at_zero():
    h = np.array([-3.0, -1e-12, 0.0, 1e-12, 4.0])
    out = rh.relu_grad(h)
    np.testing.assert_array_equal(out, [0.0, 0.0, 0.0, 1.0, 1.0])
    assert out.dtype == np.float64


def test_relu_grad_matches_finite_differences_of_relu_away_from_zero():
    h = np.random.default_rng(0).normal(size=(4, 5))
    h = h[np.abs(h) > 1e-3]
    numeric = np.array([(max(v + 1e-6, 0.0) - max(v - 1e-6, 0.0)) / 2e-6 for v in h])
    np.testing.assert_allclose(rh.relu_grad(h), numeric, atol=1e-9)


# ---------------------------------------------------------------------------
# softmax, log_softmax
# ---------------------------------------------------------------------------

def test_softmax_matches_scipy():
    h = np.random.default_rng(1).normal(scale=3.0, size=(6, 4))
    np.testing.assert_allclose(rh.softmax(h), scipy_softmax(h, axis=1), rtol=1e-12)


def test_softmax_rows_sum_to_one():
    h = np.random.default_rng(2).normal(scale=10.0, size=(8, 5))
    np.testing.assert_allclose(rh.softmax(h).sum(axis=1), np.ones(8), rtol=1e-12)


def test_softmax_hand_case():
    # exp(0) = 1 and exp(log 3) = 3, so the probabilities are 1/4 and 3/4.
    np.testing.assert_allclose(rh.softmax(np.array([[0.0, np.log(3.0)]])), [[0.25, 0.75]])


def test_softmax_large_logit_is_finite_and_exactly_one_hot():
    P = rh.softmax(np.array([[1000.0, 0.0]]))
    assert np.all(np.isfinite(P))
    np.testing.assert_array_equal(P, [[1.0, 0.0]])


def test_softmax_invariant_to_adding_a_constant_per_row():
    h = np.random.default_rng(3).normal(size=(4, 3))
    shift = np.array([[-500.0], [0.0], [123.0], [700.0]])
    np.testing.assert_allclose(rh.softmax(h + shift), rh.softmax(h), rtol=1e-10)


def test_softmax_accepts_one_dimensional_input():
    h = np.array([1.0, 2.0, 3.0])
    P = rh.softmax(h)
    assert P.shape == (3,)
    np.testing.assert_allclose(P, scipy_softmax(h), rtol=1e-12)


def test_softmax_does_not_modify_its_input():
    h = np.array([[1.0, 5.0]])
    rh.softmax(h)
    np.testing.assert_array_equal(h, [[1.0, 5.0]])


def test_log_softmax_matches_scipy():
    h = np.random.default_rng(4).normal(scale=3.0, size=(6, 4))
    np.testing.assert_allclose(rh.log_softmax(h), scipy_log_softmax(h, axis=1), rtol=1e-12)


def test_log_softmax_finite_for_extreme_logits():
    # By hand: the max is 1000, so log P = [0, -2000 - log(1 + e^-2000)] = [0, -2000].
    out = rh.log_softmax(np.array([[1000.0, -1000.0]]))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, [[0.0, -2000.0]])


def test_log_softmax_equals_log_of_softmax_where_that_is_finite():
    h = np.vstack([
        np.random.default_rng(5).normal(scale=5.0, size=(5, 4)),
        [[1000.0, -1000.0, 0.0, 999.0]],
    ])
    with np.errstate(divide="ignore"):
        log_p = np.log(scipy_softmax(h, axis=1))
    finite = np.isfinite(log_p)
    assert not finite.all()  # the extreme row really has underflowing entries
    np.testing.assert_allclose(rh.log_softmax(h)[finite], log_p[finite], rtol=1e-10, atol=1e-12)


def test_log_softmax_accepts_one_dimensional_input():
    h = np.array([0.5, -1.0, 2.0])
    out = rh.log_softmax(h)
    assert out.shape == (3,)
    np.testing.assert_allclose(out, scipy_log_softmax(h), rtol=1e-12)


# ---------------------------------------------------------------------------
# softmax_jacobian
# ---------------------------------------------------------------------------

def test_softmax_jacobian_matches_finite_difference_jacobian_entry_by_entry():
    h = np.random.default_rng(6).normal(size=4)
    p = scipy_softmax(h)
    eps = 1e-6
    J_fd = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            hp = h.copy()
            hm = h.copy()
            hp[j] += eps
            hm[j] -= eps
            J_fd[i, j] = (scipy_softmax(hp)[i] - scipy_softmax(hm)[i]) / (2 * eps)
    np.testing.assert_allclose(rh.softmax_jacobian(p), J_fd, atol=1e-9)


def test_softmax_jacobian_hand_case():
    # p = [1/2, 1/2]: diagonal 1/2 * 1/2, off-diagonal -1/2 * 1/2.
    np.testing.assert_allclose(
        rh.softmax_jacobian(np.array([0.5, 0.5])), [[0.25, -0.25], [-0.25, 0.25]]
    )


def test_softmax_jacobian_is_symmetric_with_zero_row_and_column_sums():
    p = scipy_softmax(np.random.default_rng(7).normal(size=5))
    J = rh.softmax_jacobian(p)
    assert J.shape == (5, 5)
    np.testing.assert_allclose(J, J.T, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=0), np.zeros(5), atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=1), np.zeros(5), atol=1e-15)


# ---------------------------------------------------------------------------
# one_hot
# ---------------------------------------------------------------------------

def test_one_hot_hand_case():
    np.testing.assert_array_equal(
        rh.one_hot(np.array([2, 0, 1]), 3), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    )


def test_one_hot_round_trips_with_argmax():
    y = np.random.default_rng(8).integers(0, 7, size=50)
    np.testing.assert_array_equal(rh.one_hot(y, 7).argmax(axis=1), y)


def test_one_hot_is_float64_with_one_one_per_row():
    Y = rh.one_hot(np.array([0, 1, 1]), 4)
    assert Y.dtype == np.float64
    assert Y.shape == (3, 4)
    np.testing.assert_array_equal(Y.sum(axis=1), np.ones(3))


def test_one_hot_accepts_integer_valued_float_labels():
    np.testing.assert_array_equal(rh.one_hot(np.array([1.0, 0.0]), 2), [[0, 1], [1, 0]])


# ---------------------------------------------------------------------------
# nll_loss
# ---------------------------------------------------------------------------

def random_probs_and_labels(seed, N=20, C=4):
    rng = np.random.default_rng(seed)
    P = scipy_softmax(rng.normal(scale=2.0, size=(N, C)), axis=1)
    y = rng.integers(0, C, size=N)
    y[:C] = np.arange(C)  # every class present, as log_loss needs
    return P, y


def test_nll_loss_mean_matches_sklearn_log_loss():
    P, y = random_probs_and_labels(9)
    expected = log_loss(y, P, labels=np.arange(4))
    assert rh.nll_loss(P, np.eye(4)[y], "mean") == pytest.approx(expected, rel=1e-12)


def test_nll_loss_sum_is_sklearn_log_loss_times_n():
    P, y = random_probs_and_labels(10)
    expected = log_loss(y, P, labels=np.arange(4)) * len(y)
    assert rh.nll_loss(P, np.eye(4)[y], "sum") == pytest.approx(expected, rel=1e-12)


def test_nll_loss_default_reduction_is_mean():
    P, y = random_probs_and_labels(11)
    Y = np.eye(4)[y]
    assert rh.nll_loss(P, Y) == rh.nll_loss(P, Y, "mean")


def test_nll_loss_hand_case():
    P = np.array([[0.25, 0.75], [0.5, 0.5]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])
    by_hand = -(math.log(0.75) + math.log(0.5))
    assert rh.nll_loss(P, Y, "sum") == pytest.approx(by_hand, rel=1e-14)
    assert rh.nll_loss(P, Y, "mean") == pytest.approx(by_hand / 2, rel=1e-14)


def test_nll_loss_soft_targets_match_a_per_entry_loop():
    P, _ = random_probs_and_labels(12, N=3, C=3)
    Y = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
    by_loop = 0.0
    for n in range(3):
        for i in range(3):
            if Y[n, i] != 0:
                by_loop -= Y[n, i] * math.log(P[n, i])
    assert rh.nll_loss(P, Y, "sum") == pytest.approx(by_loop, rel=1e-12)


def test_nll_loss_is_zero_where_an_unneeded_probability_is_exactly_zero():
    loss = rh.nll_loss(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]]))
    assert np.isfinite(loss)
    assert loss == 0.0


def test_nll_loss_is_finite_and_large_where_a_needed_probability_is_exactly_zero():
    loss = rh.nll_loss(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    assert np.isfinite(loss)
    # -ln(2.2250738585072014e-308), the smallest normal float64, is 708.396...
    assert loss == pytest.approx(708.3964185322641, rel=1e-12)


def test_nll_loss_is_non_negative_on_softmax_outputs():
    P, y = random_probs_and_labels(13, N=100, C=5)
    for reduction in ("mean", "sum"):
        assert rh.nll_loss(P, np.eye(5)[y], reduction) >= 0.0


def test_nll_loss_returns_a_python_float():
    P, y = random_probs_and_labels(14)
    assert type(rh.nll_loss(P, np.eye(4)[y])) is float


# ---------------------------------------------------------------------------
# xavier_uniform, he_normal, init_params
# ---------------------------------------------------------------------------

def test_xavier_uniform_has_requested_shape():
    assert rh.xavier_uniform(3, 8, np.random.default_rng(0)).shape == (3, 8)


def test_xavier_uniform_stays_within_its_bound_and_reaches_it():
    W = rh.xavier_uniform(300, 500, np.random.default_rng(0))
    bound = math.sqrt(6.0 / 800)
    assert np.all(np.abs(W) <= bound)
    assert W.max() > 0.99 * bound and W.min() < -0.99 * bound


def test_xavier_uniform_variance_is_close_to_two_over_fan_in_plus_fan_out():
    W = rh.xavier_uniform(300, 500, np.random.default_rng(1))
    assert W.var() == pytest.approx(2.0 / 800, rel=0.03)
    assert abs(W.mean()) < 0.002


def test_xavier_uniform_is_reproducible_for_the_same_seed():
    a = rh.xavier_uniform(4, 5, np.random.default_rng(42))
    b = rh.xavier_uniform(4, 5, np.random.default_rng(42))
    np.testing.assert_array_equal(a, b)


def test_he_normal_has_requested_shape():
    assert rh.he_normal(3, 8, np.random.default_rng(0)).shape == (3, 8)


def test_he_normal_std_is_close_to_sqrt_two_over_fan_in():
    W = rh.he_normal(400, 600, np.random.default_rng(2))
    assert W.std() == pytest.approx(math.sqrt(2.0 / 400), rel=0.02)
    assert abs(W.mean()) < 0.003


def test_he_normal_is_reproducible_for_the_same_seed():
    a = rh.he_normal(4, 5, np.random.default_rng(42))
    b = rh.he_normal(4, 5, np.random.default_rng(42))
    np.testing.assert_array_equal(a, b)


def test_init_params_shapes_follow_non_default_sizes():
    params = rh.init_params(5, 7, 4, np.random.default_rng(0))
    assert set(params) == {"W1", "b1", "W2", "b2"}
    assert params["W1"].shape == (5, 7)
    assert params["b1"].shape == (7,)
    assert params["W2"].shape == (7, 4)
    assert params["b2"].shape == (4,)


def test_init_params_biases_are_zero_and_everything_is_float64():
    params = rh.init_params(5, 7, 4, np.random.default_rng(0))
    np.testing.assert_array_equal(params["b1"], np.zeros(7))
    np.testing.assert_array_equal(params["b2"], np.zeros(4))
    assert all(v.dtype == np.float64 for v in params.values())


def test_init_params_calls_weight_init_with_each_layers_fans_and_the_rng():
    calls = []
    rng = np.random.default_rng(0)

    def recorder(n_in, n_out, r):
        calls.append((n_in, n_out, r))
        return np.full((n_in, n_out), 0.5)

    params = rh.init_params(5, 7, 4, rng, weight_init=recorder)
    assert [(a, b) for a, b, _ in calls] == [(5, 7), (7, 4)]
    assert all(r is rng for _, _, r in calls)
    np.testing.assert_array_equal(params["W2"], np.full((7, 4), 0.5))


def test_init_params_default_weights_are_xavier_draws_from_the_given_rng():
    params = rh.init_params(5, 7, 4, np.random.default_rng(9))
    rng = np.random.default_rng(9)
    W1 = rng.uniform(-math.sqrt(6 / 12), math.sqrt(6 / 12), size=(5, 7))
    W2 = rng.uniform(-math.sqrt(6 / 11), math.sqrt(6 / 11), size=(7, 4))
    np.testing.assert_allclose(params["W1"], W1, rtol=1e-14)
    np.testing.assert_allclose(params["W2"], W2, rtol=1e-14)


def test_init_params_is_reproducible_for_the_same_seed():
    a = rh.init_params(5, 7, 4, np.random.default_rng(3))
    b = rh.init_params(5, 7, 4, np.random.default_rng(3))
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(a[key], b[key])


# ---------------------------------------------------------------------------
# forward
# ---------------------------------------------------------------------------

def test_forward_hand_case():
    # One hidden unit copying the input; logits [x, -x]. With x = ln(3)/2,
    # e^x = sqrt(3), e^-x = 1/sqrt(3), so P = [3/4, 1/4]; a negative input is
    # cut by the ReLU and gives logits [0, 0], so P = [1/2, 1/2].
    params = {"W1": np.array([[1.0]]), "b1": np.array([0.0]),
              "W2": np.array([[1.0, -1.0]]), "b2": np.array([0.0, 0.0])}
    P, cache = rh.forward(np.array([[math.log(3) / 2], [-2.0]]), params)
    np.testing.assert_allclose(P, [[0.75, 0.25], [0.5, 0.5]], rtol=1e-14)
    np.testing.assert_array_equal(cache["a1"], [[math.log(3) / 2], [0.0]])


def test_forward_matches_a_per_sample_loop(small_net):
    X, _, _, params = small_net
    P, cache = rh.forward(X, params)
    for n in range(X.shape[0]):
        h1 = [sum(X[n, d] * params["W1"][d, j] for d in range(4)) + params["b1"][j]
              for j in range(6)]
        a1 = [max(v, 0.0) for v in h1]
        h2 = np.array([sum(a1[j] * params["W2"][j, c] for j in range(6)) + params["b2"][c]
                       for c in range(3)])
        np.testing.assert_allclose(cache["h1"][n], h1, rtol=1e-12)
        np.testing.assert_allclose(cache["a1"][n], a1, rtol=1e-12)
        np.testing.assert_allclose(cache["h2"][n], h2, rtol=1e-12)
        np.testing.assert_allclose(P[n], scipy_softmax(h2), rtol=1e-12)


def test_forward_cache_has_the_documented_keys_and_shapes(small_net):
    X, _, _, params = small_net
    P, cache = rh.forward(X, params)
    assert P.shape == (5, 3)
    assert {k: v.shape for k, v in cache.items()} == {
        "X": (5, 4), "h1": (5, 6), "a1": (5, 6), "h2": (5, 3), "P": (5, 3)}


def test_forward_probability_rows_sum_to_one(small_net):
    X, _, _, params = small_net
    P, _ = rh.forward(X * 50, params)
    np.testing.assert_allclose(P.sum(axis=1), np.ones(5), rtol=1e-12)


def test_forward_accepts_lists_and_integer_arrays():
    params = {"W1": [[1, 0], [0, 1]], "b1": [0, 0], "W2": np.eye(2, dtype=int), "b2": [0, 0]}
    P, _ = rh.forward([[1, 2]], params)
    np.testing.assert_allclose(P, scipy_softmax(np.array([[1.0, 2.0]]), axis=1))


# ---------------------------------------------------------------------------
# backward
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("key", ["W1", "b1", "W2", "b2"])
def test_backward_matches_finite_difference_gradient(small_net, key, reduction):
    X, _, Y, params = small_net
    _, cache = rh.forward(X, params)
    analytic = rh.backward(Y, cache, params, reduction)[key]
    numeric = fd_param_grad(X, Y, params, key, reduction)
    assert analytic.shape == params[key].shape
    assert relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_backward_matches_a_per_sample_loop(small_net, reduction):
    X, _, Y, params = small_net
    _, cache = rh.forward(X, params)
    grads = rh.backward(Y, cache, params, reduction)
    W1, b1, W2, b2 = (params[k] for k in rh.PARAM_NAMES)
    expected = {k: np.zeros_like(v) for k, v in params.items()}
    N = X.shape[0]
    scale = 1.0 / N if reduction == "mean" else 1.0
    for n in range(N):
        h1 = X[n] @ W1 + b1
        a1 = np.maximum(h1, 0.0)
        p = scipy_softmax(a1 @ W2 + b2)
        for c in range(3):
            g_h2 = scale * (p[c] - Y[n, c])   # d(-log p_y)/dh2_c for this sample
            expected["b2"][c] += g_h2
            for j in range(6):
                expected["W2"][j, c] += a1[j] * g_h2
        for j in range(6):
            if h1[j] <= 0:
                continue
            g_h1 = sum(scale * (p[c] - Y[n, c]) * W2[j, c] for c in range(3))
            expected["b1"][j] += g_h1
            for d in range(4):
                expected["W1"][d, j] += X[n, d] * g_h1
    for key in rh.PARAM_NAMES:
        np.testing.assert_allclose(grads[key], expected[key], rtol=1e-10, atol=1e-14)


def test_backward_sum_gradient_is_n_times_mean_gradient(small_net):
    X, _, Y, params = small_net
    _, cache = rh.forward(X, params)
    g_mean = rh.backward(Y, cache, params, "mean")
    g_sum = rh.backward(Y, cache, params, "sum")
    for key in rh.PARAM_NAMES:
        np.testing.assert_allclose(g_sum[key], 5 * g_mean[key], rtol=1e-12)


def test_backward_default_reduction_is_mean(small_net):
    X, _, Y, params = small_net
    _, cache = rh.forward(X, params)
    default = rh.backward(Y, cache, params)
    mean = rh.backward(Y, cache, params, "mean")
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(default[key], mean[key])


def test_backward_agrees_with_numerical_gradient_helper(small_net):
    X, _, Y, params = small_net
    _, cache = rh.forward(X, params)
    grads = rh.backward(Y, cache, params, "sum")
    for key in rh.PARAM_NAMES:
        def f(value, key=key):
            trial = copy_params(params)
            trial[key] = value
            return loss_of(X, Y, trial, "sum")
        assert rh.rel_error(grads[key], rh.numerical_gradient(f, params[key])) < 1e-7


def test_backward_handles_soft_targets(small_net):
    X, _, _, params = small_net
    Y = scipy_softmax(np.random.default_rng(4).normal(size=(5, 3)), axis=1)
    _, cache = rh.forward(X, params)
    analytic = rh.backward(Y, cache, params, "mean")["W2"]
    numeric = fd_param_grad(X, Y, params, "W2", "mean")
    assert relative_error(analytic, numeric) < 1e-7


def test_backward_does_not_modify_params_or_cache(small_net):
    X, _, Y, params = small_net
    before = copy_params(params)
    _, cache = rh.forward(X, params)
    cache_before = {k: v.copy() for k, v in cache.items()}
    rh.backward(Y, cache, params)
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(params[key], before[key])
    for key, value in cache_before.items():
        np.testing.assert_array_equal(cache[key], value)


# The source post's wrong formulas, which a gradient check must reject.

def test_gradient_check_rejects_dW1_without_relu_mask(small_net):
    X, _, Y, params = small_net
    P, cache = rh.forward(X, params)
    assert np.any(cache["h1"] < 0)
    dh2 = (P - Y) / X.shape[0]
    wrong_dW1 = X.T @ (dh2 @ params["W2"].T)
    numeric = fd_param_grad(X, Y, params, "W1", "mean")
    assert wrong_dW1.shape == numeric.shape
    assert relative_error(wrong_dW1, numeric) > 1e-2
    assert rh.rel_error(wrong_dW1, numeric) > 1e-2


def test_gradient_check_rejects_db1_without_relu_mask(small_net):
    X, _, Y, params = small_net
    P, _ = rh.forward(X, params)
    dh2 = (P - Y) / X.shape[0]
    wrong_db1 = (dh2 @ params["W2"].T).sum(axis=0)
    numeric = fd_param_grad(X, Y, params, "b1", "mean")
    assert relative_error(wrong_db1, numeric) > 1e-2


def test_db1_without_batch_sum_has_the_wrong_shape(small_net):
    X, _, Y, params = small_net
    P, cache = rh.forward(X, params)
    dh2 = (P - Y) / X.shape[0]
    wrong_db1 = (dh2 @ params["W2"].T) * (cache["h1"] > 0)   # (N, H), no sum over n
    numeric = fd_param_grad(X, Y, params, "b1", "mean")
    assert wrong_db1.shape != numeric.shape
    assert wrong_db1.shape == (5, 6) and numeric.shape == (6,)


def test_db2_without_batch_sum_has_the_wrong_shape(small_net):
    X, _, Y, params = small_net
    P, _ = rh.forward(X, params)
    wrong_db2 = (P - Y) / X.shape[0]                          # (N, C), no sum over n
    numeric = fd_param_grad(X, Y, params, "b2", "mean")
    assert wrong_db2.shape != numeric.shape
    assert wrong_db2.shape == (5, 3) and numeric.shape == (3,)


# ---------------------------------------------------------------------------
# numerical_gradient, rel_error
# ---------------------------------------------------------------------------

def test_numerical_gradient_of_sum_of_cubes_is_three_x_squared():
    x = np.random.default_rng(0).normal(size=(3, 4))
    grad = rh.numerical_gradient(lambda v: np.sum(v ** 3), x)
    np.testing.assert_allclose(grad, 3 * x ** 2, rtol=1e-6, atol=1e-9)


def test_numerical_gradient_of_sum_of_sines_is_cosine():
    x = np.linspace(-3, 3, 7)
    grad = rh.numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    np.testing.assert_allclose(grad, np.cos(x), atol=1e-9)


def test_numerical_gradient_of_quadratic_form_is_a_plus_a_transpose_times_x():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    grad = rh.numerical_gradient(lambda v: v @ A @ v, x)
    np.testing.assert_allclose(grad, (A + A.T) @ x, rtol=1e-7, atol=1e-9)


def test_numerical_gradient_error_shrinks_like_eps_squared():
    x = np.array([0.3, -0.7])
    exact = np.exp(x)
    err = [np.max(np.abs(rh.numerical_gradient(lambda v: np.sum(np.exp(v)), x, eps=e) - exact))
           for e in (1e-2, 1e-3)]
    assert 50 < err[0] / err[1] < 200


def test_numerical_gradient_keeps_shape_and_leaves_x_unchanged():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = rh.numerical_gradient(lambda v: np.sum(v ** 2), x)
    assert grad.shape == (2, 2)
    np.testing.assert_array_equal(x, [[1.0, 2.0], [3.0, 4.0]])


def test_numerical_gradient_matches_hand_written_finite_differences():
    x = np.random.default_rng(2).normal(size=5)
    f = lambda v: float(np.sum(np.tanh(v) * v))  # noqa: E731
    np.testing.assert_allclose(rh.numerical_gradient(f, x), fd_grad(f, x), rtol=1e-12)


def test_rel_error_is_zero_for_identical_arrays():
    a = np.random.default_rng(0).normal(size=(3, 3))
    assert rh.rel_error(a, a.copy()) == 0.0


def test_rel_error_is_zero_when_both_arrays_are_zero():
    assert rh.rel_error(np.zeros(4), np.zeros(4)) == 0.0


def test_rel_error_is_one_for_opposite_arrays():
    a = np.array([1.0, -2.0, 3.0])
    assert rh.rel_error(a, -a) == pytest.approx(1.0)


def test_rel_error_hand_case():
    # ||[0, 4]|| / (||[3, 4]|| + ||[3, 0]||) = 4 / (5 + 3) = 1/2
    assert rh.rel_error(np.array([3.0, 4.0]), np.array([3.0, 0.0])) == pytest.approx(0.5)


def test_rel_error_is_symmetric_and_matches_written_out_formula():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(4, 2))
    b = rng.normal(size=(4, 2))
    assert rh.rel_error(a, b) == pytest.approx(rh.rel_error(b, a), rel=1e-15)
    assert rh.rel_error(a, b) == pytest.approx(relative_error(a, b), rel=1e-12)


def test_rel_error_does_not_blow_up_for_a_dead_unit():
    a = np.array([0.0, 1.0])
    b = np.array([1e-11, 1.0])
    assert rh.rel_error(a, b) < 1e-10


# ---------------------------------------------------------------------------
# load_iris_split
# ---------------------------------------------------------------------------

def test_load_iris_split_shapes_are_120_and_30(iris):
    X_train, X_test, y_train, y_test = iris
    assert X_train.shape == (120, 4)
    assert X_test.shape == (30, 4)
    assert y_train.shape == (120,)
    assert y_test.shape == (30,)


def test_load_iris_split_dtypes_are_float64_and_int64(iris):
    X_train, X_test, y_train, y_test = iris
    assert X_train.dtype == X_test.dtype == np.float64
    assert y_train.dtype == y_test.dtype == np.int64


def test_load_iris_split_is_stratified(iris):
    _, _, y_train, y_test = iris
    np.testing.assert_array_equal(np.bincount(y_test), [10, 10, 10])
    np.testing.assert_array_equal(np.bincount(y_train), [40, 40, 40])


def test_load_iris_split_is_reproducible_for_the_same_seed():
    a = rh.load_iris_split(seed=5)
    b = rh.load_iris_split(seed=5)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


def test_load_iris_split_differs_between_seeds():
    a = rh.load_iris_split(seed=0)
    b = rh.load_iris_split(seed=1)
    assert not np.array_equal(a[1], b[1])


@pytest.mark.parametrize("seed", [0, 7])
def test_load_iris_split_equals_sklearn_stratified_train_test_split(seed):
    data = load_iris()
    expected = train_test_split(data.data, data.target, test_size=0.2,
                                stratify=data.target, random_state=seed)
    for got, want in zip(rh.load_iris_split(test_size=0.2, seed=seed), expected):
        np.testing.assert_array_equal(got, want)


def test_load_iris_split_partitions_the_whole_data_set(iris):
    X_train, X_test, y_train, y_test = iris
    data = load_iris()
    got = np.column_stack([np.vstack([X_train, X_test]), np.concatenate([y_train, y_test])])
    want = np.column_stack([data.data, data.target])
    np.testing.assert_array_equal(np.unique(got, axis=0, return_counts=True)[1],
                                  np.unique(want, axis=0, return_counts=True)[1])
    np.testing.assert_array_equal(np.unique(got, axis=0), np.unique(want, axis=0))


def test_load_iris_split_honours_test_size():
    _, X_test, _, y_test = rh.load_iris_split(test_size=0.4, seed=0)
    assert X_test.shape == (60, 4)
    np.testing.assert_array_equal(np.bincount(y_test), [20, 20, 20])


# ---------------------------------------------------------------------------
# minibatches
# ---------------------------------------------------------------------------

def take(gen, n):
    return [next(gen) for _ in range(n)]


def test_minibatches_cover_every_index_exactly_once_per_epoch():
    gen = rh.minibatches(23, 5, np.random.default_rng(0))
    for _ in range(3):                              # three epochs of 5 batches
        epoch = np.concatenate(take(gen, 5))
        np.testing.assert_array_equal(np.sort(epoch), np.arange(23))


def test_minibatches_last_batch_of_an_epoch_is_shorter():
    gen = rh.minibatches(23, 5, np.random.default_rng(0))
    assert [len(b) for b in take(gen, 10)] == [5, 5, 5, 5, 3] * 2


def test_minibatches_are_reproducible_for_the_same_seed():
    a = take(rh.minibatches(30, 4, np.random.default_rng(7)), 20)
    b = take(rh.minibatches(30, 4, np.random.default_rng(7)), 20)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


def test_minibatches_differ_between_seeds():
    a = np.concatenate(take(rh.minibatches(30, 10, np.random.default_rng(1)), 3))
    b = np.concatenate(take(rh.minibatches(30, 10, np.random.default_rng(2)), 3))
    assert not np.array_equal(a, b)


def test_minibatches_reshuffle_every_epoch():
    gen = rh.minibatches(40, 40, np.random.default_rng(0))
    first, second = take(gen, 2)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(np.sort(second), np.arange(40))


def test_minibatches_full_batch_is_one_permutation_per_step():
    gen = rh.minibatches(6, 6, np.random.default_rng(0))
    for batch in take(gen, 4):
        np.testing.assert_array_equal(np.sort(batch), np.arange(6))


# ---------------------------------------------------------------------------
# SGD
# ---------------------------------------------------------------------------

def test_sgd_step_hand_case():
    params = {"W1": np.array([[1.0]]), "b1": np.array([2.0]),
              "W2": np.array([[-1.0, 0.0]]), "b2": np.array([0.5, 0.5])}
    grads = {"W1": np.array([[2.0]]), "b1": np.array([-4.0]),
             "W2": np.array([[0.0, 1.0]]), "b2": [1.0, -1.0]}          # a list is accepted too
    rh.SGD(0.25).step(params, grads)
    np.testing.assert_array_equal(params["W1"], [[0.5]])
    np.testing.assert_array_equal(params["b1"], [3.0])
    np.testing.assert_array_equal(params["W2"], [[-1.0, -0.25]])
    np.testing.assert_array_equal(params["b2"], [0.25, 0.75])


def test_sgd_step_updates_in_place_returns_the_same_dict_and_leaves_gradients_unchanged():
    params = rh.init_params(2, 3, 2, np.random.default_rng(0))
    arrays = dict(params)
    grads = {k: np.ones_like(v) for k, v in params.items()}
    assert rh.SGD(0.5).step(params, grads) is params
    assert all(params[k] is arrays[k] for k in rh.PARAM_NAMES)
    np.testing.assert_array_equal(params["b2"], [-0.5, -0.5])
    assert all(np.all(g == 1.0) for g in grads.values())


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_check_false_skips_only_the_checks(small_net, reduction):
    """The unchecked calls train makes give exactly what the checked ones give."""
    X, _, Y, params = small_net
    P, cache = rh.forward(X, params)
    P_fast, cache_fast = rh.forward(X, params, check=False)
    assert np.array_equal(P, P_fast) and all(np.array_equal(cache[k], cache_fast[k]) for k in cache)
    assert rh.nll_loss(P, Y, reduction) == rh.nll_loss(P, Y, reduction, check=False)
    grads, fast = rh.backward(Y, cache, params, reduction), rh.backward(Y, cache, params, reduction, check=False)
    assert all(np.array_equal(grads[k], fast[k]) for k in rh.PARAM_NAMES)
    assert np.array_equal(rh.softmax(X), rh.softmax(X, check=False))
    for make in (rh.SGD, rh.Momentum, rh.Adam):
        a, b = copy_params(params), copy_params(params)
        make(0.1).step(a, grads), make(0.1).step(b, grads, check=False)
        assert all(np.array_equal(a[k], b[k]) for k in rh.PARAM_NAMES)
    with pytest.raises(ValueError):                 # and with check=True the checks do run
        rh.backward(Y[:, ::-1] * 2, cache, params, reduction)


# ---------------------------------------------------------------------------
# predict, accuracy
# ---------------------------------------------------------------------------

def test_predict_hand_case():
    # Identity layers: the logits are relu(X), so the class is argmax relu(x).
    params = {"W1": np.eye(2), "b1": np.zeros(2), "W2": np.eye(2), "b2": np.zeros(2)}
    X = np.array([[2.0, 1.0], [1.0, 3.0], [-1.0, 0.5], [0.0, -4.0]])
    np.testing.assert_array_equal(rh.predict(X, params), [0, 1, 1, 0])


def test_predict_uses_the_output_bias():
    params = {"W1": np.eye(2), "b1": np.zeros(2), "W2": np.eye(2), "b2": np.array([0.0, 10.0])}
    np.testing.assert_array_equal(rh.predict(np.array([[5.0, 0.0]]), params), [1])


def test_predict_returns_integer_labels(small_net):
    X, _, _, params = small_net
    out = rh.predict(X, params)
    assert out.shape == (5,)
    assert np.issubdtype(out.dtype, np.integer)


def test_accuracy_hand_case():
    assert rh.accuracy(np.array([0, 1, 2, 2]), np.array([0, 2, 2, 2])) == 0.75


def test_accuracy_is_one_when_all_right_and_zero_when_all_wrong():
    y = np.array([0, 1, 2])
    assert rh.accuracy(y, y) == 1.0
    assert rh.accuracy(y, (y + 1) % 3) == 0.0


def test_accuracy_matches_sklearn_accuracy_score():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, size=200)
    b = rng.integers(0, 3, size=200)
    assert rh.accuracy(a, b) == pytest.approx(accuracy_score(a, b), rel=1e-15)


def test_accuracy_returns_a_python_float():
    assert type(rh.accuracy([1, 0], [1, 1])) is float


# ---------------------------------------------------------------------------
# train
# ---------------------------------------------------------------------------

def test_train_decreases_the_loss_on_iris(iris):
    X_train, X_test, y_train, y_test = iris
    params = rh.init_params(4, 16, 3, np.random.default_rng(0))
    history = rh.train(X_train, y_train, params, np.random.default_rng(1), optimizer=rh.SGD(0.05),
                       batch_size=16, steps=600, X_test=X_test, y_test=y_test)
    assert history["loss"][-20:].mean() < 0.5 * history["loss"][:20].mean()
    assert history["train_acc"][-1] > 0.9
    assert history["test_acc"][-1] > 0.9


def test_train_history_has_the_documented_keys_and_shapes(iris):
    X_train, X_test, y_train, y_test = iris
    params = rh.init_params(4, 8, 3, np.random.default_rng(0))
    history = rh.train(X_train, y_train, params, np.random.default_rng(1), optimizer=rh.SGD(0.01),
                       batch_size=10, steps=25, X_test=X_test, y_test=y_test, eval_every=10)
    assert set(history) == {"loss", "eval_step", "train_acc", "test_acc"}
    assert history["loss"].shape == (25,)
    np.testing.assert_array_equal(history["eval_step"], [10, 20, 25])
    assert history["train_acc"].shape == (3,)
    assert history["test_acc"].shape == (3,)


def test_train_without_test_set_records_no_test_accuracy(iris):
    X_train, _, y_train, _ = iris
    params = rh.init_params(4, 8, 3, np.random.default_rng(0))
    history = rh.train(X_train, y_train, params, np.random.default_rng(1), optimizer=rh.SGD(0.01),
                       batch_size=10, steps=5)
    assert set(history) == {"loss", "eval_step", "train_acc"}
    np.testing.assert_array_equal(history["eval_step"], [5])


def test_train_is_reproducible_for_the_same_seed(iris):
    X_train, X_test, y_train, y_test = iris
    runs = []
    for _ in range(2):
        params = rh.init_params(4, 8, 3, np.random.default_rng(0))
        history = rh.train(X_train, y_train, params, np.random.default_rng(4), optimizer=rh.SGD(0.05),
                           batch_size=8, steps=60, X_test=X_test, y_test=y_test)
        runs.append((params, history))
    (p1, h1), (p2, h2) = runs
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(p1[key], p2[key])
    for key in h1:
        np.testing.assert_array_equal(h1[key], h2[key])


def test_train_summed_loss_at_lr_0_003_matches_mean_loss_at_lr_0_024_with_batch_8(iris):
    X_train, _, y_train, _ = iris
    assert X_train.shape[0] % 8 == 0     # every batch has exactly 8 samples
    p_sum = rh.init_params(4, 16, 3, np.random.default_rng(0))
    p_mean = copy_params(p_sum)
    h_sum = rh.train(X_train, y_train, p_sum, np.random.default_rng(2), optimizer=rh.SGD(0.003),
                     batch_size=8, steps=150, reduction="sum")
    h_mean = rh.train(X_train, y_train, p_mean, np.random.default_rng(2), optimizer=rh.SGD(0.024),
                      batch_size=8, steps=150, reduction="mean")
    for key in rh.PARAM_NAMES:
        assert np.allclose(p_sum[key], p_mean[key])
    np.testing.assert_allclose(h_sum["loss"], 8 * h_mean["loss"], rtol=1e-9)
    # ...and the runs really moved: the parameters are not the initial ones.
    assert not np.allclose(p_sum["W1"], rh.init_params(4, 16, 3, np.random.default_rng(0))["W1"])


def test_train_updates_params_in_place(iris):
    X_train, _, y_train, _ = iris
    params = rh.init_params(4, 8, 3, np.random.default_rng(0))
    W1 = params["W1"]
    before = W1.copy()
    rh.train(X_train, y_train, params, np.random.default_rng(1), optimizer=rh.SGD(0.05), batch_size=8, steps=3)
    assert params["W1"] is W1
    assert not np.array_equal(W1, before)


def test_train_first_loss_is_the_loss_of_the_first_batch_before_any_update(iris):
    X_train, _, y_train, _ = iris
    params = rh.init_params(4, 8, 3, np.random.default_rng(0))
    idx = next(rh.minibatches(120, 16, np.random.default_rng(5)))
    P = scipy_softmax(np.maximum(X_train[idx] @ params["W1"] + params["b1"], 0)
                      @ params["W2"] + params["b2"], axis=1)
    expected = log_loss(y_train[idx], P, labels=[0, 1, 2])
    history = rh.train(X_train, y_train, params, np.random.default_rng(5), optimizer=rh.SGD(0.05),
                       batch_size=16, steps=2)
    assert history["loss"][0] == pytest.approx(expected, rel=1e-10)


def test_train_first_step_equals_one_manual_forward_backward_sgd_step(iris):
    X_train, _, y_train, _ = iris
    params = rh.init_params(4, 8, 3, np.random.default_rng(0))
    manual = copy_params(params)
    idx = next(rh.minibatches(120, 16, np.random.default_rng(5)))
    Xb = X_train[idx]
    Yb = np.eye(3)[y_train[idx]]
    for key in rh.PARAM_NAMES:
        manual[key] = manual[key] - 0.1 * fd_param_grad(Xb, Yb, params, key, "mean")
    rh.train(X_train, y_train, params, np.random.default_rng(5), optimizer=rh.SGD(0.1), batch_size=16, steps=1)
    for key in rh.PARAM_NAMES:
        np.testing.assert_allclose(params[key], manual[key], rtol=1e-6, atol=1e-9)


def test_train_recorded_accuracy_is_that_of_the_final_params(iris):
    X_train, X_test, y_train, y_test = iris
    params = rh.init_params(4, 8, 3, np.random.default_rng(0))
    history = rh.train(X_train, y_train, params, np.random.default_rng(1), optimizer=rh.SGD(0.05),
                       batch_size=8, steps=30, X_test=X_test, y_test=y_test)
    y_hat = scipy_softmax(np.maximum(X_train @ params["W1"] + params["b1"], 0)
                          @ params["W2"] + params["b2"], axis=1).argmax(axis=1)
    assert history["train_acc"][-1] == pytest.approx(accuracy_score(y_train, y_hat))
    assert history["test_acc"][-1] == pytest.approx(
        accuracy_score(y_test, rh.predict(X_test, params)))


def test_l2_penalty_hand_case():
    params = {"W1": np.full((2, 3), 2.0), "b1": np.full(3, 7.0),
              "W2": np.full((3, 2), -1.0), "b2": np.full(2, 7.0)}
    penalty, grads = rh.l2_penalty(params, 0.5)
    assert penalty == pytest.approx(0.25 * (6 * 4.0 + 6 * 1.0))      # 7.5; the biases do not count
    np.testing.assert_array_equal(grads["W1"], np.full((2, 3), 1.0))
    np.testing.assert_array_equal(grads["W2"], np.full((3, 2), -0.5))
    np.testing.assert_array_equal(grads["b1"], np.zeros(3))
    np.testing.assert_array_equal(grads["b2"], np.zeros(2))


def test_l2_penalty_gradient_matches_finite_differences(small_net):
    *_, params = small_net
    _, grads = rh.l2_penalty(params, 0.3)
    for key in rh.PARAM_NAMES:
        def penalty(value, key=key):
            return rh.l2_penalty({**params, key: value}, 0.3)[0]
        assert rh.rel_error(fd_grad(penalty, params[key]), grads[key]) < 1e-7, key


def test_l2_penalty_is_zero_without_decay_and_leaves_params_unchanged(small_net):
    *_, params = small_net
    before = copy_params(params)
    penalty, grads = rh.l2_penalty(params, 0)
    assert penalty == 0.0
    assert all(np.all(g == 0) for g in grads.values())
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(params[key], before[key])


def test_train_first_step_with_weight_decay_follows_the_penalised_loss(iris):
    X_train, _, y_train, _ = iris
    params = rh.init_params(4, 8, 3, np.random.default_rng(0))
    manual = copy_params(params)
    idx = next(rh.minibatches(120, 16, np.random.default_rng(5)))
    Xb, Yb = X_train[idx], np.eye(3)[y_train[idx]]
    for key in rh.PARAM_NAMES:
        # Finite differences of loss + (0.05 / 2) * |W|^2, written out here, not taken from rh.
        decay = fd_grad(lambda v: 0.025 * np.sum(v ** 2), params[key]) if key[0] == "W" else 0
        manual[key] = manual[key] - 0.1 * (fd_param_grad(Xb, Yb, params, key, "mean") + decay)
    rh.train(X_train, y_train, params, np.random.default_rng(5), optimizer=rh.SGD(0.1), batch_size=16, steps=1,
             weight_decay=0.05)
    for key in rh.PARAM_NAMES:
        np.testing.assert_allclose(params[key], manual[key], rtol=1e-6, atol=1e-9)


def test_train_weight_decay_zero_is_the_default(iris):
    X_train, _, y_train, _ = iris
    runs = []
    for kwargs in ({}, {"weight_decay": 0.0}):
        params = rh.init_params(4, 8, 3, np.random.default_rng(0))
        history = rh.train(X_train, y_train, params, np.random.default_rng(1),
                           optimizer=rh.Adam(0.01), batch_size=16, steps=50, **kwargs)
        runs.append((params, history["loss"]))
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    for key in rh.PARAM_NAMES:
        np.testing.assert_array_equal(runs[0][0][key], runs[1][0][key])


def test_train_weight_decay_shrinks_the_weights_not_the_biases_alone(iris):
    X_train, _, y_train, _ = iris
    norms = {}
    for wd in (0.0, 0.1):
        params = rh.init_params(4, 8, 3, np.random.default_rng(0))
        rh.train(X_train, y_train, params, np.random.default_rng(1), optimizer=rh.Adam(0.01),
                 batch_size=16, steps=500, weight_decay=wd)
        norms[wd] = np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2)
    assert norms[0.1] < 0.5 * norms[0.0]


# ---------------------------------------------------------------------------
# save_figure
# ---------------------------------------------------------------------------

def make_figure():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [1, 0])
    return fig, plt


def test_save_figure_writes_into_the_temporary_folder_not_the_project_without_the_variable(tmp_path, monkeypatch):
    """A learner's run (no RAWNN_FIGURES_DIR) writes nothing into the project, which may be read-only."""
    monkeypatch.delenv("RAWNN_FIGURES_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    fig, plt = make_figure()
    try:
        path = rh.save_figure(fig, "demo")
    finally:
        plt.close(fig)
    assert path == tmp_path / "rawnn-figures" / "demo.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (rh.FIGURES_DIR / "demo.png").exists()


def test_save_figure_prefers_the_rawnn_figures_dir_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setattr(rh, "FIGURES_DIR", tmp_path / "unused")
    monkeypatch.setenv("RAWNN_FIGURES_DIR", str(tmp_path / "env" / "nested"))
    fig, plt = make_figure()
    try:
        path = rh.save_figure(fig, "demo")
    finally:
        plt.close(fig)
    assert path == tmp_path / "env" / "nested" / "demo.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (tmp_path / "unused").exists()


def test_save_figure_rewrites_identical_bytes_without_software_metadata(tmp_path, monkeypatch):
    monkeypatch.delenv("RAWNN_FIGURES_DIR", raising=False)
    monkeypatch.setattr(rh, "FIGURES_DIR", tmp_path)
    fig, plt = make_figure()
    try:
        first = rh.save_figure(fig, "a").read_bytes()
        second = rh.save_figure(fig, "a").read_bytes()
    finally:
        plt.close(fig)
    assert first == second
    assert b"Software" not in first
    assert b"matplotlib" not in first.lower()


# ---------------------------------------------------------------------------
# Edge cases that once returned wrong numbers or failed deep inside numpy.
# ---------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_rel_error_is_correct_for_huge_finite_values():
    assert rh.rel_error(np.array([1e200]), np.array([2e200])) == pytest.approx(1 / 3)


def test_rel_error_is_correct_for_tiny_nonzero_values():
    assert rh.rel_error(np.array([1e-200]), np.array([2e-200])) == pytest.approx(1 / 3)


def test_backward_accepts_the_list_params_that_forward_accepts(small_net):
    X, _, Y, params = small_net
    list_params = {k: v.tolist() for k, v in params.items()}
    _, cache = rh.forward(X, list_params)
    grads = rh.backward(Y, cache, list_params)
    np.testing.assert_allclose(grads["W1"], rh.backward(Y, cache, params)["W1"])


@pytest.mark.parametrize("fn", [rh.softmax, rh.log_softmax], ids=["softmax", "log_softmax"])
def test_softmax_rejects_zero_width_logits_with_a_named_error(fn):
    with pytest.raises(ValueError, match=r"^h "):
        fn(np.zeros((2, 0)))


def test_nll_loss_is_non_negative_for_probabilities_within_the_accepted_tolerance():
    assert rh.nll_loss(np.array([[1 + 5e-10, 0.0]]), np.array([[1.0, 0.0]])) >= 0.0


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_one_hot_reports_a_huge_float_label_as_too_large():
    with pytest.raises(ValueError, match=r"y must hold labels in 0 \.\. 2, got labels from 1e\+30"):
        rh.one_hot(np.array([1e30]), 3)


# ---------------------------------------------------------------------------
# The layers of 05: each backward against finite differences, on its own
# ---------------------------------------------------------------------------

def test_affine_backward_matches_finite_differences_on_a_non_square_layer():
    """L = sum(G * h) has dL/dh = G; each of dX, dW, db must match finite differences of it."""
    rng = np.random.default_rng(7)
    X, W, b, G = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(5, 4))
    h, cache = rh.affine_forward(X, W, b)
    assert np.allclose(h, X @ W + b)
    dX, dW, db = rh.affine_backward(G, cache)
    for got, arg in ((dX, 0), (dW, 1), (db, 2)):
        args = [X, W, b]

        def loss(v, arg=arg):
            return np.sum(G * rh.affine_forward(*args[:arg], v, *args[arg + 1:])[0])
        assert relative_error(got, fd_grad(loss, args[arg])) < 1e-7


def test_relu_backward_passes_the_gradient_only_where_the_input_is_positive():
    h = np.array([[-1.0, 2.0, 0.0], [3.0, -0.5, 1e-3]])
    da = np.array([[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]])
    assert np.array_equal(rh.relu_backward(da, h), [[0.0, 6.0, 0.0], [8.0, 0.0, 10.0]])


@pytest.mark.parametrize("reduction, scale", [("sum", 1.0), ("mean", 1.0 / 6)])
def test_softmax_nll_backward_matches_finite_differences_of_the_loss_of_the_logits(reduction, scale):
    rng = np.random.default_rng(8)
    h, Y = rng.normal(size=(6, 4)), np.eye(4)[rng.integers(0, 4, size=6)]
    got = rh.softmax_nll_backward(rh.softmax(h), Y, reduction)
    numeric = fd_grad(lambda v: -np.sum(Y * scipy_log_softmax(v, axis=1)) * scale, h)
    assert relative_error(got, numeric) < 1e-7


def test_compare_prints_the_size_of_the_error_and_a_verdict(capsys):
    rh.compare("same", np.ones(3), np.ones(3))
    rh.compare("off", np.array([1.0, 2.0]), np.array([1.0, 2.5]))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "same: relative error 0.0e+00 < 1e-07: pass"
    assert out[1] == f"off: relative error {0.5 / (np.sqrt(5) + np.sqrt(7.25)):.1e} >= 1e-07: FAIL"


# ---------------------------------------------------------------------------
# Momentum, Adam, AdamW: against the published update rules, written out here
# ---------------------------------------------------------------------------

def random_steps(shape_params, n, seed):
    rng = np.random.default_rng(seed)
    return [{k: rng.normal(size=v.shape) for k, v in shape_params.items()} for _ in range(n)]


def test_momentum_and_adam_follow_their_update_rules(small_net):
    *_, params = small_net
    steps = random_steps(params, 6, 5)
    mom, adam = copy_params(params), copy_params(params)
    opt_mom, opt_adam = rh.Momentum(0.05, momentum=0.8), rh.Adam(0.01)
    for g in steps:
        opt_mom.step(mom, g), opt_adam.step(adam, g)
    for k in rh.PARAM_NAMES:
        theta, v = params[k].copy(), np.zeros_like(params[k])
        for g in steps:                                   # v <- mu v - lr g; theta <- theta + v
            v = 0.8 * v - 0.05 * g[k]
            theta = theta + v
        assert np.allclose(mom[k], theta, rtol=1e-12, atol=1e-14)
        theta, m, s = params[k].copy(), 0.0, 0.0
        for t, g in enumerate(steps, 1):                  # Kingma and Ba (2015), Algorithm 1
            m = 0.9 * m + 0.1 * g[k]
            s = 0.999 * s + 0.001 * g[k] ** 2
            theta = theta - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
        assert np.allclose(adam[k], theta, rtol=1e-12, atol=1e-14)


def test_adamw_decays_the_weights_outside_adams_step(small_net):
    *_, params = small_net
    steps = random_steps(params, 4, 6)
    w, plain, zero = copy_params(params), copy_params(params), copy_params(params)
    opt_w, opt_zero = rh.AdamW(0.01, weight_decay=0.5), rh.AdamW(0.01, weight_decay=0.0)
    opt_plain = rh.Adam(0.01)
    for g in steps:
        opt_w.step(w, g), opt_zero.step(zero, g), opt_plain.step(plain, g)
    for k in rh.PARAM_NAMES:
        assert np.array_equal(zero[k], plain[k])          # no decay: plain Adam
        theta, m, s = params[k].copy(), 0.0, 0.0
        lam = 0.5 if k in ("W1", "W2") else 0.0           # the biases are not decayed
        for t, g in enumerate(steps, 1):                  # PyTorch's AdamW: theta -= lr lam theta, then Adam
            theta = theta - 0.01 * lam * theta
            m = 0.9 * m + 0.1 * g[k]
            s = 0.999 * s + 0.001 * g[k] ** 2
            theta = theta - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
        assert np.allclose(w[k], theta, rtol=1e-12, atol=1e-14)
    assert not np.allclose(w["W1"], plain["W1"])


# ---------------------------------------------------------------------------
# forbidding: an exercise's check refuses the helper that would answer it
# ---------------------------------------------------------------------------

def test_forbidding_refuses_the_named_helpers_inside_and_restores_them_after():
    import rawnn_helpers as learners_rn                    # the module a learner's function calls
    def answer(h):
        return learners_rn.softmax(h)
    original = rh.softmax
    with pytest.raises(AssertionError, match=r"^ex03\.1: your answer calls rn\.softmax.*Hint: write it without rn\.softmax"):
        with rh.forbidding("ex03.1", "softmax", "log_softmax"):
            answer(np.zeros((1, 3)))
    assert rh.softmax is original and learners_rn.softmax is original
    with rh.forbidding("ex03.1", "softmax"):
        assert np.allclose(rh.log_softmax(np.zeros((1, 2))), np.log(0.5))   # the others still work
