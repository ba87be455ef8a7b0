"""Property-based tests of the numerics in ``rawnn_helpers``, with hypothesis.

Where ``test_helpers.py`` checks hand-picked cases, these tests state a law
and let hypothesis look for a counterexample over random shapes (``N`` 1..16,
``D`` 1..8, ``H`` 1..16, ``C`` 2..6) and logits up to +-1e4:

* ``softmax`` rows are probability vectors summing to 1, unchanged by adding
  a constant to a row;
* ``log_softmax`` is finite and equals ``log(softmax)`` wherever softmax has
  not underflowed;
* ``nll_loss`` is finite and >= 0, even where a needed probability is exactly 0;
* ``backward`` agrees with ``numerical_gradient`` for both reductions;
* ``one_hot`` round-trips with ``argmax``.

The run is bounded and reproducible: the settings profile registered below
(50 examples, 25 for the gradient check, no deadline, ``derandomize=True``,
no example database) is applied to each test as the parent of its
``@settings``, so the profile does not leak into other test modules. Hypothesis
also caches constants it finds in the source under its storage directory,
``.hypothesis/`` in the working directory by default; unless
``HYPOTHESIS_STORAGE_DIRECTORY`` is already set, it is pointed at a temporary
folder removed at exit, so a test run leaves nothing in the project.
"""

import os
import tempfile

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import rawnn_helpers as rh

_STORAGE = tempfile.TemporaryDirectory(prefix="rawnn-hypothesis-")   # removed at exit
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", _STORAGE.name)

PROFILE = "rawnn-properties"
settings.register_profile(
    PROFILE,
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
)
PROPERTY = settings(settings.get_profile(PROFILE))
GRADIENT = settings(settings.get_profile(PROFILE), max_examples=25)

SAMPLES = st.integers(1, 16)       # N
FEATURES = st.integers(1, 8)       # D
HIDDEN = st.integers(1, 16)        # H
CLASSES = st.integers(2, 6)        # C
LOGIT = st.floats(-1e4, 1e4, allow_nan=False)
REDUCTIONS = ("mean", "sum")
KINK = 1e-3                        # |h1| below this is too close to the ReLU kink
# Central differences err by ~eps**2 (truncation) plus ~1e-16 |L| / eps (rounding).
# At the default eps = 1e-6 the rounding part alone reaches rel_error 4e-6 when a
# nearly fitted net has gradients of norm ~1e-5 (seen in 3000 random draws);
# 1e-5 balances the two, and its worst rel_error over those draws was 2e-8.
FD_STEP = 1e-5


@st.composite
def logit_batches(draw):
    """Logits ``h`` of shape ``(N, C)`` with entries in [-1e4, 1e4]."""
    n, c = draw(SAMPLES), draw(CLASSES)
    return draw(arrays(np.float64, (n, c), elements=LOGIT))


@st.composite
def logits_and_row_shifts(draw):
    """Logits ``(N, C)`` and one constant per row, ``(N, 1)``, both within +-1e4."""
    h = draw(logit_batches())
    shift = draw(arrays(np.float64, (h.shape[0], 1), elements=LOGIT))
    return h, shift


@st.composite
def labels(draw):
    """Integer labels ``y (N,)`` in ``0 .. C-1``, and ``C``."""
    n, c = draw(SAMPLES), draw(CLASSES)
    return draw(arrays(np.int64, n, elements=st.integers(0, c - 1))), c


@st.composite
def probabilities_with_exact_zeros(draw):
    """``P (N, C)`` whose rows sum to 1 with at least one exact 0 per row, and one-hot ``Y``.

    The first sample's true class is one of its zero-probability classes,
    so the loss must cope with ``log 0``.
    """
    n, c = draw(SAMPLES), draw(CLASSES)
    weights = draw(arrays(np.float64, (n, c), elements=st.floats(0.0, 1.0)))
    zero_class = draw(arrays(np.int64, n, elements=st.integers(0, c - 1)))
    rows = np.arange(n)
    weights[rows, zero_class] = 0.0
    empty = weights.sum(axis=1) == 0.0
    weights[rows[empty], (zero_class[empty] + 1) % c] = 1.0
    P = weights / weights.sum(axis=1, keepdims=True)
    y = draw(arrays(np.int64, n, elements=st.integers(0, c - 1)))
    y[0] = zero_class[0]
    return P, rh.one_hot(y, c)


