"""Interchange and analysis: JSON, iCalendar, frab/c3voc schedules, pandas frames, plots.

Programmes, exhibitions, broadcasts, chat logs and moderation policies go to and from
the ``mmso/1`` JSON format; programmes also to iCalendar and from and to frab/c3voc
schedules; frames and plots cover programmes, stands and the moderation audit log.

Each submodule imports its optional library lazily and raises
[`MissingExtraError`][mmso_core.MissingExtraError] naming the extra to install:

| module | extra | library |
|---|---|---|
| `mmso_core.io.json` | `json` | cattrs |
| `mmso_core.io.ical` | `ical` | icalendar |
| `mmso_core.io.frab` | (none) | the standard library |
| `mmso_core.io.frames` | `pandas` | pandas |
| `mmso_core.io.plots` | `plot` | matplotlib, pandas |

``pip install 'mmso_core[all]'`` installs every extra. Importing `mmso_core.io`
imports none of them.
"""

__all__: list[str] = []
