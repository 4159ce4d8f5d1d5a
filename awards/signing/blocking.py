"""pyHanko's synchronous calls (sign_pdf, validate_pdf_signature) run its coroutines with asyncio.run(), which
refuses to start inside a thread whose event loop is already running (an async server, or a Playwright session of
the test suite in the same worker). There they run on a short-lived thread of their own; elsewhere, directly."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def call(function, /, *args, **kwargs):
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop running here: the usual case (gunicorn's sync workers, the CLI)
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(function, *args, **kwargs).result()
