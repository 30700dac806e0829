"""Group commit: applications submitted at the same time share one transaction.

SQLite has one writer and PostgreSQL pays a commit per transaction: when many applicants
submit at once, each waiting for its own transaction makes the queue, not the work, the
cost. Requests hand their submission to ``GroupCommit`` and wait for their own receipt;
whatever arrived meanwhile is stored together by ``submit_applications`` (one refused or
failing submission still costs only itself, and gets its own error back).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator

from opentelemetry import context as otel_context

from intake.service_layer.applications import Receipt, Submission, submit_applications
from intake.service_layer.commands import IdempotencyKey, SubmitApplication
from intake.service_layer.context import Context
from intake.service_layer.ports import UnitOfWork

MAX_BATCH = 64


class GroupCommit:
    """Submissions queued while a batch is being stored go together in the next one."""

    def __init__(
        self,
        open_uow: Callable[[], UnitOfWork],
        context: Callable[[], Context],
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._open_uow, self._context, self._max = open_uow, context, max_batch
        self._waiting: list[tuple[Submission, asyncio.Future[Receipt]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def submit(self, cmd: SubmitApplication, idem: IdempotencyKey | None) -> Receipt:
        """The receipt of this submission once its batch committed (or its own error)."""
        future: asyncio.Future[Receipt] = asyncio.get_running_loop().create_future()
        item = Submission(cmd, idem, _in_context(otel_context.get_current()))
        self._waiting.append((item, future))
        if self._worker is None or self._worker.done():
            # not the request's own task: a client that goes away must not stop the others
            self._worker = asyncio.create_task(self._drain(), name="intake-group-commit")
        return await future  # a request cancelled meanwhile: its application is kept

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._max], self._waiting[self._max :]
            try:
                results = await submit_applications(
                    [item for item, _ in batch], self._open_uow, self._context()
                )
            except BaseException as error:  # never leave a request waiting
                for _, future in [*batch, *self._waiting]:
                    if future.done():
                        continue
                    if isinstance(error, asyncio.CancelledError):
                        future.cancel()
                    else:
                        future.set_exception(error)
                self._waiting = []
                raise
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)


def _in_context(ctx: otel_context.Context) -> Callable[[], contextlib.AbstractContextManager[None]]:
    """Stage a submission in its request's trace, though another task stores it."""

    @contextlib.contextmanager
    def traced() -> Iterator[None]:
        token = otel_context.attach(ctx)
        try:
            yield
        finally:
            otel_context.detach(token)

    return traced
