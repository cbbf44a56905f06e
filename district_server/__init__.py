"""The upper-level server: enrollment, push/pull of dossier events, the merged view, the status page.

Imports only ``counter_app.domain`` and ``counter_app.wire`` from the counter package, so the same
lifecycle rules decide what a dossier is on both sides.
"""
