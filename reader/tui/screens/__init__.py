"""Modal screens of the terminal reader."""
