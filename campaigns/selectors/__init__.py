"""Reads: queries and read-only views of the domain, shaped for views, API and commands."""
