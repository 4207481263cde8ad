"""Model-making: building and evaluating models from the run-time's stages, never imported by the run-time."""
