"""pydantic v2 models of what crosses the wire. Validation messages are the API's 400 messages.

One module per endpoint (plus what they share), so that a function builds only the models it uses:
pydantic builds a model's validator and serializer when its class is defined, 1-3 ms each.
"""
