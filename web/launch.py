"""The ``migsearch`` executable: ``search`` and ``stats`` the quick way (no Flask), the rest through Flask.

See ``web.quick_cli`` for why and how the two groups share their commands.
"""

from __future__ import annotations

import os
import sys

from web.quick_cli import QUICK_COMMANDS, quick


def quick_command(argv: list[str]) -> str | None:
    """The command of ``argv`` when it can run without Flask: ``[--data-dir DIR] search|stats ...``."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--data-dir" and index + 1 < len(argv):
            index += 2
        elif word.startswith("--data-dir="):
            index += 1
        else:
            return word if word in QUICK_COMMANDS else None
    return None


def launch() -> None:
    """The ``migsearch`` executable: the quick group for ``search`` and ``stats``, else the Flask group."""
    argv = sys.argv[1:]
    if quick_command(argv):
        # numpy's OpenBLAS starts a thread per core when imported; a search never multiplies matrices
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        quick.main(args=argv, prog_name="migsearch")
        return
    from web.cli import main

    main()
