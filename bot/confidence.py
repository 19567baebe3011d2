"""Confidence: how sure an answer is, from its coverage and similarity.

``raw = coverage ** coverage_power * strength`` where ``strength`` grows with
the similarity (``1 - exp(-similarity / strength_scale)``, floored at
``strength_floor``), and ``confidence = raw ** calibration``, a power chosen so
that 0.5 is the cut that best separates right answers from out-of-scope
questions on our question sets (``tests/data/``): ``log(0.5) / log(calibration_cut)``,
where that cut falls at raw 0.35. The values named here are fields of
:class:`bot.tuning.Tuning` (``calibration`` is its property); :mod:`bot.decision` describes how the
coverage and similarity are found.
"""
from __future__ import annotations

import numpy as np

from .tuning import DEFAULT_TUNING, Tuning


def confidence(coverage: float, similarity: float, tuning: Tuning = DEFAULT_TUNING) -> float:
    """Calibrated confidence from coverage and similarity (see the module docstring)."""
    return float(confidences(np.array([coverage]), np.array([similarity]), tuning)[0])


def confidences(coverage: np.ndarray, similarity: np.ndarray, tuning: Tuning = DEFAULT_TUNING) -> np.ndarray:
    """:func:`confidence` for arrays."""
    t = tuning
    strength = t.strength_floor + (1 - t.strength_floor) * (1 - np.exp(-similarity / t.strength_scale))
    raw = coverage ** t.coverage_power * strength
    return np.minimum(np.maximum(raw, 0.0), 1.0) ** t.calibration  # np.clip's wrapper costs more than both
