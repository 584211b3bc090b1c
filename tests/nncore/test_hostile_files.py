"""Hostile files: special files, symlinks, read-only targets, zip and gzip bombs, lying headers.

Each is refused at once with the project's error and a message naming the real cause, and reading
stays bounded (measured with tracemalloc, which sees NumPy's allocations too).
"""

import gzip
import io
import os
import signal
import stat
import time
import tracemalloc
import zipfile

import numpy as np
import pytest

import nncore
from nncore import DataFileError, ModelFileError, Network
from nncore.errors import NNCoreError, ReadOnlyFileError, SaveError
from nncore.fileio import TEMP_MARK, atomic_write, open_regular, read_regular_bytes, remove_stale_temporaries
from nncore.idx import MAX_DATA_BYTES, parse_idx, read_images, read_labels
from nncore.modelfile import loads

MB = 1 << 20


@pytest.fixture
def no_hang():
    """Fail (rather than hang the suite) if the test blocks for more than 5 s, e.g. opening a FIFO."""
    def hung(signum, frame):
        raise TimeoutError("blocked: a read that should have been refused hung")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def peak_bytes(fn):
    """(what fn raised or returned, the peak bytes Python and NumPy allocated while it ran)."""
    tracemalloc.start()
    try:
        try:
            result = fn()
        except Exception as e:  # noqa: BLE001 - the caller asserts on it
            result = e
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def idx_bytes(shape, body=None):
    """An IDX header of unsigned bytes for ``shape``, then ``body`` (default: the bytes it promises)."""
    header = bytes([0, 0, 8, len(shape)]) + b"".join(int(d).to_bytes(4, "big") for d in shape)
    return header + (bytes(int(np.prod(shape))) if body is None else body)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "n.npz"
    nncore.save(Network([784, 5, 10], rng=1), path)
    return path


def fields_of(path):
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


# ---- reading only regular files ----------------------------------------------------------------

def test_a_fifo_is_refused_without_blocking(tmp_path, no_hang):
    """A FIFO given as a network or as an IDX file is named as a FIFO at once (it used to hang)."""
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    with pytest.raises(ModelFileError, match="pipe.npz: is a named pipe \\(FIFO\\), not a Backprop Lab network"):
        nncore.load(fifo)
    with pytest.raises(DataFileError, match="is a named pipe \\(FIFO\\), not an IDX file"):
        read_images(fifo)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_and_a_link_to_it_are_refused_at_once(tmp_path, no_hang):
    """/dev/zero, directly or through a symlink, is a device: refused before a byte is read."""
    link = tmp_path / "zero.npz"
    link.symlink_to("/dev/zero")
    for path in ("/dev/zero", link):
        (err, peak) = peak_bytes(lambda p=path: nncore.load(p))
        assert isinstance(err, ModelFileError) and "is a device" in str(err) and peak < MB
        with pytest.raises(DataFileError, match="is a device, not an IDX file"):
            read_labels(path)


def test_a_folder_is_named_as_a_folder(tmp_path):
    """A directory given as a network, or a directory named like an IDX file in a dataset folder."""
    (tmp_path / "net.npz").mkdir()
    with pytest.raises(ModelFileError, match="net.npz: is a folder, not a Backprop Lab network"):
        nncore.load(tmp_path / "net.npz")
    (tmp_path / "train-images-idx3-ubyte").mkdir()
    with pytest.raises(DataFileError, match="train-images-idx3-ubyte: is a folder, not an IDX file"):
        nncore.load_dataset(tmp_path)


def test_symlinks_are_followed_to_a_regular_file_and_loops_refused(tmp_path, saved):
    """A link to a network loads it; a loop of links and a dangling link say exactly that."""
    (tmp_path / "link.npz").symlink_to(saved)
    assert nncore.load(tmp_path / "link.npz").sizes == [784, 5, 10]
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(ModelFileError, match="is a loop of symbolic links"):
        nncore.load(tmp_path / "a")
    with pytest.raises(DataFileError, match="is a loop of symbolic links"):
        read_images(tmp_path / "b")
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    with pytest.raises(ModelFileError, match="a symbolic link to a missing file"):
        nncore.load(tmp_path / "dangling")


def test_read_regular_bytes_refuses_more_than_its_limit(tmp_path, no_hang):
    """The helper for small files (e.g. drawings): its limit, special files and a NUL in the name."""
    (tmp_path / "f").write_bytes(b"x" * 100)
    assert read_regular_bytes(tmp_path / "f", 100, "a drawing") == b"x" * 100
    with pytest.raises(NNCoreError, match="is 100 bytes; a drawing is at most 99 bytes"):
        read_regular_bytes(tmp_path / "f", 99, "a drawing")
    os.mkfifo(tmp_path / "p")
    with pytest.raises(NNCoreError, match="FIFO"):
        read_regular_bytes(tmp_path / "p", 10, "a drawing")
    with pytest.raises(NNCoreError, match="not a valid file name"):
        open_regular("bad\0name", "a drawing")


