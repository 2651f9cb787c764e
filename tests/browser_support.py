"""How the browser tests (marker e2e) are shared out between the groups ``make test`` runs side by side."""

from __future__ import annotations

from collections.abc import Mapping

BROWSER_GROUPS = 2


def browser_groups(seconds: Mapping[str, float], groups: int = BROWSER_GROUPS) -> dict[str, int]:
    """The group (0 to ``groups`` - 1) of each test, by its length in seconds: the longest test goes first,
    each to the group with the fewest seconds yet. The suite is as quick as its slowest group, so a group's
    length is what to balance; this greedy sharing leaves no two groups apart by more than the shortest test.
    """
    lengths = [0.0] * groups
    group_of: dict[str, int] = {}
    for test, length in sorted(seconds.items(), key=lambda pair: (-pair[1], pair[0])):
        group = lengths.index(min(lengths))
        lengths[group] += length
        group_of[test] = group
    return group_of
