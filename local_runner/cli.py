"""Command line: `python -m local_runner run ...` and `python -m local_runner invoke ...`."""

from __future__ import annotations

import argparse
import sys
import time

from local_runner.template import Template, TemplateError, load_template, table_logical_ids


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        template = _template(args)
    except (TemplateError, OSError) as error:
        print(f"local runner: {error}", file=sys.stderr)
        return 2
    if args.command == "invoke":
        from local_runner.invoke import invoke, read_event

        try:
            event = read_event(args.event)
        except (OSError, ValueError) as error:
            print(f"local runner: cannot read the event: {error}", file=sys.stderr)
            return 2
        return invoke(template, args.function, event, args.dynamodb_endpoint)
    from local_runner.run import run

    # moto starts empty, so account 1 is free; a lasting endpoint gets a fresh id on each run.
    account_id = args.account_id or (int(time.time()) if args.dynamodb_endpoint else 1)
    return run(template, host=args.host, port=args.port, dynamodb_endpoint=args.dynamodb_endpoint,
               account_id=account_id, pool_size=args.pool_size)


def _template(args: argparse.Namespace) -> Template:
    overrides = dict(_key_value(item) for item in args.parameter_overrides)
    template = load_template(args.template, overrides)
    if args.table_name:
        tables = table_logical_ids(template)
        if len(tables) != 1:
            raise TemplateError(f"--table-name needs a template with one table; it has {len(tables)}")
        template = load_template(args.template, overrides, resource_names={tables[0]: args.table_name})
    return template


def _key_value(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise TemplateError(f"--parameter-overrides takes Name=Value, got {item!r}")
    return key, value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m local_runner",
                                     description="Run the credentials service locally, without AWS or Docker.")
    commands = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--template", default="template.yaml", help="the SAM template (default: %(default)s)")
    common.add_argument("--parameter-overrides", nargs="*", default=[], metavar="NAME=VALUE",
                        help="template parameters, e.g. "
                             "Authorizer=CachedCredentialsAuthorizer AuthorizerCacheTtlSeconds=300")
    common.add_argument("--dynamodb-endpoint", help="use this DynamoDB (e.g. DynamoDB Local) instead of moto; "
                        "tables are created only if missing")
    common.add_argument("--table-name", help="the table's name at that endpoint (default: its logical id)")

    run = commands.add_parser("run", parents=[common], help="start the local API with a demo account")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=3000)
    run.add_argument("--account-id", type=int, help="the demo account's id (default: 1 with moto)")
    run.add_argument("--pool-size", type=int, default=4, help="concurrent environments per function")

    invoke = commands.add_parser("invoke", parents=[common], help="invoke one function once, like sam local invoke")
    invoke.add_argument("function", help="the function's logical id in the template")
    invoke.add_argument("-e", "--event", help="event JSON file, or - for standard input")
    return parser