# ---- saving ------------------------------------------------------------------------------------

def test_saving_through_a_symlink_replaces_its_target_and_keeps_the_mode(tmp_path, saved):
    """The link stays a link to the same file; that file gets the new network and keeps mode 0640."""
    real = tmp_path / "real" / "net.npz"
    real.parent.mkdir()
    nncore.save(Network([784, 5, 10], rng=1), real)
    real.chmod(0o640)
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    nncore.save(Network([784, 7, 10], rng=2), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert nncore.load(real).sizes == [784, 7, 10]
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["net.npz"]   # written in the target's folder


def test_non_regular_targets_are_refused_and_left_alone(tmp_path, no_hang):
    """A folder and a FIFO are never replaced by a save: SaveError, and they are still what they were."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "dir").mkdir()
    for target, words in ((fifo, "is a named pipe \\(FIFO\\), not a regular file"),
                          (tmp_path / "dir", "is a folder, not a regular file")):
        with pytest.raises(SaveError, match=words):
            atomic_write(target, lambda f: f.write(b"data"))
    assert stat.S_ISFIFO(fifo.stat().st_mode) and (tmp_path / "dir").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir", "fifo"]


def test_a_read_only_file_is_replaced_only_with_force(tmp_path):
    """ReadOnlyFileError (an OSError too, as the app catches) unless force=True, which keeps 0444."""
    path = tmp_path / "ro.csv"
    path.write_bytes(b"old")
    path.chmod(0o444)
    with pytest.raises(ReadOnlyFileError, match="ro.csv: is read-only; it was not replaced") as info:
        atomic_write(path, lambda f: f.write(b"new"))
    assert isinstance(info.value, OSError) and info.value.strerror == "is read-only; it was not replaced"
    assert path.read_bytes() == b"old"
    atomic_write(path, lambda f: f.write(b"new"), force=True)
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_missing_folder_is_named_not_a_temporary_file(tmp_path):
    """Saving into a folder that does not exist names that folder; nothing hidden is mentioned."""
    with pytest.raises(SaveError) as info:
        nncore.save(Network([784, 5, 10], rng=1), tmp_path / "nope" / "n.npz")
    assert str(info.value) == f"{tmp_path / 'nope' / 'n.npz'}: the folder {tmp_path / 'nope'} does not exist"
    assert TEMP_MARK not in str(info.value)


def test_temporary_files_are_recognisable_and_stale_ones_removed(tmp_path):
    """A save writes '.NAME.backprop-lab-tmp-XXXXXXXX'; ones older than 15 minutes are swept, others kept."""
    seen = []
    atomic_write(tmp_path / "f.bin", lambda f: seen.extend(p.name for p in tmp_path.iterdir()))
    assert len(seen) == 1 and seen[0].startswith(".f.bin.backprop-lab-tmp-") and len(seen[0]) == 32
    old, young = tmp_path / ".n.npz.backprop-lab-tmp-abcd1234", tmp_path / ".n.npz.backprop-lab-tmp-wxyz9876"
    unrelated = tmp_path / ".n.npz.abcd1234.tmp"
    for p in (old, young, unrelated):
        p.write_bytes(b"partial")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    os.utime(unrelated, (hour_ago, hour_ago))
    assert remove_stale_temporaries(tmp_path) == [old]
    assert young.exists() and unrelated.exists() and (tmp_path / "f.bin").exists()


def test_a_save_sweeps_its_folder_of_killed_saves(tmp_path):
    """The first save into a folder removes the stale temporaries a killed save left there."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    stale = folder / ".n.npz.backprop-lab-tmp-k1ll3d00"
    stale.write_bytes(b"x" * 1000)
    os.utime(stale, (time.time() - 7200,) * 2)
    nncore.save(Network([784, 5, 10], rng=1), folder / "n.npz")
    assert [p.name for p in folder.iterdir()] == ["n.npz"]


# ---- IDX: every size checked first, compressed streams bounded ---------------------------------

def test_dimensions_that_wrap_to_zero_are_a_data_file_error(tmp_path):
    """2²³ × 2²⁰ × 2²¹ = 2⁶⁴ (0 in 64-bit arithmetic) used to escape as ValueError; 0 items too."""
    wraps = idx_bytes((2**23, 2**20, 2**21), body=b"")
    with pytest.raises(DataFileError, match="18,446,744,073,709,551,616 bytes; at most"):
        parse_idx(wraps, 3)
    (tmp_path / "w").write_bytes(wraps)
    with pytest.raises(DataFileError, match="at most 125,000,000 bytes"):
        read_images(tmp_path / "w")
    with pytest.raises(DataFileError, match="0×28×28, which holds nothing"):
        parse_idx(idx_bytes((0, 28, 28)), 3)


def test_a_header_beyond_the_memory_limit_is_refused_before_reading(tmp_path):
    """An honest header promising 200,000 images (157 MB) is refused from its 16 bytes."""
    (tmp_path / "big").write_bytes(idx_bytes((200_000, 28, 28), body=b""))
    with pytest.raises(DataFileError, match=f"at most {MAX_DATA_BYTES:,} bytes .*159,438 images"):
        read_images(tmp_path / "big")


def test_a_gzip_stream_longer_than_its_header_is_refused_without_inflating_it(tmp_path):
    """A header of 2 images followed by 64 MB of zeros, gzipped: refused having inflated ~1 MB at most."""
    body = idx_bytes((2, 28, 28)) + bytes(64 * MB)
    (tmp_path / "bomb.gz").write_bytes(gzip.compress(body, compresslevel=1))
    err, peak = peak_bytes(lambda: read_images(tmp_path / "bomb.gz"))
    assert isinstance(err, DataFileError) and "holds more data than its header says" in str(err)
    assert peak < 4 * MB


def test_a_raw_file_of_the_wrong_size_is_refused_before_its_data_is_read(tmp_path):
    """A raw file's size is compared with its header first: 50 MB more than promised costs nothing."""
    (tmp_path / "long").write_bytes(idx_bytes((2, 28, 28)) + bytes(50 * MB))
    err, peak = peak_bytes(lambda: read_images(tmp_path / "long"))
    assert isinstance(err, DataFileError) and "truncated or mislabelled" in str(err) and peak < MB


def write_dataset(folder, n_train, n_test, rng):
    folder.mkdir(exist_ok=True)
    for stem, n in (("train", n_train), ("t10k", n_test)):
        (folder / f"{stem}-images-idx3-ubyte").write_bytes(idx_bytes((n, 28, 28), rng.bytes(n * 784)))
        (folder / f"{stem}-labels-idx1-ubyte").write_bytes(idx_bytes((n,), bytes(rng.integers(0, 10, n).tolist())))


def test_dataset_messages_name_the_real_cause(tmp_path, rng):
    """0 test images is not 'need more than 10,000 training images'; a short training set is."""
    write_dataset(tmp_path / "d", 30, 0, rng)
    with pytest.raises(DataFileError) as info:
        nncore.load_dataset(tmp_path / "d", validation_size=10)
    assert "t10k-images-idx3-ubyte: its header says 0×28×28, which holds nothing" in str(info.value)
    assert "more than" not in str(info.value)
    write_dataset(tmp_path / "e", 8, 5, rng)
    with pytest.raises(DataFileError, match="8 training images; need more than 10 \\(the last 10 validate\\)$"):
        nncore.load_dataset(tmp_path / "e", validation_size=10)
    with pytest.raises(DataFileError, match="no such folder"):
        nncore.load_dataset(tmp_path / "absent")


def test_the_dataset_limit_applies_to_all_its_images(tmp_path, rng, monkeypatch):
    """Training and test images together must fit the limit; checked from the headers alone."""
    write_dataset(tmp_path / "d", 30, 7, rng)
    monkeypatch.setattr("nncore.data.MAX_DATA_BYTES", 30 * 784)
    with pytest.raises(DataFileError, match="its images take 29,008 bytes; a dataset may take at most 23,520"):
        nncore.load_dataset(tmp_path / "d", validation_size=10)


# ---- network files: members checked before they are inflated -----------------------------------

def npz_with(fields, extra=None):
    """Bytes of an .npz of ``fields`` plus raw zip members ``extra`` {name: bytes} (deflated)."""
    buf = io.BytesIO()
    np.savez(buf, **fields)
    if extra:
        with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
            for name, data in extra.items():
                z.writestr(name, data)
    return buf.getvalue()


def test_an_unexpected_member_is_refused_without_inflating_it(saved):
    """A 64 MB member of zeros (a zip bomb in miniature) is refused by name; it is never inflated."""
    data = npz_with(fields_of(saved), {"extra.npy": bytes(64 * MB)})
    assert len(data) < MB
    err, peak = peak_bytes(lambda: loads(data))
    assert isinstance(err, ModelFileError) and "holds 'extra.npy'" in str(err)
    assert "holds only kind, format_version, sizes, cost, init, w0…, b0…" in str(err)
    assert peak < 2 * len(data) + MB


def test_a_layer_declaring_a_huge_shape_is_refused_before_its_data(saved):
    """w0 whose .npy header says (5, 10⁹): the shape is checked against the sizes first."""
    fields = fields_of(saved)
    header = np.lib.format.header_data_from_array_1_0(fields["w0"])
    header["shape"] = (5, 10**9)
    fake = io.BytesIO()
    np.lib.format.write_array_header_1_0(fake, header)
    buf = io.BytesIO(npz_with({k: v for k, v in fields.items() if k != "w0"}))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("w0.npy", fake.getvalue() + bytes(MB))
    err, peak = peak_bytes(lambda: loads(buf.getvalue()))
    assert isinstance(err, ModelFileError) and "layer 1's 'w0.npy' is" in str(err)
    assert peak < 4 * MB


def test_a_member_longer_than_its_shape_is_refused(saved):
    """w0 with the right header but more bytes than (5, 784) float32 numbers: refused, not read."""
    fields = fields_of(saved)
    buf = io.BytesIO()
    np.lib.format.write_array(buf, fields["w0"])
    padded = npz_with({k: v for k, v in fields.items() if k != "w0"}, {"w0.npy": buf.getvalue() + bytes(100)})
    with pytest.raises(ModelFileError, match="the 'w0' entry is 15,908 bytes but its header .* needs 15,808"):
        loads(padded)


def test_layers_mixing_float32_and_float64_are_refused(saved):
    """A float64 second layer after a float32 first one would train into a NumPy error: refused."""
    fields = fields_of(saved)
    fields["w1"], fields["b1"] = fields["w1"].astype(np.float64), fields["b1"].astype(np.float64)
    with pytest.raises(ModelFileError, match="layer 2 is float64 but layer 1 is float32"):
        loads(npz_with(fields))
    fields = fields_of(saved)
    fields["b0"] = fields["b0"].astype(np.float64)
    with pytest.raises(ModelFileError, match="layer 1 mixes float32 and float64"):
        loads(npz_with(fields))


def test_a_file_starting_with_pk_that_is_no_zip_is_not_called_a_pickle():
    """'PK' and then anything: damaged or truncated, never 'pickled Python objects'."""
    for data in (b"PKxx not a zip at all", b"PK" + bytes(100), b"PK\x05\x06" + bytes(5)):
        with pytest.raises(ModelFileError) as info:
            loads(data)
        assert "pickle" not in str(info.value) and "damaged or truncated" in str(info.value)


def test_a_zip_listing_thousands_of_entries_is_refused_from_its_end_record():
    """A directory of 5,000 entries is refused before zipfile reads it (a network has at most 20)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(5000):
            z.writestr(f"{i}", b"")
    with pytest.raises(ModelFileError, match="it lists 5,000 entries; a network file has at most 20"):
        loads(buf.getvalue())


def test_layers_beyond_the_sizes_and_twice_stored_members_are_refused(saved):
    """A w5 for a two-layer network, or the same member twice, is not a file Backprop Lab wrote."""
    fields = fields_of(saved)
    with pytest.raises(ModelFileError, match="holds 'w5' but its sizes \\[784, 5, 10\\] have 2 layers"):
        loads(npz_with({**fields, "w5": np.zeros((1, 1), np.float32)}))
    buf = io.BytesIO(npz_with(fields))
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(buf, "a") as z:
        z.writestr("cost.npy", b"")
    with pytest.raises(ModelFileError, match="holds 'cost.npy' twice"):
        loads(buf.getvalue())


def test_big_endian_and_fortran_order_layers_load_as_native_arrays(saved):
    """Other byte orders and layouts of the same numbers load to the same, trainable network."""
    fields = fields_of(saved)
    net = nncore.load(saved)
    fields["w0"] = np.asfortranarray(fields["w0"])
    fields["w1"] = fields["w1"].astype(">f4")
    back = loads(npz_with(fields))
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, back.weights))
    assert all(w.dtype == np.float32 and w.dtype.isnative and w.flags.writeable for w in back.weights)


def test_a_network_file_larger_than_the_largest_network_is_refused(tmp_path, monkeypatch):
    """The file's size is checked before anything is read from it."""
    monkeypatch.setattr("nncore.modelfile.MAX_FILE_BYTES", 1000)
    path = tmp_path / "n.npz"
    nncore.save(Network([784, 5, 10], rng=1), path)
    with pytest.raises(ModelFileError, match="a network file is at most 1,000 bytes"):
        nncore.load(path)


def test_a_save_that_does_not_follow_links_replaces_the_link_itself(tmp_path, no_hang):
    """follow_links=False: a link at the path becomes the new file (the file it named untouched); a FIFO
    there is refused from lstat, never opened."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    link = tmp_path / "link"
    link.symlink_to(victim)
    atomic_write(link, lambda f: f.write(b"new"), follow_links=False)
    assert not link.is_symlink() and link.read_bytes() == b"new" and victim.read_bytes() == b"keep"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(SaveError, match="is a named pipe \\(FIFO\\), not a regular file"):
        atomic_write(fifo, lambda f: f.write(b"data"), follow_links=False)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
