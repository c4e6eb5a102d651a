"""The HTTP API: our resources under /api/v1/, an OSDI view under /api/osdi/v1/, the schema and its docs."""
