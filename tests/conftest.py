"""Shared test configuration: Hypothesis profiles chosen by an environment variable.

``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) runs more examples, derandomised so a
CI run is reproducible; ``dev`` (the default) is quick.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=40, deadline=None)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
