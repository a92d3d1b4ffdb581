"""One place that maps domain errors to HTTP statuses."""

from credentials_service import errors

STATUS_BY_ERROR: dict[type[errors.CredentialsError], int] = {
    errors.InvalidRequest: 400,
    errors.Unauthenticated: 401,
    errors.MissingScope: 403,
    errors.Forbidden: 403,
    errors.CredentialNotFound: 404,
    errors.CredentialLimitReached: 409,
    errors.LastActiveCredential: 409,
    errors.InvalidStateChange: 409,
    errors.ConcurrentUpdate: 409,
    errors.PayloadTooLarge: 413,
    errors.Throttled: 429,
    errors.DependencyUnavailable: 503,
}


def status_of(error: errors.CredentialsError) -> int:
    if isinstance(error, errors.RequestRejected):
        return error.status
    for error_type in type(error).__mro__:
        if error_type in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[error_type]
    return 500
