"""Work off the event loop, the one way: a thread worker that answers with a message.

Reading or writing the store parses and writes JSON files and may wait up to
the lock timeout for another window, and computing the history's figures
takes a while, so no screen does either on Textual's event loop (a frozen
countdown, keys that do nothing). Instead::

    store_call(self, "library-load", lambda: store.list_routines(), self._show_routines)

runs the call in a thread worker (``exclusive`` per ``group``: a newer call
of the same group supersedes an older one, whose answer is dropped) and
posts back to ``self`` what happened: :class:`WorkDone` (it returned) or
:class:`WorkFailed` (it raised). Their handlers (:class:`HandlesReplies`:
the screens' base classes, the app and widgets that call) run ``done(result)``
or ``failed(exc)`` on the event loop; ``failed`` is by default the usual
one-line error toast, never a traceback. Writes go the same way through the
app's one writer thread, in order (:func:`store_write`); :func:`poster` turns
a callback into one any thread may call. Following Textual's guidance for
thread workers, nothing but the store (and pure computation) is touched in
the thread, and the answer comes back through ``post_message`` (thread-safe,
and it never blocks the worker the way ``call_from_thread`` would when the
app is closing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker


class Reply(Message, bubble=False):
    """What became of work done off the event loop; ``deliver`` runs its callback on the loop."""

    def __init__(self, callback: Callable[[Any], object], value: Any) -> None:
        super().__init__()
        self.callback = callback
        self.value = value

    def deliver(self) -> None:
        self.callback(self.value)


class WorkDone(Reply):
    """The work returned; ``value`` is its result."""


class WorkFailed(Reply):
    """The work raised; ``value`` is the exception."""


class HandlesReplies:
    """Mixin for a node that calls :func:`store_call` / :func:`store_write`: delivers their replies."""

    def on_work_done(self, message: WorkDone) -> None:
        handle_reply(message)

    def on_work_failed(self, message: WorkFailed) -> None:
        handle_reply(message)


def report_error(node: Any) -> Callable[[BaseException], None]:
    """The default ``failed``: the store's message as a one-line error toast."""

    def failed(exc: BaseException) -> None:
        node.app.notify(str(exc) or type(exc).__name__, markup=False, severity="error", timeout=10)

    return failed


def store_call(
    node: Any,
    group: str,
    call: Callable[[], Any],
    done: Callable[[Any], object] | None = None,
    failed: Callable[[BaseException], object] | None = None,
    *,
    exclusive: bool = True,
) -> Worker[None]:
    """Run ``call()`` in a thread worker of ``node``; ``done(result)`` / ``failed(exc)`` run on the event loop.

    ``node`` must handle the replies (:class:`HandlesReplies`: ``AppScreen``,
    ``AppModalScreen`` and the app do). When ``node`` is gone by the time the call returns, the
    answer is dropped (a write has still happened).
    """
    on_done = done or (lambda _value: None)
    on_failed = failed or report_error(node)
    pump: MessagePump = node

    def work() -> None:
        try:
            value = call()
        except Exception as exc:  # StoreError, StoreLocked, OSError...: a toast, never a traceback
            reply: Reply = WorkFailed(on_failed, exc)
        else:
            reply = WorkDone(on_done, value)
        if not get_current_worker().is_cancelled:
            pump.post_message(reply)

    return node.run_worker(work, name=group, group=group, thread=True, exclusive=exclusive, exit_on_error=False)


def handle_reply(message: Reply) -> None:
    """What every reply handler does: run the callback on the event loop."""
    message.stop()
    message.deliver()


def store_write(
    node: Any,
    call: Callable[[], Any],
    done: Callable[[Any], object] | None = None,
    failed: Callable[[BaseException], object] | None = None,
) -> None:
    """Run the store write ``call()`` on the app's one writer thread (in order with every other write).

    ``done(result)`` / ``failed(exc)`` run on the event loop, posted to
    ``node`` like :func:`store_call`'s answers.
    """
    on_done = done or (lambda _value: None)
    on_failed = failed or report_error(node)
    pump: MessagePump = node
    node.app.writer.submit(
        call,
        done=lambda value: pump.post_message(WorkDone(on_done, value)),
        failed=lambda exc: pump.post_message(WorkFailed(on_failed, exc)),
    )


def poster(node: Any, callback: Callable[[Any], object]) -> Callable[[Any], None]:
    """``callback`` made callable from any thread: it runs on the event loop, via ``node``'s messages."""
    pump: MessagePump = node

    def post(value: Any) -> None:
        pump.post_message(WorkDone(callback, value))

    return post
