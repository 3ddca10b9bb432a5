"""The simulation engine: compiled inputs, agent state, one module per sub-model, and the daily loop."""
