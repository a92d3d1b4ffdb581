"""What every HTTP handler shares: resolver, envelope, error mapping, principal and scope checks."""