@st.composite
def small_nets(draw):
    """``X (N, D)``, one-hot ``Y (N, C)`` and float64 params, drawn from a numpy seed.

    The shapes come from hypothesis; the values from a seeded numpy
    generator (the seed is drawn too), with weights scaled by
    ``1 / sqrt(fan_in)`` so the logits stay moderate.
    """
    n, d, h, c = draw(SAMPLES), draw(FEATURES), draw(HIDDEN), draw(CLASSES)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.normal(size=(n, d))
    params = {
        "W1": rng.normal(size=(d, h)) / np.sqrt(d),
        "b1": rng.normal(size=h) * 0.5,
        "W2": rng.normal(size=(h, c)) / np.sqrt(h),
        "b2": rng.normal(size=c) * 0.5,
    }
    Y = rh.one_hot(rng.integers(0, c, size=n), c)
    return X, Y, params


# ---------------------------------------------------------------------------
# softmax
# ---------------------------------------------------------------------------

@PROPERTY
@given(logit_batches())
def test_softmax_rows_sum_to_one(h):
    np.testing.assert_allclose(rh.softmax(h).sum(axis=1), 1.0, rtol=0, atol=1e-12)


@PROPERTY
@given(logit_batches())
def test_softmax_entries_are_probabilities(h):
    P = rh.softmax(h)
    assert np.all((P >= 0.0) & (P <= 1.0))


@PROPERTY
@given(logits_and_row_shifts())
def test_softmax_is_unchanged_by_adding_a_constant_per_row(case):
    h, shift = case
    # h + shift is rounded to about 2e-12 (ulp of 2e4), so P moves by ~1e-11 relatively.
    np.testing.assert_allclose(rh.softmax(h + shift), rh.softmax(h), rtol=1e-9, atol=1e-300)


# ---------------------------------------------------------------------------
# log_softmax
# ---------------------------------------------------------------------------

@PROPERTY
@given(logit_batches())
def test_log_softmax_is_finite(h):
    assert np.all(np.isfinite(rh.log_softmax(h)))


@PROPERTY
@given(logit_batches())
def test_log_softmax_equals_log_of_softmax_where_softmax_has_not_underflowed(h):
    P = rh.softmax(h)
    kept = P > 1e-300
    np.testing.assert_allclose(rh.log_softmax(h)[kept], np.log(P[kept]), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------
# nll_loss
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@PROPERTY
@given(case=probabilities_with_exact_zeros())
def test_nll_loss_is_finite_and_non_negative_where_a_probability_is_exactly_zero(case, reduction):
    P, Y = case
    assert np.any(P[Y == 1] == 0.0)       # the construction's point: a needed log 0
    loss = rh.nll_loss(P, Y, reduction)
    assert np.isfinite(loss) and loss >= 0.0


@pytest.mark.parametrize("reduction", REDUCTIONS)
@PROPERTY
@given(h=logit_batches(), data=st.data())
def test_nll_loss_is_finite_and_non_negative_on_softmax_of_extreme_logits(h, data, reduction):
    y = data.draw(arrays(np.int64, h.shape[0], elements=st.integers(0, h.shape[1] - 1)))
    loss = rh.nll_loss(rh.softmax(h), rh.one_hot(y, h.shape[1]), reduction)
    assert np.isfinite(loss) and loss >= 0.0


# ---------------------------------------------------------------------------
# backward
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@GRADIENT
@given(net=small_nets())
def test_backward_agrees_with_numerical_gradient(net, reduction):
    X, Y, params = net
    _, cache = rh.forward(X, params)
    # A step of FD_STEP moves h1 by at most ~1e-4 here; keep every h1 well off the kink.
    assume(np.min(np.abs(cache["h1"])) >= KINK)
    grads = rh.backward(Y, cache, params, reduction)
    for key in rh.PARAM_NAMES:
        def loss(value, key=key):
            trial = dict(params)
            trial[key] = value
            return rh.nll_loss(rh.forward(X, trial)[0], Y, reduction)

        numeric = rh.numerical_gradient(loss, params[key], eps=FD_STEP)
        assert grads[key].shape == params[key].shape
        assert rh.rel_error(grads[key], numeric) < 1e-6, key


# ---------------------------------------------------------------------------
# one_hot
# ---------------------------------------------------------------------------

@PROPERTY
@given(labels())
def test_one_hot_round_trips_with_argmax(case):
    y, c = case
    np.testing.assert_array_equal(rh.one_hot(y, c).argmax(axis=1), y)


@PROPERTY
@given(labels())
def test_one_hot_rows_hold_a_single_one(case):
    y, c = case
    Y = rh.one_hot(y, c)
    assert Y.shape == (y.shape[0], c)
    assert np.all((Y == 0.0) | (Y == 1.0))
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
