"""Verifying the audit chain: every link, then the checkpoints kept outside the database."""

from __future__ import annotations

from dataclasses import dataclass

from earlyhelp.audit import checkpoints
from earlyhelp.audit.chain import Walk, walk
from earlyhelp.audit.models import AuditEvent


@dataclass(frozen=True)
class Verification:
    """The chain walked and compared with the checkpoints kept outside the database."""

    walk: Walk
    checkpoints_matched: int
    lost_in_restore: int
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.walk.broken is None and self.problem is None


def verify_chain(*, assume_restored: bool = False) -> Verification:
    """Walk the chain, then hold it against every checkpoint.

    ``assume_restored`` treats the database as just restored from backup (as a *restored*
    line written now would): checkpoints beyond its head are lost, not deleted.
    """
    chain = walk(AuditEvent.objects.order_by("seq").iterator(chunk_size=5000))
    if chain.broken is not None:
        return Verification(chain, 0, 0, None)
    try:
        recorded = checkpoints.read_all()
    except checkpoints.DamagedCheckpoint as exc:
        return Verification(chain, 0, 0, str(exc))
    restore_line, restored_at = _last_restore(recorded, chain, assume_restored)
    hashes = dict(
        AuditEvent.objects.filter(seq__in={c.seq for c in recorded}).values_list("seq", "hash")
    )
    matched = lost = 0
    for checkpoint in recorded:
        if checkpoint.line < restore_line and checkpoint.seq > restored_at:
            lost += 1
            continue
        problem = _against(checkpoint, chain, hashes)
        if problem is not None:
            return Verification(chain, matched, lost, problem)
        matched += 1
    return Verification(chain, matched, lost, None)


def _against(checkpoint: checkpoints.Checkpoint, chain: Walk, hashes: dict[int, str]) -> str | None:
    when = checkpoint.at.isoformat(timespec="minutes")
    if checkpoint.seq > chain.head_seq:
        return (
            f"the chain ends at sequence number {chain.head_seq}, but the checkpoint of {when} "
            f"recorded {checkpoint.seq} events: the newest events have been deleted"
        )
    if checkpoint.seq and hashes.get(checkpoint.seq) != checkpoint.head:
        return (
            f"event {checkpoint.seq} is not the one checkpointed at {when}: the chain has been "
            "rewritten"
        )
    return None


def _last_restore(
    recorded: list[checkpoints.Checkpoint], chain: Walk, assume_restored: bool
) -> tuple[int, int]:
    """The line and head of the latest restore from backup (0, 0 when there was none)."""
    if assume_restored:
        return len(recorded) + 1, chain.head_seq
    markers = [c for c in recorded if c.kind == checkpoints.RESTORED]
    return (markers[-1].line, markers[-1].seq) if markers else (0, 0)
