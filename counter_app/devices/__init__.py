"""Hardware the counter talks to directly (serial QR scanners): plain threads, no Qt, no SQL.

Sits beside sync/: the UI wraps these in a Qt bridge, services only store their settings.
"""
