"""Fast paths over stock Whoosh (analysis, codec, writer, vectorized matching), each proven equal to Whoosh.

They reach into Whoosh's internals (codec writers, matcher classes, posting formats), so they are tied
to the Whoosh release they were written and tested against: importing them checks it.
"""

from __future__ import annotations

import whoosh

#: The Whoosh release (whoosh-reloaded) the fast paths were written against and tested equal to.
SUPPORTED_WHOOSH = (2, 7, 5)


class UnsupportedWhoosh(RuntimeError):
    """The installed Whoosh is not the release the fast paths were written against."""


def check_whoosh_version(found: tuple[int, ...]) -> None:
    """Raise ``UnsupportedWhoosh`` with what to do when ``found`` is not ``SUPPORTED_WHOOSH``."""
    if tuple(found[:3]) != SUPPORTED_WHOOSH:
        wanted = ".".join(map(str, SUPPORTED_WHOOSH))
        raise UnsupportedWhoosh(
            f"migsearch's fast index paths (index/engine/accel) were written against Whoosh {wanted} and "
            f"Whoosh {'.'.join(map(str, found))} is installed. Install the tested release with "
            f"`pip install 'whoosh-reloaded=={wanted}'` (as pyproject.toml pins it); to move to another "
            f"release, run tests/test_fast_*.py and tests/test_vectorized.py against it and then update "
            f"SUPPORTED_WHOOSH in index/engine/accel/__init__.py."
        )


check_whoosh_version(tuple(whoosh.__version__))
