"""jobpipe: a multi-user service that queues, runs and records build jobs."""
