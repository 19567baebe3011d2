"""Helpers for the browser tests (tests/test_browser.py): real servers and a hostile host page."""
