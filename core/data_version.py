"""One number that changes whenever the app's data does: what cached pages are keyed by.

Every commit of the app's session that wrote a row (a flushed object, or an
INSERT/UPDATE/DELETE statement run through the session) adds one to
``data_version.version`` in the same transaction, as its last statement. So a
page rendered while the number was N shows the data of version N, in every
process (web workers and background workers share the database), and a reader
learns the number with the statement it already runs for its session
(``core.accounts.sessions``) — no statement of its own.

The bump happens at commit, not at each flush: the row is locked only from
then until the commit ends, after every other lock the transaction takes, so
concurrent writers queue on it briefly but never deadlock on it.

Models whose changes no cached page shows set ``data_version_exempt = True``
(a session's once-a-minute "last seen" stamp would otherwise invalidate every
page once a minute per signed-in user). A statement given as text, which
names no model, always counts as a write unless it is a SELECT.

Writes that bypass the app's session (``db.engine.connect()``, Alembic, the
embedded broker's own tables) are not counted: they are schema changes, test
set-up and the broker, none of which a page shows.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Generic, TypeVar

from cachetools import LRUCache
from flask import g, has_request_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import BigInteger, TextClause, event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, ORMExecuteState, SessionTransaction, mapped_column
from sqlalchemy.orm import Session as OrmSession

from core.extensions import db

_WROTE = "data_version_wrote"  # Session.info key: this transaction wrote a counted row
ROW_ID = 1
T = TypeVar("T")
UNKNOWN = object()  # no version was read in this request


class DataVersion(db.Model):
    """A single row (id 1): the count of committed writes, for cache keys only."""

    __tablename__ = "data_version"
    data_version_exempt = True

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def version_column() -> Any:
    """A scalar subquery for the current version (NULL before the first counted write)."""
    return select(DataVersion.version).where(DataVersion.id == ROW_ID).scalar_subquery().label("data_version")


def current_version() -> int | None:
    """The committed version as this transaction sees it (a statement; pages read it with the session)."""
    return db.session.scalar(select(DataVersion.version).where(DataVersion.id == ROW_ID))


def request_version() -> Any:
    """The version read with this request's session row, or ``UNKNOWN``.

    ``UNKNOWN`` also after this request committed a counted write (the version it read is past).
    """
    if not has_request_context():
        return UNKNOWN
    return g.get("_data_version", UNKNOWN)


class VersionedMemo(Generic[T]):
    """Values computed once per data version and key, in this process (LRU of ``size`` entries).

    For facts read on every request that only a write changes (e.g. a consultant's
    access grants): ``get(key, compute)`` runs ``compute()`` when the request's
    version is unknown or nothing is stored under (version, key).
    """

    def __init__(self, size: int) -> None:
        self._values: LRUCache[tuple, T] = LRUCache(maxsize=size)
        self._lock = threading.Lock()
        _MEMOS.append(self)

    def get(self, key: tuple, compute: Callable[[], T]) -> T:
        version = request_version()
        if version is UNKNOWN:
            return compute()
        with self._lock:
            found = self._values.get((version, *key), UNKNOWN)
        if found is not UNKNOWN:
            return found  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self._values[(version, *key)] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_MEMOS: list[VersionedMemo[Any]] = []


def forget_memos() -> None:
    """Empty every ``VersionedMemo`` of this process (tests empty the database, and versions restart)."""
    for memo in _MEMOS:
        memo.clear()


def _counts(obj_or_class: Any) -> bool:
    return not getattr(obj_or_class, "data_version_exempt", False)


@event.listens_for(AppSession, "after_flush")
def _note_flushed_writes(session: OrmSession, _context: Any) -> None:
    if session.info.get(_WROTE):
        return
    if any(_counts(obj) for obj in session.new) or any(_counts(obj) for obj in session.deleted) or any(
        _counts(obj) and session.is_modified(obj) for obj in session.dirty
    ):
        session.info[_WROTE] = True


@event.listens_for(AppSession, "do_orm_execute")
def _note_statement_writes(state: ORMExecuteState) -> None:
    if state.session.info.get(_WROTE) or state.is_select:
        return
    statement = state.statement
    if isinstance(statement, TextClause):
        if statement.text.lstrip()[:6].upper() in ("SELECT", "PRAGMA"):
            return
    elif state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is not None and not _counts(mapper.class_):
            return
    else:
        return
    state.session.info[_WROTE] = True


@event.listens_for(AppSession, "before_commit")
def _bump_before_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT: the outer commit counts it
    session.flush()  # the commit's own flush comes after this hook: count its writes too
    if session.info.pop(_WROTE, False):
        bump(session)
        if has_request_context():
            g.pop("_data_version", None)  # what this request read before its write is past


@event.listens_for(AppSession, "after_transaction_end")
def _forget_when_transaction_ends(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost: committed (counted above) or rolled back
        session.info.pop(_WROTE, None)


def bump(session: OrmSession) -> None:
    """Add one to the version inside the session's transaction (creating the row if missing)."""
    connection = session.connection()
    table = DataVersion.__table__
    dialect = connection.dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        connection.execute(
            insert.values(id=ROW_ID, version=1).on_conflict_do_update(
                index_elements=[table.c.id], set_={"version": table.c.version + 1}
            )
        )
    else:
        connection.execute(update(table).where(table.c.id == ROW_ID).values(version=table.c.version + 1))
