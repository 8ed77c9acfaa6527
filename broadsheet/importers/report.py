"""The report every importer gives at the end: counts and every failure with its place.

``created`` / ``updated`` / ``skipped`` count the items of the input (stories, pages, images…);
``failures`` are items that could not be imported; ``warnings`` are items that were imported
but changed on the way (an empty headline filled in, a duplicate slug renamed, a date before
1970…). ``counts`` tallies what was imported by kind (``"published posts"``, ``"categories"``,
``"approved comments"``…), so that an import can be checked against its source. ``parts``
gives the outcomes of what items hold but are not items themselves (a WordPress post's
comments), ``parts_in_input`` how many of each the input has: they add up the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Failure:
    """One item that could not be imported: where (``file:line`` or an item id) and why.
    ``item`` is false for a failure that is not an input item (a category, the file)."""

    place: str
    reason: str
    item: bool = True

    def __str__(self) -> str:
        return f"{self.place}: {self.reason}"


#: The note of an import that created sections (kept out of the navigation).
SECTIONS_NOT_IN_MENUS = (
    "New sections are not in the site's navigation. To put one there: admin → Pages → the "
    'section → Edit → Promote tab → tick "Show in menus" → Publish.'
)


@dataclass
class ImportReport:
    """Counts of created / updated / skipped items, failures, warnings and counts by kind."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    items: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    parts: dict[str, Counter[str]] = field(default_factory=dict)
    parts_in_input: Counter[str] = field(default_factory=Counter)

    PART_OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")

    def part(self, kind: str, outcome: str, n: int = 1) -> None:
        """Record the outcome (one of :attr:`PART_OUTCOMES`) of ``n`` parts of ``kind``
        (``"comments"``)."""
        if outcome not in self.PART_OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        self.parts.setdefault(kind, Counter())[outcome] += n

    @property
    def failed(self) -> int:
        return len(self.failures)

    def fail(self, place: str, reason: str, item: bool = True) -> None:
        """Record an item that was not imported (``item=False``: something that is not one of
        the input's items, such as a category, failed)."""
        self.failures.append(Failure(place, reason, item))

    @property
    def accounted(self) -> int:
        """Items with an outcome: created + updated + unchanged + skipped + failed items. Equal
        to ``sum(items.values())`` when every item of the input was accounted for."""
        failed_items = sum(1 for f in self.failures if f.item)
        return self.created + self.updated + self.unchanged + self.skipped + failed_items

    def warn(self, place: str, reason: str) -> None:
        """Record an item that was imported with a change or a doubt worth an editor's look."""
        self.warnings.append(Failure(place, reason))

    def note(self, text: str) -> None:
        """Record advice for the editor about the whole import (printed after the summary);
        the same note is kept once."""
        if text not in self.notes:
            self.notes.append(text)

    def count(self, kind: str, n: int = 1) -> None:
        """Add ``n`` to the tally of ``kind`` (e.g. ``"tags"``)."""
        self.counts[kind] += n

    def uncount(self, kinds: Iterable[str]) -> None:
        """Take back one of each of ``kinds`` (an item counted before it failed to write);
        a tally that reaches 0 is dropped."""
        self.counts.subtract(kinds)
        for kind in [k for k, n in self.counts.items() if n <= 0]:
            del self.counts[kind]

    def saved(self, created: bool) -> None:
        """Count one item as created or updated."""
        if created:
            self.created += 1
        else:
            self.updated += 1

    def summary(self) -> str:
        """One line: ``created 3, updated 1, skipped 0, failed 1`` (then warnings, the counts by
        kind and the notes, when there are any)."""
        line = f"created {self.created}, updated {self.updated}, "
        if self.unchanged:
            line += f"unchanged {self.unchanged}, "
        line += f"skipped {self.skipped}, failed {self.failed}"
        if self.warnings:
            line += f", warnings {len(self.warnings)}"
        if self.items:
            total = sum(self.items.values())
            by_type = ", ".join(f"{k} {v}" for k, v in sorted(self.items.items()))
            line += f"\nitems in the input: {total} ({by_type})"
            if self.accounted != total:
                line += f"; {total - self.accounted} without an outcome"
        for kind, total in sorted(self.parts_in_input.items()):
            outcomes = self.parts.get(kind, Counter())
            shown = ", ".join(f"{o} {outcomes[o]}" for o in self.PART_OUTCOMES if outcomes[o])
            line += f"\n{kind} in the input: {total} ({shown or 'none imported'})"
            if sum(outcomes.values()) != total:
                line += f"; {total - sum(outcomes.values())} without an outcome"
        if self.counts:
            line += "\n" + ", ".join(f"{k}: {v}" for k, v in sorted(self.counts.items()))
        for text in self.notes:
            line += "\n" + text
        return line
