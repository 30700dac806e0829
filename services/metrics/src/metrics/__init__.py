"""Lotse metrics: a projection of the event stream into non-personal facts and KPIs."""
