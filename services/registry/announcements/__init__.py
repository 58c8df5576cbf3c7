"""What the registry announces, tallied for the copies to compare with, and announced again."""
