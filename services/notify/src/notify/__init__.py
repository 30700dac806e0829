"""Notify: tells applicants about their case in their language; tracking page."""
