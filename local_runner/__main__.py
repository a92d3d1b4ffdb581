"""`python -m local_runner`. The import stays under the guard: worker processes re-import this module."""

if __name__ == "__main__":
    import sys

    from local_runner.cli import main

    sys.exit(main())
