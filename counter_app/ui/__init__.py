"""The counter window (PySide6). Qt is imported through :mod:`counter_app.ui.qt` only; no SQL here."""
