"""People's accounts: users, passwords, second factors and sessions."""
