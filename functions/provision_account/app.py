"""EventBridge AccountCreated: the account's record and default credential, once per account.

The result (with the default credential's secret) goes only to the KMS-encrypted OnSuccess queue
declared in template.yaml; it is never logged.
"""

from credentials_service.startup import loading

# Everything this module loads and creates, without the GC's passes (see credentials_service/startup.py).
with loading():
    from aws_lambda_powertools.metrics import MetricUnit

    from credentials_service.models.create import CreatedCredentialView
    from credentials_service.models.events import ProvisionedAccountView, parse_account_created
    from credentials_service.observability import logger, metrics
    from credentials_service.repository.client import dynamodb_client
    from credentials_service.usecases.accounts import provision_account

    dynamodb_client()  # cached; created at init, not in the first request


@metrics.log_metrics
@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict, context: object) -> dict:
    signup = parse_account_created(event)
    result = provision_account(signup.account_id, signup.created_by)
    created = result.default
    logger.info("signup handled", extra={"accountId": signup.account_id, "provisioned": created is not None})
    metrics.add_metric(name="AccountsProvisioned", unit=MetricUnit.Count, value=int(created is not None))
    credential = CreatedCredentialView.with_secret(created.credential, created.secret) if created else None
    return ProvisionedAccountView(
        account_id=signup.account_id, provisioned=created is not None, credential=credential
    ).to_json_dict()
