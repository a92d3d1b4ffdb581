"""pydantic v2 models of what crosses the wire. Validation messages are the API's 400 messages."""
