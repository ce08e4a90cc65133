"""Force and national reports rendered from the inspection record and the indicator engine."""
