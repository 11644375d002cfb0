"""Stage: the trainer trains. Pretraining, coarse-to-fine SFT, offline DPO and evaluation in the
sandbox. Imports the shared base and the sandbox; reads its config sections through
`TrainerSettings`, never the root config (docs/architecture.md)."""
