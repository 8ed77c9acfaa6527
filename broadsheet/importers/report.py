"""The report every importer gives at the end: counts and every failure with its place."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Failure:
    """One item that could not be imported: where (``file:line`` or an item id) and why."""

    place: str
    reason: str

    def __str__(self) -> str:
        return f"{self.place}: {self.reason}"


@dataclass
class ImportReport:
    """Counts of created / updated / skipped items and the list of failures."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def fail(self, place: str, reason: str) -> None:
        self.failures.append(Failure(place, reason))

    def summary(self) -> str:
        """One line: ``created 3, updated 1, skipped 0, failed 1``."""
        return (
            f"created {self.created}, updated {self.updated}, skipped {self.skipped}, "
            f"failed {self.failed}"
        )
