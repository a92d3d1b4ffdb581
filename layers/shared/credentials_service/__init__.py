"""The Scheduler0 credentials service: everything the Lambda functions share."""
