"""Web mode (``stretchtui serve``): who may talk to the server, and the page.

:mod:`stretchtui.web.guard` holds the checks (secret token, Host, Origin) and
the aiohttp middleware that applies them; ``templates/app_index.html`` is the
page, which loads nothing from outside the server. Both need the ``web`` extra
(aiohttp comes with textual-serve); nothing here is imported by the other
commands.
"""
