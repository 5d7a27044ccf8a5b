"""The scoped change rules: for each changed file Pants' graph cannot follow, the tests it can
reach (config -> pure matchers -> thin glue: no git or Pants I/O in this package)."""
