"""The smallest group whose figures the product shows separately.

Any statistic about fewer than ``MIN_GROUP_SIZE`` people (an actor type's answers
in an assessment round, its votes on a canvas) is withheld, so that no member can
be singled out from a breakdown. Three is the usual minimum cell size for
aggregate reporting of small populations; every tool uses this one constant.
"""

from __future__ import annotations

MIN_GROUP_SIZE = 3
