"""The ``checkpoint`` state file: a text-format ``CheckpointState`` proto, as TF writes it."""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field

from .bundle_reader import _open_regular
from .errors import CheckpointError
from .publish import new_tag, temp_name

__all__ = [
    "CheckpointState",
    "get_checkpoint_state",
    "latest_checkpoint",
    "read_checkpoint_state",
    "update_checkpoint_state",
]

_FIELDS = {
    "model_checkpoint_path": "str",
    "all_model_checkpoint_paths": "str*",
    "all_model_checkpoint_timestamps": "float*",
    "last_preserved_timestamp": "float",
}
_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", ord('"'): '\\"', ord("'"): "\\'", ord("\\"): "\\\\"}
_TOKEN = re.compile(
    r"""\s*(?:(\#[^\n]*)|([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|([-+]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)[fF]?)|([:\[\],;]))""",
    re.IGNORECASE,
)


@dataclass
class CheckpointState:
    """Contents of a ``checkpoint`` file (``CheckpointState`` proto).

    Attributes:
        model_checkpoint_path: the latest checkpoint prefix.
        all_model_checkpoint_paths: kept checkpoints, oldest first (the last is the latest).
        all_model_checkpoint_timestamps: one Unix time per path (TF2 ``CheckpointManager`` only).
        last_preserved_timestamp: TF2 ``CheckpointManager`` bookkeeping.
    """

    model_checkpoint_path: str = ""
    all_model_checkpoint_paths: list[str] = field(default_factory=list)
    all_model_checkpoint_timestamps: list[float] = field(default_factory=list)
    last_preserved_timestamp: float = 0.0

    def to_text(self) -> str:
        """Serializes like ``text_format.MessageToString`` (one field per line, field order).

        Example:
            >>> print(CheckpointState("m-7", ["m-7"]).to_text(), end="")
            model_checkpoint_path: "m-7"
            all_model_checkpoint_paths: "m-7"
        """
        lines = []
        if self.model_checkpoint_path:
            lines.append(f"model_checkpoint_path: {_quote(self.model_checkpoint_path)}")
        lines += [f"all_model_checkpoint_paths: {_quote(p)}" for p in self.all_model_checkpoint_paths]
        lines += [f"all_model_checkpoint_timestamps: {_number(t)}" for t in self.all_model_checkpoint_timestamps]
        if self.last_preserved_timestamp:
            lines.append(f"last_preserved_timestamp: {_number(self.last_preserved_timestamp)}")
        return "".join(line + "\n" for line in lines)

    @staticmethod
    def from_text(text: str, path: str | None = None) -> CheckpointState:
        """Parses protobuf text format (accepts comments, ``'`` quotes, ``[..]`` lists, escapes).

        Raises:
            CheckpointError: on syntax errors or unknown fields (which make TF ignore the file).
        """
        state = CheckpointState()
        tokens = _tokenize(text, path)
        i = 0
        while i < len(tokens):
            kind, value = tokens[i]
            if kind != "name" or value not in _FIELDS:
                raise CheckpointError(f"unexpected {value!r} in checkpoint state", path)
            ftype = _FIELDS[value]
            i += 1
            if i < len(tokens) and tokens[i] == ("punct", ":"):
                i += 1
            values: list[tuple[str, str]] = []
            if i < len(tokens) and tokens[i] == ("punct", "[") and ftype.endswith("*"):
                i += 1
                while i < len(tokens) and tokens[i] != ("punct", "]"):
                    values.append(tokens[i])
                    i += 1
                    if i < len(tokens) and tokens[i] == ("punct", ","):
                        i += 1
                if i >= len(tokens):
                    raise CheckpointError("unterminated list in checkpoint state", path)
                i += 1
            else:
                if i >= len(tokens):
                    raise CheckpointError(f"missing value for {value}", path)
                values.append(tokens[i])
                i += 1
                # adjacent string literals concatenate
                while ftype.startswith("str") and i < len(tokens) and tokens[i][0] == "str" and values[-1][0] == "str":
                    values[-1] = ("str", values[-1][1] + tokens[i][1])
                    i += 1
            if i < len(tokens) and tokens[i] in (("punct", ","), ("punct", ";")):
                i += 1
            parsed = [_convert(v, ftype, value, path) for v in values]
            if ftype.endswith("*"):
                getattr(state, value).extend(parsed)
            else:
                setattr(state, value, parsed[0])
        return state


