"""Pretraining, coarse-to-fine SFT, offline DPO and evaluation."""
