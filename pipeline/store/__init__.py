"""The store: SQL shared by the stages (claims and leases, deadlock retry, advisory locks,
feed health) and the read side (views in ``sql/views``)."""
