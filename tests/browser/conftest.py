"""Browser tests drive Chromium through Playwright's sync API against `live_server`."""

import os

# Playwright's sync API keeps an asyncio loop running in the main thread for the rest of
# the session, and Django refuses ORM calls from a thread with a running loop. The test
# code and its fixtures (including pytest-django's database flush) are synchronous, so
# the check is switched off for the session.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
