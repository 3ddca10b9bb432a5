"""Approximate parameter intervals of the fit (`corredor.calibration.uncertainty`): the linearised least-squares
covariance on cases with a known answer."""

from __future__ import annotations

import numpy as np

from corredor.calibration.uncertainty import unit_standard_errors


def test_standard_errors_are_the_least_squares_covariance():
    rng = np.random.default_rng(3)
    jacobian = rng.normal(size=(30, 3))
    residuals = 0.1 * rng.normal(size=30)
    covariance = residuals @ residuals / (30 - 3) * np.linalg.inv(jacobian.T @ jacobian)
    assert np.allclose(unit_standard_errors(residuals, jacobian), np.sqrt(np.diag(covariance)))


def test_a_parameter_the_targets_do_not_feel_has_no_bound():
    rng = np.random.default_rng(4)
    jacobian = rng.normal(size=(20, 3))
    residuals = 0.1 * rng.normal(size=20)
    jacobian[:, 2] = 0.0  # moving the third parameter changes no target
    errors = unit_standard_errors(residuals, jacobian)
    assert np.isinf(errors[2]) and np.isfinite(errors[:2]).all()
    jacobian[:, 2] = 2.0 * jacobian[:, 1]  # the third moves the targets exactly as the second: only their mix is known
    errors = unit_standard_errors(residuals, jacobian)
    assert np.isinf(errors[1:]).all() and np.isfinite(errors[0])


def test_no_interval_without_more_targets_than_parameters():
    assert np.isnan(unit_standard_errors(np.ones(3), np.eye(3))).all()
