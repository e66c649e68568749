"""Coordinated rounds (R13): the office publishes both agencies' calls together."""
