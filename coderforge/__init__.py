"""coderforge: synthetic post-training data for code LLMs, and the trainer that uses it.

The layout (docs/architecture.md): the top-level folders agents/, checklists/, sandbox/ and
trainer/ are the pipeline's stages (agents write, checklists judge, the sandbox runs, the trainer
trains) and prompts/ holds every text sent to a model. This package holds the rest: the shared
base every stage uses (llm/, code/, io, records, languages, models, errors, section) and the entry
points that compose the stages (cli/, config, generate_run, outputs, card, rundir, executor/)."""

__version__ = "0.1.0"
