"""The operator's Basic credentials, from an SSM SecureString, cached by Powertools Parameters."""

from credentials_service.auth.operator import OperatorCredentialsReader, parse_operator_credentials

CACHE_SECONDS = 300


def ssm_operator_credentials(parameter_name: str) -> OperatorCredentialsReader:
    def read() -> tuple[str, str] | None:
        # Imported on first Basic request only: key+secret requests never pay for it.
        from aws_lambda_powertools.utilities import parameters

        try:
            value = parameters.get_parameter(parameter_name, decrypt=True, max_age=CACHE_SECONDS)
        except parameters.exceptions.GetParameterError:
            return None  # not configured (or unreadable): no operator can log in
        return parse_operator_credentials(str(value))

    return read
