"""A function's cold start: load its module without the garbage collector's passes.

Loading a handler (Powertools, pydantic, botocore's service model, our modules) creates a few hundred
thousand objects that all live as long as the Lambda environment. With the collector on, Python
scans them again and again while they are created and frees nothing: measured, that is about
40 ms of the authorizer's 230 ms init (docs/performance.md). So each handler module loads inside
`loading()`, which pauses the collector, then freezes what the init created (moves it out of the
collector's reach, so the first invocations do not pay for one big scan of it instead) and turns the
collector back on for what the invocations create.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
