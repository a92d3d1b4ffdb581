"""What each endpoint does: domain rules plus repository calls, no HTTP."""
