"""Uploaded files: the checks every upload passes (size, type by content), safe display names, random storage names,
the multi-file form field, and serving a stored file after the caller's own access check.

A mechanism: imports no app of Kopdes. Which object a file belongs to, and who may read it, is the caller's business.
"""
