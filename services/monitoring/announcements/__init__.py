"""What monitoring announces (building-years), tallied for the copies, and announced again."""
