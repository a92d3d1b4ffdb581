"""The rules of credentials, in pure Python: no AWS, no HTTP."""
