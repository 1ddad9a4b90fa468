"""Test helpers for code that uses `mmso_core` (install ``mmso_core[testing]``).

``mmso_core.testing.strategies`` holds the Hypothesis strategies; importing this
package alone does not import Hypothesis.
"""

__all__: list[str] = []
