"""What the events service announces, tallied for the copies to compare, and announced again."""
