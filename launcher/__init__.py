"""Starts, supervises and stops the assistant's processes (make run, end-to-end tests)."""
