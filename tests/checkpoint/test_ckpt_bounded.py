"""The reader stays bounded on hostile input: always CheckpointError naming the file (issue 16, item 5)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pytest

from varscope.checkpoint import BundleReader, CheckpointError, read_checkpoint_state, write_bundle
from varscope.checkpoint.crc import crc32c, mask
from varscope.checkpoint.ordered_code import encode_tensor_name_slice
from varscope.checkpoint.proto import BundleEntry, BundleHeader, Extent
from varscope.checkpoint.string_codec import encode_strings
from varscope.checkpoint.table import build_table
from varscope.train import CheckpointReader

SRC = str(Path(__file__).resolve().parents[2] / "src")


def craft(prefix: Path, entries: Mapping[bytes, BundleEntry], data: bytes = b"") -> Path:
    """Writes an index of exactly ``entries`` (CRCs of plain numeric entries filled in) and one data file."""
    fixed = {}
    for key, entry in entries.items():
        if not entry.slices and entry.dtype != 7:
            entry = dataclasses.replace(entry, crc32c=mask(crc32c(data[entry.offset : entry.offset + entry.size])))
        fixed[key] = entry
    rows = [(b"", BundleHeader(num_shards=1).encode())] + sorted((k, e.encode()) for k, e in fixed.items())
    Path(f"{prefix}.index").write_bytes(build_table(rows))
    Path(f"{prefix}.data-00000-of-00001").write_bytes(data)
    return prefix


def raises_naming(path: str | Path, fn: Callable[[], object], match: str) -> CheckpointError:
    with pytest.raises(CheckpointError, match=match) as info:
        fn()
    assert info.value.path == str(path), info.value
    assert str(path) in str(info.value)
    return info.value


def test_partitioned_strings_with_a_huge_shape_allocate_nothing(tmp_path: Path) -> None:
    # TF segfaults on this; varscope allocated an object array of the declared shape (2^31
    # elements: 16 GiB) before noticing the 64-byte data file cannot hold it.
    n = 1 << 24
    extents = (Extent(0, n),)
    prefix = craft(tmp_path / "s", {b"s": BundleEntry(7, (n,), slices=(extents,)),
                                    encode_tensor_name_slice(b"s", extents): BundleEntry(7, (n,), size=n + 4)},
                   b"\x00" * 64)
    reader = BundleReader(prefix)
    tracemalloc.start()
    try:
        raises_naming(f"{prefix}.index", lambda: reader.get_tensor("s"), "larger than all data files")
        raises_naming(f"{prefix}.index", lambda: reader.get_slice("s", (5,), (n - 5,)), "larger than all data")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


def test_index_linked_to_dev_zero_or_a_fifo(tmp_path: Path) -> None:
    # Run in a child under a 1 GiB address-space limit: the old reader read /dev/zero until
    # memory ran out (here: MemoryError after 1 GiB), and a FIFO blocked it for ever.
    script = textwrap.dedent(f"""
        import os, resource, numpy as np
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from varscope.checkpoint import BundleReader, CheckpointError, write_bundle
        d = {str(tmp_path)!r}
        os.symlink("/dev/zero", d + "/z.index")
        os.mkfifo(d + "/f.index")
        write_bundle(d + "/w", {{"x": np.ones(3)}})
        os.remove(d + "/w.data-00000-of-00001")
        os.symlink("/dev/zero", d + "/w.data-00000-of-00001")
        for prefix, call in (("z", None), ("f", None), ("w", "x")):
            try:
                reader = BundleReader(d + "/" + prefix)
                reader.get_tensor(call)
            except CheckpointError as err:
                print(prefix, err.path, err.problem)
    """)
    result = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": SRC},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        f"z {tmp_path}/z.index is not a regular file",
        f"f {tmp_path}/f.index is not a regular file",
        f"w {tmp_path}/w.data-00000-of-00001 data file is not a regular file",
    ]


@pytest.mark.parametrize("shape", [(1,) * 70, (0,) + (1,) * 70, (0, 1 << 61, 1 << 61), (1 << 40, 0, 1 << 40)])
@pytest.mark.parametrize("dtype", [1, 7])
def test_shapes_numpy_cannot_hold(tmp_path: Path, shape: tuple[int, ...], dtype: int) -> None:
    # Rank above 64 (TF allows 254) or a byte size past 2^63: numpy's ValueError before.
    data, crc = b"", 0
    if all(shape):  # one element
        data, crc = (b"\x00" * 4, 0) if dtype == 1 else encode_strings([b"a"])
    prefix = craft(tmp_path / "r", {b"x": BundleEntry(dtype, shape, size=len(data), crc32c=crc)}, data)
    reader = BundleReader(prefix)
    assert reader.shape("x") == shape  # opening and metadata work, as in TF
    index = f"{prefix}.index"
    raises_naming(index, lambda: reader.get_tensor("x"), "cannot be held in a NumPy array")
    raises_naming(index, lambda: reader.get_slice("x", (0,) * len(shape), shape), "cannot be held")


def test_partitioned_shape_numpy_cannot_hold(tmp_path: Path) -> None:
    shape = (0, 1 << 61, 1 << 61)
    extents = tuple(Extent(0, d) for d in shape)
    prefix = craft(tmp_path / "p", {b"x": BundleEntry(1, shape, slices=(extents,)),
                                    encode_tensor_name_slice(b"x", extents): BundleEntry(1, shape)})
    raises_naming(f"{prefix}.index", lambda: BundleReader(prefix).get_tensor("x"), "cannot be held")


def test_directories_where_files_belong(tmp_path: Path) -> None:
    (tmp_path / "d.index").mkdir()
    raises_naming(tmp_path / "d.index", lambda: BundleReader(tmp_path / "d"), "is a directory")
    raises_naming(tmp_path / "d.index", lambda: CheckpointReader(tmp_path / "d"), "is a directory")
    write_bundle(tmp_path / "w", {"x": np.ones(3)})
    data = tmp_path / "w.data-00000-of-00001"
    data.unlink()
    data.mkdir()
    raises_naming(data, lambda: BundleReader(tmp_path / "w").get_tensor("x"), "data file is a directory")
    (tmp_path / "checkpoint").mkdir()
    raises_naming(tmp_path / "checkpoint", lambda: read_checkpoint_state(tmp_path / "checkpoint"), "directory")


def test_missing_files_keep_their_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        BundleReader(tmp_path / "nothing")
    write_bundle(tmp_path / "w", {"x": np.ones(3)})
    (tmp_path / "w.data-00000-of-00001").unlink()
    raises_naming(tmp_path / "w.data-00000-of-00001", lambda: BundleReader(tmp_path / "w").get_tensor("x"),
                  "data file is missing")


def test_resource_and_variant_errors_name_the_file(tmp_path: Path) -> None:
    prefix = craft(tmp_path / "v", {b"r": BundleEntry(20, ()), b"v": BundleEntry(21, ())})
    index = f"{prefix}.index"
    reader = BundleReader(prefix)
    assert reader.dtype_name("r") == "dtype_20"
    raises_naming(index, lambda: reader.dtype("r"), "tensor 'r': resource tensors .* cannot be read")
    raises_naming(index, lambda: reader.dtype("v"), "tensor 'v': variant tensors")
    raises_naming(index, lambda: reader.get_tensor("v"), "variant tensors")
    raises_naming(index, reader.get_variable_to_dtype_map, "resource tensors")
    raises_naming(index, lambda: CheckpointReader(prefix).get_variable_to_dtype_map(), "resource tensors")
