"""``HParams`` (``tf.contrib.training.HParams``): named hyperparameters with types fixed at creation.

Example:
    >>> hp = HParams(n_ctx=1024, n_embd=768, lr=0.1)
    >>> hp.override_from_dict({"n_ctx": 2048})
    HParams([('lr', 0.1), ('n_ctx', 2048), ('n_embd', 768)])
    >>> hp.parse("lr=0.5,n_embd=12").lr, hp.values()["n_embd"]
    (0.5, 12)
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["HParams"]


class HParams:
    """Hyperparameters as attributes (``hp.n_ctx``); each keeps the type of its first value.

    Args:
        hparam_def: Unsupported (a protobuf in TF); must be None.
        model_structure: Kept as ``hp.get_model_structure()``.
        **kwargs: The hyperparameters and their values.
    """

    def __init__(self, hparam_def: Any = None, model_structure: Any = None, **kwargs: Any) -> None:
        if hparam_def is not None:
            raise ValueError("varscope's HParams cannot read an HParamDef protobuf; pass the values as keywords.")
        self._hparam_types: dict[str, tuple[type, bool]] = {}
        self._model_structure = model_structure
        for name, value in kwargs.items():
            self.add_hparam(name, value)

    def add_hparam(self, name: str, value: Any) -> None:
        """Add hyperparameter ``name``.

        Raises:
            ValueError: When it exists already or its name is taken by a method, or for an empty list.
        """
        if getattr(self, name, None) is not None:
            raise ValueError(f"Hyperparameter name is reserved: {name}")
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError(f"Multi-valued hyperparameters cannot be empty: {name}")
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name: str, value: Any) -> None:
        """Set hyperparameter ``name`` to ``value``, converted to its type.

        Raises:
            ValueError: For a list given to a scalar hyperparameter (or the reverse), or a value of another type.
            KeyError: For an unknown name.
        """
        param_type, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError(f"Must not pass a list for single-valued parameter: {name}")
            setattr(self, name, [_cast(name, param_type, v) for v in value])
        else:
            if is_list:
                raise ValueError(f"Must pass a list for multi-valued parameter: {name}.")
            setattr(self, name, _cast(name, param_type, value))

    def del_hparam(self, name: str) -> None:
        """Remove hyperparameter ``name``."""
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def override_from_dict(self, values_dict: dict[str, Any]) -> HParams:
        """Set each ``name: value`` of the dict; returns self."""
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def parse(self, values: str) -> HParams:
        """Set hyperparameters from ``"a=1,b=2.5,c=[1,2]"``; returns self."""
        for name, text in _split(values):
            if name not in self._hparam_types:
                raise ValueError(f"Unknown hyperparameter type for {name}")
            param_type, is_list = self._hparam_types[name]
            if is_list:
                items = [t for t in text.strip("[]").split(",") if t]
                self.set_hparam(name, [_parse(param_type, t) for t in items])
            else:
                self.set_hparam(name, _parse(param_type, text))
        return self

    def parse_json(self, values_json: str) -> HParams:
        """Set hyperparameters from a JSON object; returns self."""
        return self.override_from_dict(json.loads(values_json))

    def values(self) -> dict[str, Any]:
        """The hyperparameters as a dict."""
        return {name: getattr(self, name) for name in self._hparam_types}

    def get(self, key: str, default: Any = None) -> Any:
        """Hyperparameter ``key``, else ``default``."""
        return getattr(self, key) if key in self._hparam_types else default

    def to_json(self, indent: Any = None, separators: Any = None, sort_keys: bool = False) -> str:
        """The hyperparameters as JSON."""
        return json.dumps(self.values(), indent=indent, separators=separators, sort_keys=sort_keys)

    def get_model_structure(self) -> Any:
        """The ``model_structure`` given at creation."""
        return self._model_structure

    def __contains__(self, key: str) -> bool:
        return key in self._hparam_types

    def __str__(self) -> str:
        return str(sorted(self.values().items()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self})"


def _cast(name: str, param_type: type, value: Any) -> Any:
    if isinstance(value, param_type):
        return value
    if param_type is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if param_type is bool or isinstance(value, bool) or not (
            isinstance(value, (int, float)) and param_type in (int, float)):
        raise ValueError(f"Could not cast hparam '{name}' of type '{type(value)}' from value {value!r}")
    if param_type is int and float(value) != int(value):
        raise ValueError(f"Could not cast hparam '{name}' of type '{type(value)}' from value {value!r}")
    return param_type(value)


def _parse(param_type: type, text: str) -> Any:
    text = text.strip()
    if param_type is bool:
        return text.lower() in ("true", "1")
    if param_type is str:
        return text
    return param_type(float(text)) if param_type is int else param_type(text)


def _split(values: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    depth, start = 0, 0
    for i, ch in enumerate(values + ","):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            part = values[start:i].strip()
            start = i + 1
            if part:
                name, _, text = part.partition("=")
                out.append((name.strip(), text))
    return out
