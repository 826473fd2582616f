"""Audit projects: one engagement inside a workspace (its journey, answers, runs and reports hang off it)."""
