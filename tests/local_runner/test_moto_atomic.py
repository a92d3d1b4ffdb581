"""moto's DynamoDB, made atomic: racing conditional transactions behave as on real DynamoDB."""

import threading

import boto3
import pytest
from moto.dynamodb.models import DynamoDBBackend

from local_runner.moto_atomic import make_moto_dynamodb_atomic


def test_it_is_idempotent():
    make_moto_dynamodb_atomic()
    wrapped = DynamoDBBackend.transact_write_items
    make_moto_dynamodb_atomic()
    assert DynamoDBBackend.transact_write_items is wrapped
    assert wrapped._local_runner_atomic


@pytest.mark.parametrize("attempt", range(3))
def test_racing_transactions_cannot_both_pass_their_condition(moto_endpoint: str, attempt: int):
    """The last-active rule in miniature: 2 active, 16 racers each archive one if the count stays >= 1."""
    make_moto_dynamodb_atomic()
    client = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    table = f"race-{attempt}"
    client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    client.put_item(TableName=table, Item={"pk": {"S": "account"}, "active": {"N": "2"}})
    barrier = threading.Barrier(16)
    outcomes = []

    def archive(n: int) -> None:
        barrier.wait(10)
        try:
            client.transact_write_items(TransactItems=[
                {"Update": {"TableName": table, "Key": {"pk": {"S": "account"}},
                            "UpdateExpression": "SET active = active - :one",
                            "ConditionExpression": "active > :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}},
                {"Put": {"TableName": table, "Item": {"pk": {"S": f"archived-{n}"}},
                         "ConditionExpression": "attribute_not_exists(pk)"}},
            ])
            outcomes.append("archived")
        except client.exceptions.TransactionCanceledException:
            outcomes.append("refused")

    threads = [threading.Thread(target=archive, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["archived"] + ["refused"] * 15
    item = client.get_item(TableName=table, Key={"pk": {"S": "account"}}, ConsistentRead=True)["Item"]
    assert item["active"] == {"N": "1"}
    assert client.scan(TableName=table)["Count"] == 2  # the account and exactly one archive marker
