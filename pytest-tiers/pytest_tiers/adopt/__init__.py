"""`pytest-tiers adopt`: each test file's tier from evidence, and the edits that declare it."""
