"""The staff console at /admin: accounts, sessions, CSRF, audit and undo, and the pages.

`console.routes.console_routers()` is what the gateway mounts; see PLAN's "Console
contract" and the README's "Staff console".
"""
