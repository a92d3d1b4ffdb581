"""What the authorizer needs: header parsing, key+secret and operator authentication, the policy.

Kept free of pydantic and Powertools' event handler so the authorizer starts fast.
"""
