"""Executors: where a run's work happens. `local` is one process; `ray` spreads filters (Ray Data)
and generate shards (Ray tasks and actors) over a Ray cluster. Stage code does not know which runs it.
An entry point: it may import every stage."""
