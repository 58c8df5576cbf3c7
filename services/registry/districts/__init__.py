"""The ten districts (县级市、区) of Suzhou: city-wide reference data."""
