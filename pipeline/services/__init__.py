"""The service layer: one use case per stage, called by the CLI, the DAGs and the tests."""
