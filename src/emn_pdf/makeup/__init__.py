"""Page makeup: where each module of the newsletter goes on the page grid.

Designers do not let articles run on like a newspaper: they place each one as
a module on the grid, whole, and adjust spacing and picture heights until the
columns end level.  This package does that.  What enters is the flow HTML a
layout's templates wrote; what leaves is the paged HTML (one box per page,
each module at its place) and the placement it decided (:class:`MadeUp`).

The engine measures (:mod:`.html` writes the probe and the galley,
:mod:`.measure` reads them, :mod:`.wishes` says what each module may take);
the placement itself (:func:`place`) is pure arithmetic on those measures, in
four layers, each deciding by the costs of :mod:`.cost`: the search over
wishes (:mod:`.search`), the pages built in reading order (:mod:`.pages`,
weighing :mod:`.alternatives`), a run's columns by a dynamic programme
(:mod:`.columns`), a column filled greedily (:mod:`.fill`); then the pages
are stretched and read off (:mod:`.finish`).  ``README.md`` here says how to
change it.
"""

from .cost import WEIGHTS, Weights
from .pipeline import MadeUp, Measured, make_up
from .search import CHANGE_KINDS, place
from .textcolumns import Break, flow_height
from .types import Grid, Measure, Module, Note, Placed, Placement

__all__ = [
    "CHANGE_KINDS",
    "WEIGHTS",
    "Break",
    "Grid",
    "MadeUp",
    "Measure",
    "Measured",
    "Module",
    "Note",
    "Placed",
    "Placement",
    "Weights",
    "flow_height",
    "make_up",
    "place",
]
