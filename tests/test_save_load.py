"""Saving and loading trained parameters: ``save_params`` and ``load_params``.

A round trip must give back exactly what was saved. Everything else that can
sit at the path a learner passes (a file missing a key or holding an extra
one, a wrong shape, integers, pickled Python objects, random bytes, a single
``.npy`` array, nothing at all) must raise ``ValueError`` whose message names
the file and the problem, and loading must never run code hidden in a
pickle: a payload that would create a marker file is loaded and the marker
must still be absent.

Every file lives under pytest's ``tmp_path``.
"""

import pickle
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

import rawnn_helpers as rh

D, H, C = 4, 5, 3


@pytest.fixture
def params():
    """Non-trivial float64 parameters (D=4, H=5, C=3): random weights and biases."""
    rng = np.random.default_rng(0)
    return {"W1": rng.normal(size=(D, H)), "b1": rng.normal(size=H),
            "W2": rng.normal(size=(H, C)), "b2": rng.normal(size=C)}


def named(path, problem):
    """A regex: the message names the file, then (somewhere after) the problem."""
    return re.escape(str(path)) + ".*" + problem


class WritesMarker:
    """A pickle payload: unpickling it creates the file ``marker`` (by calling ``open``)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


# ---------------------------------------------------------------------------
# Round trip
# ---------------------------------------------------------------------------

def test_round_trip_gives_back_the_same_keys(tmp_path, params):
    loaded = rh.load_params(rh.save_params(tmp_path / "net.npz", params))
    assert sorted(loaded) == sorted(rh.PARAM_NAMES)


def test_round_trip_is_exact(tmp_path, params):
    loaded = rh.load_params(rh.save_params(tmp_path / "net.npz", params))
    for key in rh.PARAM_NAMES:
        assert np.array_equal(loaded[key], params[key]), key


def test_round_trip_gives_float64_arrays(tmp_path, params):
    loaded = rh.load_params(rh.save_params(tmp_path / "net.npz", params))
    assert {key: loaded[key].dtype for key in loaded} == {key: np.float64 for key in rh.PARAM_NAMES}


def test_round_trip_of_float32_params_is_exact_after_conversion_to_float64(tmp_path, params):
    small = {k: v.astype(np.float32) for k, v in params.items()}
    loaded = rh.load_params(rh.save_params(tmp_path / "net.npz", small))
    for key in rh.PARAM_NAMES:
        assert loaded[key].dtype == np.float64
        assert np.array_equal(loaded[key], small[key].astype(np.float64)), key


def test_round_trip_through_a_str_path(tmp_path, params):
    path = str(tmp_path / "net.npz")
    rh.save_params(path, params)
    loaded = rh.load_params(path)
    assert all(np.array_equal(loaded[k], params[k]) for k in rh.PARAM_NAMES)


def test_loaded_arrays_are_independent_of_the_saved_dict(tmp_path, params):
    loaded = rh.load_params(rh.save_params(tmp_path / "net.npz", params))
    loaded["W1"][0, 0] += 1.0
    assert loaded["W1"][0, 0] != params["W1"][0, 0]


# ---------------------------------------------------------------------------
# The path
# ---------------------------------------------------------------------------

def test_save_appends_npz_when_the_suffix_is_missing(tmp_path, params):
    written = rh.save_params(tmp_path / "net", params)
    assert written == tmp_path / "net.npz"
    assert written.is_file() and not (tmp_path / "net").exists()


def test_save_appends_npz_after_another_suffix(tmp_path, params):
    assert rh.save_params(tmp_path / "net.v2", params) == tmp_path / "net.v2.npz"


def test_save_keeps_an_npz_suffix_as_it_is(tmp_path, params):
    written = rh.save_params(tmp_path / "net.npz", params)
    assert written == tmp_path / "net.npz" and written.is_file()


def test_save_returns_a_path_object_for_a_str_path(tmp_path, params):
    written = rh.save_params(str(tmp_path / "net"), params)
    assert isinstance(written, Path) and written == tmp_path / "net.npz"


def test_saved_file_holds_exactly_the_four_plain_arrays(tmp_path, params):
    with np.load(rh.save_params(tmp_path / "net.npz", params), allow_pickle=False) as data:
        assert sorted(data.files) == sorted(rh.PARAM_NAMES)


# ---------------------------------------------------------------------------
# Files that are not a valid parameter archive
# ---------------------------------------------------------------------------

def save_arrays(path, **arrays):
    np.savez(path, **arrays)
    return path


def test_load_rejects_a_missing_key(tmp_path, params):
    del params["b2"]
    path = save_arrays(tmp_path / "net.npz", **params)
    with pytest.raises(ValueError, match=named(path, r"got \['W1', 'W2', 'b1'\]")):
        rh.load_params(path)


def test_load_rejects_an_extra_key(tmp_path, params):
    path = save_arrays(tmp_path / "net.npz", **params, W3=np.ones((C, 2)))
    with pytest.raises(ValueError, match=named(path, r"got \['W1', 'W2', 'W3', 'b1', 'b2'\]")):
        rh.load_params(path)


def test_load_rejects_b1_of_length_h_plus_one(tmp_path, params):
    params["b1"] = np.zeros(H + 1)
    path = save_arrays(tmp_path / "net.npz", **params)
    with pytest.raises(ValueError, match=named(path, r"params\['b1'\] must have shape \(5,\).*got shape \(6,\)")):
        rh.load_params(path)


def test_load_rejects_w2_that_does_not_follow_w1(tmp_path, params):
    params["W2"] = np.zeros((H + 2, C))
    path = save_arrays(tmp_path / "net.npz", **params)
    with pytest.raises(ValueError, match=named(path, r"params\['W2'\] must have shape \(5, 3\)")):
        rh.load_params(path)


def test_load_rejects_integer_arrays(tmp_path, params):
    path = save_arrays(tmp_path / "net.npz", **{k: np.ones(v.shape, dtype=np.int64) for k, v in params.items()})
    with pytest.raises(ValueError, match=named(path, r"every array must have a float dtype, got .*'W1': 'int64'")):
        rh.load_params(path)


def test_load_rejects_nan_entries(tmp_path, params):
    params["W2"][1, 1] = np.nan
    path = save_arrays(tmp_path / "net.npz", **params)
    with pytest.raises(ValueError, match=named(path, r"params\['W2'\] must hold only finite numbers")):
        rh.load_params(path)


def test_load_rejects_an_object_array_in_the_archive(tmp_path, params):
    params["b1"] = np.array([1.0, "one", None, 0.0, 0.0], dtype=object)
    path = tmp_path / "net.npz"
    np.savez(path, allow_pickle=True, **params)
    with pytest.raises(ValueError, match=named(path, r"can be loaded safely: Object arrays cannot be loaded")):
        rh.load_params(path)


def test_load_rejects_random_bytes(tmp_path):
    path = tmp_path / "net.npz"
    path.write_bytes(np.random.default_rng(0).bytes(256))
    with pytest.raises(ValueError, match=named(path, r"can be loaded safely")):
        rh.load_params(path)


def test_load_rejects_an_empty_file(tmp_path):
    path = tmp_path / "net.npz"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=named(path, r"is not an \.npz file of parameters")):
        rh.load_params(path)


def test_load_rejects_a_zip_archive_that_is_not_an_npz(tmp_path):
    path = tmp_path / "net.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("W1.npy", b"not an array")
    with pytest.raises(ValueError, match=re.escape(str(path))):
        rh.load_params(path)


def test_load_rejects_a_npy_file_of_one_array(tmp_path):
    path = tmp_path / "W1.npy"
    np.save(path, np.ones((D, H)))
    with pytest.raises(ValueError, match=named(path, r"it holds a single array")):
        rh.load_params(path)


def test_load_rejects_a_nonexistent_path(tmp_path):
    path = tmp_path / "missing.npz"
    with pytest.raises(ValueError, match=named(path, r"is not an \.npz file of parameters")):
        rh.load_params(path)


def test_load_rejects_a_directory(tmp_path):
    with pytest.raises(ValueError, match=named(tmp_path, r"is not an \.npz file of parameters")):
        rh.load_params(tmp_path)


@pytest.mark.parametrize("bad", [3, None, b"net.npz", ["net.npz"]], ids=["int", "None", "bytes", "list"])
def test_load_rejects_a_non_path_argument_with_type_error(bad):
    with pytest.raises(TypeError, match=r"path must be a str or a path, got"):
        rh.load_params(bad)


@pytest.mark.parametrize("bad", [3, None, b"net.npz"], ids=["int", "None", "bytes"])
def test_save_rejects_a_non_path_argument_with_type_error(params, bad):
    with pytest.raises(TypeError, match=r"path must be a str or a path, got"):
        rh.save_params(bad, params)


def test_save_writes_nothing_when_the_params_are_bad(tmp_path, params):
    params["b1"] = np.zeros(H + 1)
    with pytest.raises(ValueError, match=r"params\['b1'\] must have shape"):
        rh.save_params(tmp_path / "net", params)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------
# Pickles never run
# ---------------------------------------------------------------------------

def test_the_payload_creates_its_marker_when_unpickled(tmp_path):
    # The control: without it, the marker's absence below would prove nothing.
    marker = tmp_path / "marker"
    pickle.loads(pickle.dumps(WritesMarker(marker))).close()
    assert marker.exists()


def test_loading_an_archive_with_a_pickled_payload_runs_no_code(tmp_path, params):
    marker = tmp_path / "marker"
    params["W1"] = np.array([WritesMarker(marker)], dtype=object)
    path = tmp_path / "net.npz"
    np.savez(path, allow_pickle=True, **params)
    with pytest.raises(ValueError, match=named(path, r"can be loaded safely: Object arrays cannot be loaded")):
        rh.load_params(path)
    assert not marker.exists()


def test_loading_a_npy_of_a_pickled_payload_runs_no_code(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "net.npy"
    np.save(path, np.array([WritesMarker(marker)], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match=re.escape(str(path))):
        rh.load_params(path)
    assert not marker.exists()


def test_loading_a_plain_pickle_file_runs_no_code(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "net.npz"
    path.write_bytes(pickle.dumps({"W1": WritesMarker(marker)}))
    with pytest.raises(ValueError, match=named(path, r"can be loaded safely")):
        rh.load_params(path)
    assert not marker.exists()
