"""Indicators computed from official statistics, exactly as the reports' annexes define them."""
