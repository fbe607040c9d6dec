"""Exit codes of the ``migsearch`` commands, one meaning each (documented in the README).

A script can tell "some inputs failed" (worth a look, the rest is stored) from "another writer is
busy" (try again later) from a usage mistake, a damaged index (run the repair) or a failed writer.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import sqlite3
import sys
from collections.abc import Iterator

import click

LOGGER = logging.getLogger(__name__)

OK = 0
#: Some inputs failed (each reported with its reason); the others were stored and indexed.
INPUTS_FAILED = 1
#: The command line was wrong (click's own code for usage errors).
USAGE = 2
#: Another writer holds the data directory's write lock; nothing was changed.
WRITER_BUSY = 3
#: The index is missing, corrupt or outdated; the message names the repairing command.
INDEX_DAMAGED = 4
#: The writer failed (disk full, unreadable store row, an indexing process died...); it stopped its
#: processes and kept what it had committed; the message says what happened.
WRITER_FAILED = 5
#: Stopped by Ctrl-C (128 + SIGINT) or SIGTERM (128 + SIGTERM).
INTERRUPTED = 130
TERMINATED = 143

CODES = {
    OK: "success",
    INPUTS_FAILED: "some inputs failed (each is listed with its reason); the others were kept",
    USAGE: "usage error (unknown option, bad value)",
    WRITER_BUSY: "another writer is using the data directory; nothing was changed",
    INDEX_DAMAGED: "the index is missing, corrupt or outdated; run the command the message names",
    WRITER_FAILED: "the writer failed (e.g. disk full); what was committed is kept",
    INTERRUPTED: "stopped by Ctrl-C",
    TERMINATED: "stopped by SIGTERM",
}


def fail(message: str, code: int) -> None:
    """Print ``Error: message`` on stderr and exit with ``code``."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@contextlib.contextmanager
def writer_errors() -> Iterator[None]:
    """Run a writing command: SIGTERM and Ctrl-C stop it cleanly, and every failure exits with its
    own code and a clear message (never a traceback, never a hang)."""
    from index.engine.integrity import IndexDamaged
    from index.engine.lock import WriterBusy
    from index.processes import Interrupted, raise_on_termination, restore_handlers

    previous = raise_on_termination()
    try:
        yield
    except WriterBusy as exc:
        fail(str(exc), WRITER_BUSY)
    except IndexDamaged as exc:
        fail(str(exc), INDEX_DAMAGED)
    except Interrupted as exc:
        click.echo(f"\n{exc}: uncommitted work was cancelled; run the command again to continue", err=True)
        sys.exit(TERMINATED if exc.signum == 15 else INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("\nstopped: uncommitted work was cancelled; run the command again to continue", err=True)
        sys.exit(INTERRUPTED)
    except OSError as exc:
        LOGGER.debug("writer failed", exc_info=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            fail(f"the disk is full ({exc.strerror}); free some space and run the command again", WRITER_FAILED)
        fail(f"{exc.__class__.__name__}: {exc}", WRITER_FAILED)
    except (click.exceptions.Exit, click.exceptions.ClickException, click.exceptions.Abort):
        raise  # click's own exits and usage errors keep their codes
    except sqlite3.OperationalError as exc:
        LOGGER.debug("writer failed", exc_info=True)
        if "full" in str(exc):
            fail(f"the disk is full ({exc}); free some space and run the command again", WRITER_FAILED)
        fail(f"the store could not be written ({exc})", WRITER_FAILED)
    except Exception as exc:  # noqa: BLE001 - any other failure: a clear message, never a traceback
        LOGGER.debug("writer failed", exc_info=True)
        fail(f"{exc.__class__.__name__}: {exc}", WRITER_FAILED)
    finally:
        restore_handlers(previous)
