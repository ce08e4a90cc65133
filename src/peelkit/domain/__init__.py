"""Pure domain types: forces, grade scales, framework trees, finding kinds. No I/O here."""