def _quote(text: str) -> str:
    out = []
    for byte in text.encode("utf-8"):
        if byte in _ESCAPES:
            out.append(_ESCAPES[byte])
        elif byte < 0x20 or byte >= 0x7F:
            out.append(f"\\{byte:03o}")
        else:
            out.append(chr(byte))
    return '"' + "".join(out) + '"'


def _number(value: float) -> str:
    if value != value:
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return repr(float(value))


def _unquote(literal: str, path: str | None) -> str:
    body = literal[1:-1]
    out = bytearray()
    i = 0
    simple = {"n": 10, "r": 13, "t": 9, '"': 34, "'": 39, "\\": 92, "a": 7, "b": 8, "f": 12, "v": 11, "?": 63}
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out += ch.encode("utf-8")
            i += 1
            continue
        i += 1
        esc = body[i] if i < len(body) else ""
        if esc in simple:
            out.append(simple[esc])
            i += 1
        elif esc in "01234567" and esc:
            j = i
            while j < len(body) and j < i + 3 and body[j] in "01234567":
                j += 1
            out.append(int(body[i:j], 8) & 0xFF)
            i = j
        elif esc in ("x", "X"):
            j = i + 1
            while j < len(body) and j < i + 3 and body[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 1:
                raise CheckpointError(f"bad \\x escape in {literal}", path)
            out.append(int(body[i + 1 : j], 16))
            i = j
        else:
            raise CheckpointError(f"bad escape \\{esc} in {literal}", path)
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise CheckpointError(f"string {literal} is not valid UTF-8", path) from None


def _tokenize(text: str, path: str | None) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            snippet = text[pos : pos + 20].strip()
            raise CheckpointError(f"cannot parse checkpoint state near {snippet!r}", path)
        pos = m.end()
        comment, name, string, number, punct = m.groups()
        if comment is not None:
            continue
        if number is not None and name is None:
            tokens.append(("num", number))
        elif name is not None:
            tokens.append(("name", name))
        elif string is not None:
            tokens.append(("str", _unquote(string, path)))
        else:
            tokens.append(("punct", punct))
    return tokens


def _convert(token: tuple[str, str], ftype: str, field_name: str, path: str | None) -> str | float:
    kind, value = token
    if ftype.startswith("str"):
        if kind != "str":
            raise CheckpointError(f"{field_name} needs a string, got {value!r}", path)
        return value
    if kind == "name" and value.lower() in ("inf", "infinity", "nan"):
        kind = "num"
    if kind != "num":
        raise CheckpointError(f"{field_name} needs a number, got {value!r}", path)
    return float(value.rstrip("fF"))


def _state_path(checkpoint_dir: str | os.PathLike[str], latest_filename: str | None) -> str:
    return os.path.join(os.fspath(checkpoint_dir), latest_filename or "checkpoint")


def read_checkpoint_state(path: str | os.PathLike[str]) -> CheckpointState:
    """Parses a state file as written (paths not resolved).

    Raises:
        FileNotFoundError: if it does not exist.
        CheckpointError: if it does not parse, or is not a regular file.
    """
    path = os.fspath(path)
    with _open_regular(path, missing_ok=False) as f:
        raw = f.read(1 << 24)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CheckpointError("checkpoint state is not UTF-8 text", path) from None
    return CheckpointState.from_text(text, path)


def get_checkpoint_state(
    checkpoint_dir: str | os.PathLike[str], latest_filename: str | None = None
) -> CheckpointState | None:
    """Reads ``checkpoint_dir/checkpoint`` like ``tf.train.get_checkpoint_state``.

    Relative paths are joined onto ``checkpoint_dir``. As in TF, a missing file gives ``None``
    and an unparsable one a warning and ``None``.

    Raises:
        CheckpointError: if the file parses but names no model checkpoint (TF's ``ValueError``).

    Example:
        >>> import tempfile, os
        >>> d = tempfile.mkdtemp()
        >>> update_checkpoint_state(d, os.path.join(d, "model.ckpt-7"), save_relative_paths=True)
        >>> get_checkpoint_state(d).model_checkpoint_path == os.path.join(d, "model.ckpt-7")
        True
    """
    directory = os.fspath(checkpoint_dir)
    path = _state_path(directory, latest_filename)
    if not os.path.isfile(path):
        return None
    try:
        state = read_checkpoint_state(path)
    except CheckpointError as err:
        warnings.warn(f"{err}; checkpoint ignored", stacklevel=2)
        return None
    if not state.model_checkpoint_path:
        raise CheckpointError(f"invalid checkpoint state loaded from {directory}", path)
    if not os.path.isabs(state.model_checkpoint_path):
        state.model_checkpoint_path = os.path.join(directory, state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [
        p if os.path.isabs(p) else os.path.join(directory, p) for p in state.all_model_checkpoint_paths
    ]
    return state


def latest_checkpoint(checkpoint_dir: str | os.PathLike[str], latest_filename: str | None = None) -> str | None:
    """The latest checkpoint prefix in ``checkpoint_dir``, or ``None``.

    Like TF, the prefix is returned only if its ``.index`` file exists.
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not state.model_checkpoint_path:
        return None
    prefix = state.model_checkpoint_path
    if os.path.isfile(prefix + ".index") or os.path.isfile(prefix):
        return prefix
    return None


def update_checkpoint_state(
    save_dir: str | os.PathLike[str],
    model_checkpoint_path: str,
    all_model_checkpoint_paths: list[str] | None = None,
    latest_filename: str | None = None,
    all_model_checkpoint_timestamps: list[float] | None = None,
    last_preserved_timestamp: float | None = None,
    *,
    save_relative_paths: bool = False,
) -> None:
    """Atomically writes the state file, following TF's path rules.

    ``model_checkpoint_path`` is appended to ``all_model_checkpoint_paths`` if it is not last.
    With ``save_relative_paths`` absolute paths are made relative to ``save_dir`` (recommended:
    the directory can then move); absolute paths are otherwise kept. As in TF, when ``save_dir``
    itself is relative, relative paths (which include ``save_dir``) are made relative to it.

    Raises:
        ValueError: if timestamps do not match the paths, or the path equals the state file's.
    """
    directory = os.fspath(save_dir)
    paths = list(all_model_checkpoint_paths or [])
    model = model_checkpoint_path
    if save_relative_paths:
        model = os.path.relpath(model, directory) if os.path.isabs(model) else model
        paths = [os.path.relpath(p, directory) if os.path.isabs(p) else p for p in paths]
    if not paths or paths[-1] != model:
        paths.append(model)
    if all_model_checkpoint_timestamps and len(all_model_checkpoint_timestamps) != len(paths):
        raise ValueError("all_model_checkpoint_timestamps must have one entry per checkpoint path")
    if not os.path.isabs(directory):
        if not os.path.isabs(model):
            model = os.path.relpath(model, directory)
        paths = [p if os.path.isabs(p) else os.path.relpath(p, directory) for p in paths]
    target = _state_path(directory, latest_filename)
    if target == model or os.path.join(directory, model) == target:
        raise ValueError(
            f"Save path '{model_checkpoint_path}' conflicts with path used for checkpoint state."
            "  Please use a different save path."
        )
    state = CheckpointState(
        model, paths, list(all_model_checkpoint_timestamps or []), last_preserved_timestamp or 0.0
    )
    os.makedirs(directory or ".", exist_ok=True)
    temp = temp_name(target, new_tag())  # carries the pid: a killed writer's is cleaned up later
    try:
        with open(temp, "w", encoding="utf-8", newline="\n") as f:
            f.write(state.to_text())
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
