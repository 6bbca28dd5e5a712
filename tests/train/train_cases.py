"""The training cases recorded from TensorFlow by ``tools/record_tf_train.py`` and replayed by the tests.

Plain data and NumPy only (the TF recorder imports this file too). Each optimizer case trains the
variables ``model/w`` [2, 3] and ``model/b`` [3] for three steps on fixed gradients; each schedule
case evaluates a schedule at fixed steps; each moving-average case follows variables assigned fixed
values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

STEPS = 3
W0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
B0 = np.array([0.1, -0.2, 0.3])


def gradients(step: int, dtype: str) -> dict[str, np.ndarray]:
    """The fixed gradients of step ``step`` (0-based)."""
    rng = np.random.default_rng(100 + step)
    return {"model/w": rng.normal(size=(2, 3)).astype(dtype), "model/b": rng.normal(size=(3,)).astype(dtype)}


OPTIMIZER_CASES: dict[str, dict[str, Any]] = {
    "gd": {"opt": "GradientDescentOptimizer", "args": {"learning_rate": 0.1}},
    "gd_global_step": {"opt": "GradientDescentOptimizer", "args": {"learning_rate": 0.5}, "global_step": True},
    "gd_exponential_decay": {"opt": "GradientDescentOptimizer", "args": {}, "global_step": True,
                             "schedule": ("exponential_decay", {"learning_rate": 0.1, "decay_steps": 1,
                                                                "decay_rate": 0.5, "staircase": True})},
    "momentum": {"opt": "MomentumOptimizer", "args": {"learning_rate": 0.1, "momentum": 0.9}},
    "momentum_nesterov": {"opt": "MomentumOptimizer",
                          "args": {"learning_rate": 0.05, "momentum": 0.8, "use_nesterov": True}},
    "momentum_float64": {"opt": "MomentumOptimizer", "args": {"learning_rate": 0.1, "momentum": 0.9},
                         "dtype": "float64"},
    "adam": {"opt": "AdamOptimizer", "args": {}, "global_step": True},
    "adam_custom": {"opt": "AdamOptimizer",
                    "args": {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}},
    "adam_float64": {"opt": "AdamOptimizer", "args": {"learning_rate": 0.1}, "dtype": "float64"},
    "adam_named": {"opt": "AdamOptimizer", "args": {"learning_rate": 0.1, "name": "MyAdam"}, "global_step": True},
    "adam_in_scopes": {"opt": "AdamOptimizer", "args": {"learning_rate": 0.1}, "variable_scope": "train",
                       "name_scope": "optimize"},
    "adam_two_optimizers": {"opt": "AdamOptimizer", "args": {"learning_rate": 0.1}, "optimizers": 2},
    "adam_own_namescope": {"opt": "AdamOptimizer",
                           "args": {"learning_rate": 0.1, "use_own_namescope_for_non_slot_vars": True},
                           "global_step": True},
    "adam_none_gradient": {"opt": "AdamOptimizer", "args": {"learning_rate": 0.1}, "none": ["model/b"]},
    "adam_polynomial_decay": {"opt": "AdamOptimizer", "args": {}, "global_step": True,
                              "schedule": ("polynomial_decay", {"learning_rate": 0.1, "decay_steps": 2,
                                                                "end_learning_rate": 0.01, "power": 2.0})},
    "rmsprop": {"opt": "RMSPropOptimizer", "args": {"learning_rate": 0.01}},
    "rmsprop_centered_momentum": {"opt": "RMSPropOptimizer",
                                  "args": {"learning_rate": 0.01, "decay": 0.8, "momentum": 0.5, "epsilon": 1e-6,
                                           "centered": True}},
    "rmsprop_momentum": {"opt": "RMSPropOptimizer", "args": {"learning_rate": 0.02, "momentum": 0.9},
                         "global_step": True},
    "adagrad": {"opt": "AdagradOptimizer", "args": {"learning_rate": 0.1}},
    "adagrad_initial_accumulator": {"opt": "AdagradOptimizer",
                                    "args": {"learning_rate": 0.2, "initial_accumulator_value": 0.5}},
    "adagrad_float64": {"opt": "AdagradOptimizer", "args": {"learning_rate": 0.1}, "dtype": "float64"},
}

SCHEDULE_STEPS = [0, 1, 2, 5, 9, 10, 11, 15, 20, 25, 30, 40, 100]

SCHEDULE_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "exponential": ("exponential_decay", {"learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.96}),
    "exponential_staircase": ("exponential_decay", {"learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5,
                                                    "staircase": True}),
    "polynomial": ("polynomial_decay", {"learning_rate": 0.1, "decay_steps": 20}),
    "polynomial_power_end": ("polynomial_decay", {"learning_rate": 0.1, "decay_steps": 20,
                                                  "end_learning_rate": 0.01, "power": 0.5}),
    "polynomial_cycle": ("polynomial_decay", {"learning_rate": 0.1, "decay_steps": 10, "end_learning_rate": 0.001,
                                              "power": 2.0, "cycle": True}),
    "piecewise_constant": ("piecewise_constant", {"boundaries": [5, 15, 25], "values": [1.0, 0.5, 0.1, 0.01]}),
    "piecewise_constant_one_boundary": ("piecewise_constant", {"boundaries": [10], "values": [0.3, 0.2]}),
    "inverse_time": ("inverse_time_decay", {"learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5}),
    "inverse_time_staircase": ("inverse_time_decay", {"learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5,
                                                      "staircase": True}),
    "natural_exp": ("natural_exp_decay", {"learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5}),
    "natural_exp_staircase": ("natural_exp_decay", {"learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5,
                                                    "staircase": True}),
    "cosine": ("cosine_decay", {"learning_rate": 0.1, "decay_steps": 30}),
    "cosine_alpha": ("cosine_decay", {"learning_rate": 0.1, "decay_steps": 30, "alpha": 0.1}),
    "cosine_restarts": ("cosine_decay_restarts", {"learning_rate": 0.1, "first_decay_steps": 10}),
    "cosine_restarts_t1_m": ("cosine_decay_restarts", {"learning_rate": 0.1, "first_decay_steps": 10,
                                                       "t_mul": 1.0, "m_mul": 0.5, "alpha": 0.05}),
    "linear_cosine": ("linear_cosine_decay", {"learning_rate": 0.1, "decay_steps": 30}),
    "linear_cosine_periods": ("linear_cosine_decay", {"learning_rate": 0.1, "decay_steps": 30, "num_periods": 2.0,
                                                      "alpha": 0.1, "beta": 0.01}),
    "noisy_linear_cosine_no_noise": ("noisy_linear_cosine_decay", {"learning_rate": 0.1, "decay_steps": 30,
                                                                   "initial_variance": 0.0}),
}

# moving averages: model/w (initial EMA_W0) and model/b (EMA_B0) are assigned EMA_VALUES[i] and its
# negation, then ema.apply([w, b]) runs, once per step
EMA_W0 = np.array([1.0, 2.0], np.float32)
EMA_B0 = np.array([0.5, -0.5], np.float32)
EMA_VALUES = [np.array([2.0, -1.0], np.float32), np.array([3.0, 0.5], np.float32),
              np.array([-1.0, 4.0], np.float32)]

EMA_CASES: dict[str, dict[str, Any]] = {
    "decay": {"args": {"decay": 0.9}},
    "num_updates": {"args": {"decay": 0.999}, "num_updates": True},
    "in_scope": {"args": {"decay": 0.5}, "variable_scope": "ema"},
    "named": {"args": {"decay": 0.75, "name": "Shadow"}},
    # a data-dependent init pass assigns new values after the initializers ran, before the first step
    "after_init_pass": {"args": {"decay": 0.9}, "init_pass": [np.array([5.0, 6.0], np.float32), np.array([-3.0, 1.0], np.float32)]},
}
